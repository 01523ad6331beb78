package org.pdr4j.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.pdr4j.autograd.Var;
import org.pdr4j.autograd.ops.ConvOps;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Tensor;

/**
 * The convolution family against PyTorch (fixtures from
 * {@code tests-property/scripts/make_golden_conv.py} under {@code golden/conv}). Each case runs
 * on the float32 inputs (the fast kernels; forward and gradients within 1e-4 abs + 1e-4 rel of
 * torch's float32 results, since sums of up to a few hundred products are taken in another
 * order) and on the same inputs in F64 (the reference loops; within 1e-10 abs + 1e-10 rel).
 */
class GoldenConvTest {
    private static final String DIR = "/golden/conv/";
    private static final Map<String, Function<Var[], Var>> OPS = new LinkedHashMap<>();

    private static int[] p(int... v) { return v; }

    private static void op(String name, Function<Var[], Var> op) {
        if (OPS.put(name, op) != null) throw new IllegalStateException("duplicate case " + name);
    }

    static {
        op("conv3x3_s1_p1", x -> ConvOps.conv2d(x[0], x[1], x[2], p(1), p(1), p(1), 1));
        op("conv3x3_s2_p1", x -> ConvOps.conv2d(x[0], x[1], x[2], p(2), p(1), p(1), 1));
        op("conv1x1", x -> ConvOps.conv2d(x[0], x[1], x[2], p(1), p(0), p(1), 1));
        op("conv1x1_nobias", x -> ConvOps.conv2d(x[0], x[1], null, p(1), p(0), p(1), 1));
        op("dw5x5_p2", x -> ConvOps.conv2d(x[0], x[1], x[2], p(1), p(2), p(1), 3));
        op("dw7x7_d3_p9", x -> ConvOps.conv2d(x[0], x[1], x[2], p(1), p(9), p(3), 2));
        op("grouped_g2", x -> ConvOps.conv2d(x[0], x[1], x[2], p(1), p(1), p(1), 2));
        op("grouped_g4_k5", x -> ConvOps.conv2d(x[0], x[1], x[2], p(1), p(2), p(1), 4));
        op("conv_asym", x -> ConvOps.conv2d(x[0], x[1], x[2], p(2, 1), p(1, 2), p(2, 1), 1));
        op("convT_s2", x -> ConvOps.convTranspose2d(x[0], x[1], x[2], p(2), p(1), p(1), p(1), 1));
        op("convT_g2_d2", x -> ConvOps.convTranspose2d(x[0], x[1], null, p(2), p(1), p(1), p(2), 2));
        op("avgpool_k2", x -> ConvOps.avgPool2d(x[0], p(2), p(2)));
        op("avgpool_k3_s2", x -> ConvOps.avgPool2d(x[0], p(3), p(2)));
        op("adaptive_1x1", x -> ConvOps.adaptiveAvgPool2d(x[0], 1, 1));
        op("adaptive_3x2", x -> ConvOps.adaptiveAvgPool2d(x[0], 3, 2));
        op("pixel_shuffle_r2", x -> ConvOps.pixelShuffle(x[0], 2));
    }

    private static List<String> manifest() {
        return GoldenFixture.lines(DIR + "MANIFEST.txt").stream().map(String::trim).toList();
    }

    @Test
    void everyFixtureHasAnOpAndEveryOpAFixture() {
        assertEquals(new TreeSet<>(OPS.keySet()), new TreeSet<>(manifest()),
                "cases in golden/conv/MANIFEST.txt and GoldenConvTest.OPS differ; rerun make_golden_conv.py or add the lambda");
    }

    @TestFactory
    Stream<DynamicTest> goldenCases() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : manifest()) {
            tests.add(DynamicTest.dynamicTest(name + " f32", () -> runCase(GoldenFixture.load(DIR, name), "f32")));
            tests.add(DynamicTest.dynamicTest(name + " f64", () -> runCase(GoldenFixture.load(DIR, name), "f64")));
        }
        return tests.stream();
    }

    private static void runCase(GoldenFixture f, String dt) {
        Function<Var[], Var> op = OPS.get(f.name());
        assertNotNull(op, "no Java op for case " + f.name());
        boolean f64 = dt.equals("f64");
        DType dtype = f64 ? DType.F64 : DType.F32;
        double tol = f64 ? 1e-10 : 1e-4;
        Var[] x = new Var[f.inputs().size()];
        for (int i = 0; i < x.length; i++) x[i] = Var.param(f.get(f.inputs().get(i), "f32").to(dtype));
        Var y = op.apply(x);
        String where = f.name() + " " + dt;
        assertEquals(dtype, y.dtype(), where + ": output dtype");
        GoldenOpsTest.assertClose(where + " forward", y.value(), f.get("out", dt), tol, tol);
        y.backward(f.get("upstream", "f32").to(dtype), false);
        for (int i = 0; i < x.length; i++) {
            String in = f.inputs().get(i);
            Tensor g = x[i].grad();
            assertNotNull(g, where + ": no gradient reached input " + in);
            GoldenOpsTest.assertClose(where + " grad." + in, g, f.get("grad." + in, dt), tol, tol);
        }
    }
}
