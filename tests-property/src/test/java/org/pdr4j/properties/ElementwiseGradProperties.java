package org.pdr4j.properties;

import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.pdr4j.autograd.Var;
import org.pdr4j.tensor.Tensor;

/**
 * Gradients of the element-wise {@link Var} ops equal float64 central differences.
 *
 * <p>Inputs: rank 0..4, dims 1..4, at most {@link Gen#GRAD_CAP} elements, optionally seen
 * through a permuted (non-contiguous) view before the op; binary ops take broadcastable pairs
 * (either side may broadcast, in different dims). Values keep clear of points where the op is
 * not differentiable: |x| >= 1e-2 for abs/relu/leakyRelu, positive inputs for log/sqrt/rsqrt
 * and the base of a real power, |x| >= 0.3 for reciprocal and divisors, maximum/minimum and
 * clamp operands on interleaved lattices (every pair differs by more than 0.03). Integer
 * powers 0..3 are smooth everywhere and are checked at any base, exact zeros included. Binary
 * ops are also checked with one side constant (the needsGrad mask).
 *
 * <p>Tolerance: {@code GradCheck.check(fn, inputs, null, eps = 1e-6, atol = 1e-5, rtol = 1e-4)}
 * with a fixed random upstream gradient: each element passes when
 * |analytic - numeric| <= 1e-5 + 1e-4 |numeric|.
 */
class ElementwiseGradProperties {
    private static final int TRIES = 50;

    @Provide
    Arbitrary<int[]> shapes() {
        return Gen.gradShapes(0, 4);
    }

    // ---------------------------------------------------------------- unary

    /** Checks {@code op} at {@code x}; a {@code view} run applies it to a reversed-axes (non-contiguous) view. */
    private static void unary(String name, boolean view, Tensor x, UnaryOperator<Var> op) {
        Gen.assertGrad(name + (view ? " (on a permuted view)" : ""), v -> {
            Var in = v[0];
            if (view && in.rank() >= 2) {
                int[] rev = new int[in.rank()];
                for (int i = 0; i < rev.length; i++) rev[i] = rev.length - 1 - i;
                in = in.permute(rev);
            }
            return op.apply(in);
        }, x);
    }

    private static SplittableRandom rng(long seed) {
        return new SplittableRandom(seed);
    }

    @Property(tries = TRIES)
    void neg(@ForAll("shapes") int[] s, @ForAll long seed, @ForAll boolean view) {
        unary("neg", view, Gen.uniform(rng(seed), s, -2, 2), Var::neg);
    }

    @Property(tries = TRIES)
    void abs(@ForAll("shapes") int[] s, @ForAll long seed, @ForAll boolean view) {
        unary("abs", view, Gen.signedAway(rng(seed), s, 1e-2, 2), Var::abs);
    }

    @Property(tries = TRIES)
    void exp(@ForAll("shapes") int[] s, @ForAll long seed, @ForAll boolean view) {
        unary("exp", view, Gen.uniform(rng(seed), s, -2, 2), Var::exp);
    }

    @Property(tries = TRIES)
    void log(@ForAll("shapes") int[] s, @ForAll long seed, @ForAll boolean view) {
        unary("log", view, Gen.uniform(rng(seed), s, 0.2, 3), Var::log);
    }

    @Property(tries = TRIES)
    void sqrt(@ForAll("shapes") int[] s, @ForAll long seed, @ForAll boolean view) {
        unary("sqrt", view, Gen.uniform(rng(seed), s, 0.2, 3), Var::sqrt);
    }

    @Property(tries = TRIES)
    void rsqrt(@ForAll("shapes") int[] s, @ForAll long seed, @ForAll boolean view) {
        unary("rsqrt", view, Gen.uniform(rng(seed), s, 0.2, 3), Var::rsqrt);
    }

    @Property(tries = TRIES)
    void reciprocal(@ForAll("shapes") int[] s, @ForAll long seed, @ForAll boolean view) {
        unary("reciprocal", view, Gen.signedAway(rng(seed), s, 0.3, 2), Var::reciprocal);
    }

    @Property(tries = TRIES)
    void tanh(@ForAll("shapes") int[] s, @ForAll long seed, @ForAll boolean view) {
        unary("tanh", view, Gen.uniform(rng(seed), s, -3, 3), Var::tanh);
    }

    @Property(tries = TRIES)
    void sigmoid(@ForAll("shapes") int[] s, @ForAll long seed, @ForAll boolean view) {
        unary("sigmoid", view, Gen.uniform(rng(seed), s, -4, 4), Var::sigmoid);
    }

    @Property(tries = TRIES)
    void relu(@ForAll("shapes") int[] s, @ForAll long seed, @ForAll boolean view) {
        unary("relu", view, Gen.signedAway(rng(seed), s, 1e-2, 2), Var::relu);
    }

