package org.pdr4j.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.pdr4j.autograd.Var;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Tensor;

/**
 * Forward values and input gradients against PyTorch (fixtures from
 * {@code tests-property/scripts/make_golden.py}, one per case under {@code golden/ops}). Each case
 * runs twice: on the float32 inputs (forward within 1e-5 abs + 1e-5 rel, gradients within
 * 1e-5 abs + 1e-4 rel of torch's float32 results) and on the same inputs converted to F64
 * (everything within 1e-10 abs + 1e-10 rel of torch's float64 results). The lambdas below
 * mirror the Python {@code expr} of each case.
 */
class GoldenOpsTest {

    /** A case's computation: differentiable inputs in the fixture's order, then its constants. */
    @FunctionalInterface
    interface Op {
        Var apply(Var[] x, Tensor[] c);
    }

    private static final Map<String, Op> OPS = new LinkedHashMap<>();

    private static void op(String name, Op op) {
        if (OPS.put(name, op) != null) throw new IllegalStateException("duplicate case " + name);
    }

    private static int[] ax(int... a) { return a; }

    static {
        // element-wise, unary
        op("gelu", (x, c) -> x[0].gelu());
        op("silu", (x, c) -> x[0].silu());
        op("sigmoid", (x, c) -> x[0].sigmoid());
        op("tanh", (x, c) -> x[0].tanh());
        op("exp", (x, c) -> x[0].exp());
        op("log", (x, c) -> x[0].log());
        op("erf", (x, c) -> x[0].erf());
        op("sqrt", (x, c) -> x[0].sqrt());
        op("rsqrt", (x, c) -> x[0].rsqrt());
        op("reciprocal", (x, c) -> x[0].reciprocal());
        op("sin", (x, c) -> x[0].sin());
        op("cos", (x, c) -> x[0].cos());
        op("neg", (x, c) -> x[0].neg());
        op("abs", (x, c) -> x[0].abs());
        op("relu", (x, c) -> x[0].relu());
        op("leaky_relu", (x, c) -> x[0].leakyRelu(0.1));
        op("pow_scalar", (x, c) -> x[0].pow(2.5));
        op("clamp", (x, c) -> x[0].clamp(-0.5, 0.7));
        op("square", (x, c) -> x[0].square());
        op("affine", (x, c) -> x[0].mul(1.5).add(0.25).sub(2.0).div(4.0).rsub(3.0));
        // element-wise, binary with broadcasting
        op("add_bcast", (x, c) -> x[0].add(x[1]));
        op("sub_bcast", (x, c) -> x[0].sub(x[1]));
        op("mul_bcast", (x, c) -> x[0].mul(x[1]));
        op("div_bcast", (x, c) -> x[0].div(x[1]));
        op("pow_tensor", (x, c) -> x[0].pow(x[1]));
        op("maximum", (x, c) -> x[0].maximum(x[1]));
        op("maximum_bcast", (x, c) -> x[0].maximum(x[1]));
        op("minimum_bcast", (x, c) -> x[0].minimum(x[1]));
        op("where", (x, c) -> Var.where(c[0], x[0], x[1]));
        // linear algebra
        op("matmul_2d", (x, c) -> x[0].matmul(x[1]));
        op("matmul_bcast", (x, c) -> x[0].matmul(x[1]));
        op("matmul_vec_mat", (x, c) -> x[0].matmul(x[1]));
        op("matmul_mat_vec", (x, c) -> x[0].matmul(x[1]));
        op("matmul_dot", (x, c) -> x[0].matmul(x[1]));
        // reductions
        op("sum_axis1_keepdim", (x, c) -> x[0].sum(ax(1), true));
        op("sum_axes02", (x, c) -> x[0].sum(ax(0, 2), false));
        op("sum_all", (x, c) -> x[0].sum());
        op("mean_axis1_keepdim", (x, c) -> x[0].mean(ax(1), true));
        op("mean_axis_neg1", (x, c) -> x[0].mean(ax(-1), false));
        op("mean_all", (x, c) -> x[0].mean());
        op("amax_axis2", (x, c) -> x[0].max(ax(2), false));
        op("amax_axis1_keepdim", (x, c) -> x[0].max(ax(1), true));
        op("amax_ties", (x, c) -> x[0].max(ax(1), false));
        op("amax_all", (x, c) -> x[0].max());
        op("amin_axes01", (x, c) -> x[0].min(ax(0, 1), false));
        op("var_axis1", (x, c) -> x[0].var(ax(1), false, 1));
        op("var_axes02_keepdim", (x, c) -> x[0].var(ax(0, 2), true, 1));
        op("var_axis2_pop", (x, c) -> x[0].var(ax(2), false, 0));
        // movement
        op("pad", (x, c) -> x[0].pad(ax(1, -1, -1, 2), 0.5));
        op("pad_3d", (x, c) -> x[0].pad(ax(0, 2, 1, 0, -1, 1), 0.0));
        op("gather", (x, c) -> x[0].gather(1, c[0]));
        op("gather_last", (x, c) -> x[0].gather(-1, c[0]));
        op("index_select", (x, c) -> x[0].indexSelect(2, c[0]));
        op("index_select_dim0", (x, c) -> x[0].indexSelect(0, c[0]));
        op("concat", (x, c) -> Var.concat(List.of(x[0], x[1], x[2]), 1));
        op("stack", (x, c) -> Var.stack(List.of(x[0], x[1]), 1));
        op("permute_reshape", (x, c) -> x[0].permute(2, 0, 1).reshape(8, 3).transpose(0, 1).reshape(2, 12));
        op("permute_reshape_mul", (x, c) -> x[0].permute(1, 2, 0).reshape(3, 8).mul(x[1]).reshape(4, 6).permute(1, 0));
        op("slice_step", (x, c) -> x[0].slice(1, 1, 3, 1).slice(2, 0, 4, 2));
        op("select_narrow", (x, c) -> x[0].select(1, 2).narrow(1, 1, 2));
        op("expand", (x, c) -> x[0].expand(2, 3, 4));
        op("split_concat", (x, c) -> {
            List<Var> p = x[0].split(ax(1, 2), 1);
            return Var.concat(List.of(p.get(1), p.get(0)), 1);
        });
        op("squeeze_unsqueeze", (x, c) -> x[0].unsqueeze(1).squeeze(2).unsqueeze(-1));
        // composites
        op("layer_norm", (x, c) -> {
            Var m = x[0].mean(ax(-1), true), v = x[0].var(ax(-1), true, 0);
            return x[0].sub(m).mul(v.add(1e-5).rsqrt());
        });
        op("softmax", (x, c) -> {
            Var e = x[0].sub(x[0].max(ax(-1), true)).exp();
            return e.div(e.sum(ax(-1), true));
        });
        op("mlp", (x, c) -> x[0].matmul(x[1]).add(x[2]).gelu().matmul(x[3]));
    }

