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
import org.pdr4j.autograd.ops.NormOps;
import org.pdr4j.nn.loss.Losses;
import org.pdr4j.nn.loss.Ssim;
import org.pdr4j.nn.metrics.VideoMetrics;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Tensor;

/**
 * Normalisation, softmax, SSIM, losses and metrics against PyTorch (fixtures from
 * {@code tests-property/scripts/make_golden_norm.py} under {@code golden/norm}). Each case runs
 * on the float32 inputs (forward within 1e-5 abs + 1e-5 rel, gradients 1e-5 abs + 1e-4 rel of
 * torch's float32 results) and on the same inputs in F64 (1e-10 abs + 1e-10 rel of torch's
 * float64). BatchNorm cases also compare the running statistics after the step. The metrics
 * (computed in double from the float32 frames) are compared with torch's float64 values.
 */
class GoldenNormTest {
    private static final String DIR = "/golden/norm/";

    @FunctionalInterface
    interface Op {
        /** Differentiable inputs in the fixture's order, then its constants (in the run's dtype, fresh copies). */
        Var apply(Var[] x, Tensor[] c);
    }

    private static final Map<String, Op> OPS = new LinkedHashMap<>();

    private static void op(String name, Op op) {
        if (OPS.put(name, op) != null) throw new IllegalStateException("duplicate case " + name);
    }

    static {
        op("group_norm", (x, c) -> NormOps.groupNorm(x[0], 3, x[1], x[2], 1e-5));
        op("group_norm_noaffine", (x, c) -> NormOps.groupNorm(x[0], 2, null, null, 1e-5));
        op("group_norm_large", (x, c) -> NormOps.groupNorm(x[0], 2, x[1], x[2], 1e-5));
        op("batch_norm_train", (x, c) -> NormOps.batchNorm(x[0], x[1], x[2], c[0], c[1], true, 0.1, 1e-5));
        op("batch_norm_train_2d", (x, c) -> NormOps.batchNorm(x[0], x[1], x[2], c[0], c[1], true, 0.1, 1e-5));
        op("batch_norm_eval", (x, c) -> NormOps.batchNorm(x[0], x[1], x[2], c[0], c[1], false, 0.1, 1e-5));
        op("layer_norm", (x, c) -> NormOps.layerNorm(x[0], new int[] {4, 5}, x[1], x[2], 1e-5));
        op("layer_norm_last", (x, c) -> NormOps.layerNorm(x[0], new int[] {37}, x[1], x[2], 1e-5));
        op("softmax_dim1", (x, c) -> NormOps.softmax(x[0], 1));
        op("softmax_last", (x, c) -> NormOps.softmax(x[0], -1));
        op("log_softmax_last", (x, c) -> NormOps.logSoftmax(x[0], -1));
        op("log_softmax_dim0", (x, c) -> NormOps.logSoftmax(x[0], 0));
        op("ssim", (x, c) -> Ssim.ssim(x[0], x[1]));
        op("ssim_5d", (x, c) -> Ssim.ssim(x[0], x[1]));
        op("l1_ssim", (x, c) -> Losses.l1Ssim(x[0], x[1], 0.5));
        op("diff_div_reg", (x, c) -> Losses.diffDivReg(x[0], x[1], 0.1, 1e-12));
        op("metrics", (x, c) -> Var.constant(Tensor.full(c[0].dtype(), org.pdr4j.tensor.Shape.scalar(),
                VideoMetrics.of(c[0], c[1]).mse())));
    }

    private static List<String> manifest() {
        return GoldenFixture.lines(DIR + "MANIFEST.txt").stream().map(String::trim).toList();
    }

    @Test
    void everyFixtureHasAnOpAndEveryOpAFixture() {
        assertEquals(new TreeSet<>(OPS.keySet()), new TreeSet<>(manifest()),
                "cases in golden/norm/MANIFEST.txt and GoldenNormTest.OPS differ; rerun make_golden_norm.py or add the lambda");
    }

    @TestFactory
    Stream<DynamicTest> goldenCases() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : manifest()) {
            if (name.equals("metrics")) continue; // metricsMatchTorch
            tests.add(DynamicTest.dynamicTest(name + " f32", () -> runCase(GoldenFixture.load(DIR, name), "f32")));
            tests.add(DynamicTest.dynamicTest(name + " f64", () -> runCase(GoldenFixture.load(DIR, name), "f64")));
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
        for (int i = 0; i < c.length; i++) c[i] = f.get(f.consts().get(i), "f32").to(dtype).copy();

        Var y = op.apply(x, c);
        String where = f.name() + " " + dt;
        assertEquals(dtype, y.dtype(), where + ": output dtype");
        GoldenOpsTest.assertClose(where + " forward", y.value(), f.get("out", dt), fwdAtol, fwdRtol);
        for (int i = 0; i < c.length; i++) {
            String key = f.consts().get(i) + ".after";
            if (f.tensors().containsKey(key + " " + dt)) GoldenOpsTest.assertClose(where + " " + key, c[i], f.get(key, dt), fwdAtol, fwdRtol);
        }

        y.backward(f.get("upstream", "f32").to(dtype), false);
        for (int i = 0; i < x.length; i++) {
            String in = f.inputs().get(i);
            Tensor g = x[i].grad();
            assertNotNull(g, where + ": no gradient reached input " + in);
            GoldenOpsTest.assertClose(where + " grad." + in, g, f.get("grad." + in, dt), gradAtol, gradRtol);
        }
    }

    @Test
    void metricsMatchTorch() {
        GoldenFixture f = GoldenFixture.load(DIR, "metrics");
        Tensor pred = f.get("pred", "f32"), target = f.get("target", "f32");
        VideoMetrics.Result r = VideoMetrics.of(pred, target);
        // Streaming one frame batch at a time gives the same numbers.
        VideoMetrics acc = new VideoMetrics();
        acc.add(pred.narrow(0, 0, 1), target.narrow(0, 0, 1));
        acc.add(pred.narrow(0, 1, 1), target.narrow(0, 1, 1));
        VideoMetrics.Result s = acc.result();
        assertEquals(6, r.frames());
        double[][] pairs = {
            {r.mse(), s.mse(), f.get("mse", "f64").item()},
            {r.mae(), s.mae(), f.get("mae", "f64").item()},
            {r.rmse(), s.rmse(), f.get("rmse", "f64").item()},
            {r.psnr(), s.psnr(), f.get("psnr", "f64").item()},
            {r.ssim(), s.ssim(), f.get("ssim", "f64").item()},
            {r.msePerPixel(), s.msePerPixel(), f.get("mse_pixel", "f64").item()},
            {r.maePerPixel(), s.maePerPixel(), f.get("mae_pixel", "f64").item()},
        };
        String[] names = {"mse", "mae", "rmse", "psnr", "ssim", "mse_pixel", "mae_pixel"};
        for (int i = 0; i < pairs.length; i++) {
            assertEquals(pairs[i][2], pairs[i][0], 1e-9 * Math.max(1, Math.abs(pairs[i][2])), names[i] + " vs torch");
            assertEquals(pairs[i][0], pairs[i][1], 1e-12 * Math.max(1, Math.abs(pairs[i][0])), names[i] + " streamed vs whole");
        }
    }
}