    @Property(tries = TRIES)
    void leakyRelu(@ForAll("shapes") int[] s, @ForAll long seed, @ForAll boolean view) {
        SplittableRandom r = rng(seed);
        double slope = r.nextDouble(0, 0.5);
        unary("leakyRelu(" + slope + ")", view, Gen.signedAway(r, s, 1e-2, 2), v -> v.leakyRelu(slope));
    }

    @Property(tries = TRIES)
    void gelu(@ForAll("shapes") int[] s, @ForAll long seed, @ForAll boolean view) {
        unary("gelu", view, Gen.uniform(rng(seed), s, -4, 4), Var::gelu);
    }

    @Property(tries = TRIES)
    void erf(@ForAll("shapes") int[] s, @ForAll long seed, @ForAll boolean view) {
        unary("erf", view, Gen.uniform(rng(seed), s, -3, 3), Var::erf);
    }

    @Property(tries = TRIES)
    void silu(@ForAll("shapes") int[] s, @ForAll long seed, @ForAll boolean view) {
        unary("silu", view, Gen.uniform(rng(seed), s, -4, 4), Var::silu);
    }

    @Property(tries = TRIES)
    void sin(@ForAll("shapes") int[] s, @ForAll long seed, @ForAll boolean view) {
        unary("sin", view, Gen.uniform(rng(seed), s, -4, 4), Var::sin);
    }

    @Property(tries = TRIES)
    void cos(@ForAll("shapes") int[] s, @ForAll long seed, @ForAll boolean view) {
        unary("cos", view, Gen.uniform(rng(seed), s, -4, 4), Var::cos);
    }

    /** Any real exponent on a positive base. */
    @Property(tries = TRIES)
    void powScalar(@ForAll("shapes") int[] s, @ForAll long seed, @ForAll boolean view) {
        SplittableRandom r = rng(seed);
        double e = r.nextDouble(-2.5, 3);
        unary("pow(" + e + ")", view, Gen.uniform(r, s, 0.3, 2), v -> v.pow(e));
    }

    /** Integer exponents 0..3 are smooth everywhere, zero and negative bases included (x^0 has gradient 0). */
    @Property(tries = TRIES)
    void powScalarIntegerExponent(@ForAll("shapes") int[] s, @ForAll long seed) {
        SplittableRandom r = rng(seed);
        int e = r.nextInt(4);
        double[] v = Gen.uniform(r, s, -2, 2).toDoubleArray();
        for (int i = 0; i < v.length; i++) if (r.nextInt(4) == 0) v[i] = 0;
        unary("pow(" + e + ")", false, Tensor.of(v, s), x -> x.pow(e));
    }

    @Property(tries = TRIES)
    void clamp(@ForAll("shapes") int[] s, @ForAll long seed, @ForAll boolean view) {
        SplittableRandom r = rng(seed);
        double a = Gen.lattice(r, 1), b = Gen.lattice(r, 1);
        double lo = Math.min(a, b), hi = Math.max(a, b);
        unary("clamp(" + lo + ", " + hi + ")", view, Gen.lattice(r, s, 0), x -> x.clamp(lo, hi));
    }

    /** {@code x * x}: one leaf reached twice, the two gradients accumulate. */
    @Property(tries = TRIES)
    void square(@ForAll("shapes") int[] s, @ForAll long seed) {
        unary("square", false, Gen.uniform(rng(seed), s, -2, 2), Var::square);
    }

    // ---------------------------------------------------------------- scalar variants

    @Property(tries = TRIES)
    void addScalar(@ForAll("shapes") int[] s, @ForAll long seed) {
        SplittableRandom r = rng(seed);
        double c = r.nextDouble(-3, 3);
        unary("add(" + c + ")", false, Gen.uniform(r, s, -2, 2), v -> v.add(c));
    }

    @Property(tries = TRIES)
    void subScalar(@ForAll("shapes") int[] s, @ForAll long seed) {
        SplittableRandom r = rng(seed);
        double c = r.nextDouble(-3, 3);
        unary("sub(" + c + ")", false, Gen.uniform(r, s, -2, 2), v -> v.sub(c));
    }

    @Property(tries = TRIES)
    void mulScalar(@ForAll("shapes") int[] s, @ForAll long seed) {
        SplittableRandom r = rng(seed);
        double c = r.nextDouble(-3, 3);
        unary("mul(" + c + ")", false, Gen.uniform(r, s, -2, 2), v -> v.mul(c));
    }

    @Property(tries = TRIES)
    void divScalar(@ForAll("shapes") int[] s, @ForAll long seed) {
        SplittableRandom r = rng(seed);
        double c = (r.nextBoolean() ? 1 : -1) * r.nextDouble(0.3, 3);
        unary("div(" + c + ")", false, Gen.uniform(r, s, -2, 2), v -> v.div(c));
    }