    private static List<String> manifest() {
        return GoldenFixture.lines(GoldenFixture.DIR + "MANIFEST.txt").stream().map(String::trim).toList();
    }

    @Test
    void everyFixtureHasAnOpAndEveryOpAFixture() {
        assertEquals(new TreeSet<>(OPS.keySet()), new TreeSet<>(manifest()),
                "cases in golden/ops/MANIFEST.txt and GoldenOpsTest.OPS differ; rerun make_golden.py or add the lambda");
    }

    @TestFactory
    Stream<DynamicTest> goldenCases() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : manifest()) {
            tests.add(DynamicTest.dynamicTest(name + " f32", () -> runCase(GoldenFixture.load(name), "f32")));
            tests.add(DynamicTest.dynamicTest(name + " f64", () -> runCase(GoldenFixture.load(name), "f64")));
        }
        return tests.stream();
    }

    private static void runCase(GoldenFixture f, String dt) {
        Op op = OPS.get(f.name());
        assertNotNull(op, "no Java op for case " + f.name());
        boolean f64 = dt.equals("f64");
        DType dtype = f64 ? DType.F64 : DType.F32;
        double fwdAtol = f64 ? 1e-10 : 1e-5, fwdRtol = f64 ? 1e-10 : 1e-5;
        double gradAtol = f64 ? 1e-10 : 1e-5, gradRtol = f64 ? 1e-10 : 1e-4;

        Var[] x = new Var[f.inputs().size()];
        for (int i = 0; i < x.length; i++) x[i] = Var.param(f.get(f.inputs().get(i), "f32").to(dtype));
        Tensor[] c = new Tensor[f.consts().size()];
        for (int i = 0; i < c.length; i++) c[i] = f.get(f.consts().get(i), "f32");

        Var y = op.apply(x, c);
        String where = f.name() + " " + dt;
        assertEquals(dtype, y.dtype(), where + ": output dtype");
        assertClose(where + " forward", y.value(), f.get("out", dt), fwdAtol, fwdRtol);

        y.backward(f.get("upstream", "f32").to(dtype), false);
        for (int i = 0; i < x.length; i++) {
            String in = f.inputs().get(i);
            Tensor g = x[i].grad();
            assertNotNull(g, where + ": no gradient reached input " + in);
            assertClose(where + " grad." + in, g, f.get("grad." + in, dt), gradAtol, gradRtol);
        }
    }

    /** Every |a - e| <= atol + rtol * |e|; the message names the worst element. */
    static void assertClose(String what, Tensor actual, Tensor expected, double atol, double rtol) {
        assertEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] a = actual.toDoubleArray(), e = expected.toDoubleArray();
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < a.length; i++) {
            double excess = Math.abs(a[i] - e[i]) - (atol + rtol * Math.abs(e[i]));
            if (!(excess <= 0) && (worst < 0 || !(excess <= worstExcess))) {
                worst = i;
                worstExcess = excess;
            }
        }
        if (worst >= 0) {
            int bad = 0;
            for (int i = 0; i < a.length; i++) if (!(Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]))) bad++;
            throw new AssertionError(String.format("%s: %d of %d elements off (atol %.0e, rtol %.0e); worst at flat index %d: got %.17g, torch %.17g (|diff| %.3g)",
                    what, bad, a.length, atol, rtol, worst, a[worst], e[worst], Math.abs(a[worst] - e[worst])));
        }
    }
}
