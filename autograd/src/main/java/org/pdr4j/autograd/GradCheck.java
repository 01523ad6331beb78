package org.pdr4j.autograd;

import java.util.SplittableRandom;
import java.util.function.Function;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Storage;
import org.pdr4j.tensor.Tensor;

/**
 * Gradient checking in float64 by central differences. The inputs are converted to F64 (so
 * every op runs on the scalar reference backend), a fixed random upstream gradient {@code u}
 * is drawn, and for each checked input element the analytic {@code d<u, f(x)>/dx} is compared
 * with {@code (<u, f(x+eps)> - <u, f(x-eps)>) / 2eps}.
 */
public final class GradCheck {
    private GradCheck() {}

    /** Outcome: the worst mismatch and where it is. */
    public record Result(boolean passed, double maxAbsError, double maxRelError, String worst) {
        @Override
        public String toString() {
            return (passed ? "PASS" : "FAIL") + String.format(" max |analytic-numeric| = %.3g (rel %.3g) %s", maxAbsError, maxRelError, worst);
        }
    }

    /** Defaults: eps 1e-6, atol 1e-5, rtol 1e-4; every input differentiated. */
    public static Result check(Function<Var[], Var> fn, Tensor... inputs) {
        return check(fn, inputs, null, 1e-6, 1e-5, 1e-4);
    }

    /**
     * @param differentiable which inputs to check (null: all); the others enter as constants
     * @param eps central-difference step
     * @param atol,rtol a mismatch passes when |a - n| <= atol + rtol * |n|
     */
    public static Result check(Function<Var[], Var> fn, Tensor[] inputs, boolean[] differentiable, double eps, double atol, double rtol) {
        int k = inputs.length;
        Tensor[] x = new Tensor[k];
        Var[] vars = new Var[k];
        for (int i = 0; i < k; i++) {
            x[i] = inputs[i].to(DType.F64).copy();
            boolean d = differentiable == null || differentiable[i];
            vars[i] = d ? Var.param(x[i]) : Var.constant(x[i]);
        }
        Var out = fn.apply(vars);
        Tensor u = upstream(out.value());
        if (!out.requiresGrad()) return new Result(false, Double.NaN, Double.NaN, "(output does not depend on any checked input)");
        out.backward(u, false);

        double maxAbs = 0, maxRel = 0;
        String worst = "";
        boolean ok = true;
        for (int i = 0; i < k; i++) {
            if (!vars[i].requiresGrad()) continue;
            Tensor g = vars[i].grad();
            double[] analytic = g == null ? new double[x[i].numel()] : g.toDoubleArray();
            Storage.F64 s = (Storage.F64) x[i].storage();
            double[] a = s.array();
            for (int j = 0; j < a.length; j++) {
                double orig = a[j];
                a[j] = orig + eps;
                double fp = dot(fn, x, u);
                a[j] = orig - eps;
                double fm = dot(fn, x, u);
                a[j] = orig;
                double numeric = (fp - fm) / (2 * eps);
                double an = analytic[j];
                double err = Math.abs(an - numeric);
                boolean pass = err <= atol + rtol * Math.abs(numeric) || (Double.isNaN(an) && Double.isNaN(numeric));
                double rel = err / Math.max(Math.abs(numeric), 1e-12);
                if (!pass) ok = false;
                if (err > maxAbs || (!pass && worst.isEmpty())) {
                    maxAbs = Math.max(maxAbs, err);
                    maxRel = Math.max(maxRel, rel);
                    worst = "input " + i + " element " + j + ": analytic " + an + ", numeric " + numeric;
                }
            }
        }
        return new Result(ok, maxAbs, maxRel, worst);
    }

    /** Throws an AssertionError with the worst mismatch unless the check passes. */
    public static void assertGradients(Function<Var[], Var> fn, Tensor... inputs) {
        Result r = check(fn, inputs);
        if (!r.passed()) throw new AssertionError("gradcheck " + r);
    }

    private static double dot(Function<Var[], Var> fn, Tensor[] x, Tensor u) {
        try (var scope = Grad.noGrad()) {
            Var[] vs = new Var[x.length];
            for (int i = 0; i < x.length; i++) vs[i] = Var.constant(x[i]);
            Tensor y = fn.apply(vs).value();
            return y.mul(u).sum().item();
        }
    }

    private static Tensor upstream(Tensor out) {
        SplittableRandom r = new SplittableRandom(0x5eed);
        double[] v = new double[out.numel()];
        for (int i = 0; i < v.length; i++) v[i] = r.nextDouble(-1, 1);
        return Tensor.of(v, out.shape().toArray());
    }
}