    @Property(tries = TRIES)
    void rsubScalar(@ForAll("shapes") int[] s, @ForAll long seed) {
        SplittableRandom r = rng(seed);
        double c = r.nextDouble(-3, 3);
        unary("rsub(" + c + ")", false, Gen.uniform(r, s, -2, 2), v -> v.rsub(c));
    }

    @Property(tries = TRIES)
    void maximumScalar(@ForAll("shapes") int[] s, @ForAll long seed) {
        SplittableRandom r = rng(seed);
        double c = Gen.lattice(r, 1);
        unary("maximum(" + c + ")", false, Gen.lattice(r, s, 0), v -> v.maximum(c));
    }

    @Property(tries = TRIES)
    void minimumScalar(@ForAll("shapes") int[] s, @ForAll long seed) {
        SplittableRandom r = rng(seed);
        double c = Gen.lattice(r, 1);
        unary("minimum(" + c + ")", false, Gen.lattice(r, s, 0), v -> v.minimum(c));
    }

    // ---------------------------------------------------------------- binary, broadcast

    private interface BinaryVar {
        Var apply(Var x, Var y);
    }

    /** Checks {@code op} on a broadcastable pair; x and y come from the given value makers. */
    private static void binary(String name, int[] base, long seed, ValueMaker mx, ValueMaker my, BinaryVar op) {
        SplittableRandom r = rng(seed);
        int[][] sh = Gen.broadcastable(r, base, 2);
        Tensor x = mx.make(r, sh[0]), y = my.make(r, sh[1]);
        Gen.assertGrad(name, v -> op.apply(v[0], v[1]), x, y);
        // Each side alone (the other a constant): exercises the needsGrad mask.
        Gen.assertGrad(name + " (x only)", v -> op.apply(v[0], v[1]), new Tensor[] {x, y}, new boolean[] {true, false});
        Gen.assertGrad(name + " (y only)", v -> op.apply(v[0], v[1]), new Tensor[] {x, y}, new boolean[] {false, true});
    }

    private interface ValueMaker {
        Tensor make(SplittableRandom r, int[] shape);
    }

    private static final ValueMaker ANY = (r, s) -> Gen.uniform(r, s, -2, 2);
    private static final ValueMaker POSITIVE = (r, s) -> Gen.uniform(r, s, 0.3, 2);
    private static final ValueMaker AWAY = (r, s) -> Gen.signedAway(r, s, 0.3, 2);
    private static final ValueMaker EVEN = (r, s) -> Gen.lattice(r, s, 0);
    private static final ValueMaker ODD = (r, s) -> Gen.lattice(r, s, 1);

    @Property(tries = TRIES)
    void add(@ForAll("shapes") int[] s, @ForAll long seed) {
        binary("add", s, seed, ANY, ANY, Var::add);
    }

    @Property(tries = TRIES)
    void sub(@ForAll("shapes") int[] s, @ForAll long seed) {
        binary("sub", s, seed, ANY, ANY, Var::sub);
    }

    @Property(tries = TRIES)
    void mul(@ForAll("shapes") int[] s, @ForAll long seed) {
        binary("mul", s, seed, ANY, ANY, Var::mul);
    }

    @Property(tries = TRIES)
    void div(@ForAll("shapes") int[] s, @ForAll long seed) {
        binary("div", s, seed, ANY, AWAY, Var::div);
    }

    @Property(tries = TRIES)
    void powTensor(@ForAll("shapes") int[] s, @ForAll long seed) {
        binary("pow", s, seed, POSITIVE, (r, sh) -> Gen.uniform(r, sh, -2, 2), Var::pow);
    }

    @Property(tries = TRIES)
    void maximum(@ForAll("shapes") int[] s, @ForAll long seed, @ForAll boolean swap) {
        binary("maximum", s, seed, swap ? ODD : EVEN, swap ? EVEN : ODD, Var::maximum);
    }

    @Property(tries = TRIES)
    void minimum(@ForAll("shapes") int[] s, @ForAll long seed, @ForAll boolean swap) {
        binary("minimum", s, seed, swap ? ODD : EVEN, swap ? EVEN : ODD, Var::minimum);
    }

    /** where(cond, a, b) with all three broadcast together; cond carries no gradient. */
    @Property(tries = TRIES)
    void where(@ForAll("shapes") int[] s, @ForAll long seed) {
        SplittableRandom r = rng(seed);
        int[][] sh = Gen.broadcastable(r, s, 3);
        float[] c = new float[Gen.numel(sh[0])];
        for (int i = 0; i < c.length; i++) c[i] = r.nextBoolean() ? 1 : 0;
        Tensor cond = Tensor.of(c, sh[0]);
        Tensor a = Gen.uniform(r, sh[1], -2, 2), b = Gen.uniform(r, sh[2], -2, 2);
        Gen.assertGrad("where cond " + Gen.describe(cond), v -> Var.where(cond, v[0], v[1]), a, b);
    }
}
