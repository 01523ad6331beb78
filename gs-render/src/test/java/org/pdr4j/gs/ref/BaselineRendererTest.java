package org.pdr4j.gs.ref;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.pdr4j.gs.GaussianGrads;
import org.pdr4j.gs.Gaussians;
import org.pdr4j.gs.RenderSpec;
import org.pdr4j.gs.Renderer;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Parallel;
import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.ShapeException;
import org.pdr4j.tensor.Tensor;

/**
 * The two Algorithm-1 baselines against each other and against an independent evaluation in
 * float64 of DESIGN.md's exact result (each patch shifted by {@code -coords * (W/2, H/2)} pixels
 * with one pair of bilinear weights), forward and backward (central differences).
 */
class BaselineRendererTest {
    private static final int P = 2, N = 6;
    private static final float HALF_PI = (float) (Math.PI / 2);

    /** Odd and even H, W and K, C = 1, 2, 3, and a frame exactly K x K. */
    private static final List<RenderSpec> SPECS = List.of(
            new RenderSpec(16, 16, 7), new RenderSpec(17, 12, 6), new RenderSpec(12, 17, 5),
            new RenderSpec(9, 9, 9), new RenderSpec(10, 13, 4));
    private static final int[] CHANNELS = {1, 3, 3, 2, 1};

    private final Renderer base = new BaseRenderer(), baseGrid = new BaseGridRenderer();

    // ------------------------------------------------------------------ inputs

    /**
     * P x N Gaussians in float32. Frame 0 holds the hard cases: wholly off the frame in x and in y,
     * rotation exactly +-pi/2 (as float) with one scale 1e-7 (under the clamp), both scales 1e-7,
     * partly off the frame. Frame 1 is random, and (unless {@code smooth}) starts with shifts of
     * exactly 0 and 1 pixel. {@code smooth} keeps every shift's fraction in [0.02, 0.98], away
     * from the kinks of bilinear interpolation, for finite differences.
     */
    private static Gaussians gaussians(RenderSpec spec, int c, long seed, boolean smooth) {
        SplittableRandom r = new SplittableRandom(seed);
        int m = P * N;
        float[] co = new float[2 * m], sc = new float[2 * m], ro = new float[m], am = new float[m * c];
        for (int b = 0; b < m; b++) {
            co[2 * b] = (float) r.nextDouble(-1.3, 1.3);
            co[2 * b + 1] = (float) r.nextDouble(-1.3, 1.3);
            sc[2 * b] = (float) r.nextDouble(0.05, 1);
            sc[2 * b + 1] = (float) r.nextDouble(0.05, 1);
            ro[b] = (float) r.nextDouble(-Math.PI / 2, Math.PI / 2);
            for (int ch = 0; ch < c; ch++) am[b * c + ch] = (float) r.nextDouble(-1, 1);
        }
        set(co, 0, 2.5f, 0.1f);                                  // wholly off, right
        set(co, 1, -0.3f, -2.5f);                                // wholly off, top
        ro[2] = HALF_PI;
        set(sc, 2, 1e-7f, 0.4f);
        ro[3] = -HALF_PI;
        set(sc, 3, 0.3f, 1e-7f);
        set(co, 3, 1.05f, -0.95f);                               // partly off
        set(sc, 4, 1e-7f, 1e-7f);
        set(co, 5, -1.1f, 1.0f);                                 // partly off
        ro[5] = 0f;
        if (!smooth) {
            set(co, N, 0f, 0f);
            set(co, N + 1, 2f / spec.width(), -2f / spec.height());
        } else {
            for (int b = 0; b < m; b++) {
                co[2 * b] = awayFromKinks(co[2 * b], spec.width());
                co[2 * b + 1] = awayFromKinks(co[2 * b + 1], spec.height());
            }
        }
        return new Gaussians(Tensor.of(co, P, N, 2), Tensor.of(sc, P, N, 2), Tensor.of(ro, P, N), Tensor.of(am, P, N, c));
    }

    private static void set(float[] a, int b, float x, float y) {
        a[2 * b] = x;
        a[2 * b + 1] = y;
    }

    private static float awayFromKinks(float coord, int size) {
        float x = coord;
        for (;;) {
            double d = (double) x * size / 2, frac = d - Math.floor(d);
            if (frac >= 0.02 && frac <= 0.98) return x;
            x += 0.05f / size;
        }
    }

    // ------------------------------------------------------------------ the float64 direct evaluation

    /** Inputs as float64 arrays: coords [M, 2], scale [M, 2], rotation [M], amplitudes [M, C]. */
    private record Params(double[] co, double[] sc, double[] ro, double[] am, int c) {
        Params(Gaussians g) {
            this(g.coords().toDoubleArray(), g.scale().toDoubleArray(), g.rotation().toDoubleArray(),
                    g.amplitudes().toDoubleArray(), g.channels());
        }

        Params copy() {
            return new Params(co.clone(), sc.clone(), ro.clone(), am.clone(), c);
        }
    }

    /** Gaussian {@code b} alone, [C, H, W]: its (K+1) x (K+1) footprint, DESIGN.md's exact result. */
    private static double[] single(Params q, int b, RenderSpec spec) {
        int h = spec.height(), w = spec.width(), k = spec.kernel(), c = q.c;
        double[] ax = new double[k];
        double step = k > 1 ? 10.0 / (k - 1) : 0;
        for (int i = 0; i < k; i++) ax[i] = i < k / 2 ? -5 + i * step : 5 - (k - 1 - i) * step;
        double cs = Math.cos(q.ro[b]), sn = Math.sin(q.ro[b]);
        double s1 = Math.max(q.sc[2 * b], 1e-6), s2 = Math.max(q.sc[2 * b + 1], 1e-6);
        double[][] kp = new double[k + 2][k + 2];                 // the kernel padded by one
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double u = cs * ax[j] + sn * ax[i], v = -sn * ax[j] + cs * ax[i];
                kp[i + 1][j + 1] = Math.exp(-0.5 * ((u / s1) * (u / s1) + (v / s2) * (v / s2)));
            }
        }
        double dx = q.co[2 * b] * w / 2, dy = q.co[2 * b + 1] * h / 2;
        double fx = Math.floor(dx), fy = Math.floor(dy), wx = dx - fx, wy = dy - fy;
        long x0 = spec.left() - (long) fx - 1, y0 = spec.top() - (long) fy - 1;
        double[] out = new double[c * h * w];
        for (int i = 0; i <= k; i++) {
            for (int j = 0; j <= k; j++) {
                long y = y0 + i, x = x0 + j;
                if (y < 0 || y >= h || x < 0 || x >= w) continue;
                double v = (1 - wy) * ((1 - wx) * kp[i][j] + wx * kp[i][j + 1]) + wy * ((1 - wx) * kp[i + 1][j] + wx * kp[i + 1][j + 1]);
                for (int ch = 0; ch < c; ch++) out[(ch * h + (int) y) * w + (int) x] += q.am[b * c + ch] * v;
            }
        }
        return out;
    }

    /** All frames, [P, C, H, W]. */
    private static double[] direct(Params q, RenderSpec spec) {
        int len = q.c * spec.height() * spec.width();
        double[] out = new double[P * len];
        for (int b = 0; b < P * N; b++) {
            double[] s = single(q, b, spec);
            for (int i = 0; i < len; i++) out[(b / N) * len + i] += s[i];
        }
        return out;
    }

    /** Gaussian b's part of {@code sum(gradImage * image)}: the only part its inputs change. */
    private static double loss(Params q, int b, RenderSpec spec, double[] gradImage) {
        double[] s = single(q, b, spec);
        int len = s.length;
        double sum = 0;
        for (int i = 0; i < len; i++) sum += gradImage[(b / N) * len + i] * s[i];
        return sum;
    }

    /** Central differences in float64 of {@link #loss} for every input, shaped as the inputs. */
    private static Params finiteDifferences(Params q, RenderSpec spec, double[] gradImage) {
        int m = P * N;
        Params g = new Params(new double[2 * m], new double[2 * m], new double[m], new double[m * q.c], q.c);
        for (int b = 0; b < m; b++) {
            double smin = Math.max(Math.min(q.sc[2 * b], q.sc[2 * b + 1]), 1e-6);
            for (int d = 0; d < 2; d++) {
                int i = 2 * b + d;
                g.co[i] = diff(q, b, spec, gradImage, p -> p.co, i, 1e-6);
                // a scale under the clamp stays under it: its difference is 0, as is the gradient
                g.sc[i] = diff(q, b, spec, gradImage, p -> p.sc, i, Math.min(1e-6, 1e-3 * q.sc[i]));
            }
            // the kernel's width sets how fast it turns: a clamped 1e-6 scale needs a tiny step
            g.ro[b] = diff(q, b, spec, gradImage, p -> p.ro, b, Math.min(1e-6, 1e-4 * smin));
            for (int ch = 0; ch < q.c; ch++) g.am[b * q.c + ch] = diff(q, b, spec, gradImage, p -> p.am, b * q.c + ch, 1e-6);
        }
        return g;
    }

    private static double diff(Params q, int b, RenderSpec spec, double[] gradImage,
                               Function<Params, double[]> field, int i, double h) {
        Params plus = q.copy(), minus = q.copy();
        field.apply(plus)[i] += h;
        field.apply(minus)[i] -= h;
        return (loss(plus, b, spec, gradImage) - loss(minus, b, spec, gradImage)) / (2 * h);
    }

    // ------------------------------------------------------------------ tests

    @Test
    void namesAreTheOnesTheBenchmarksUse() {
        assertEquals("base", base.name());
        assertEquals("base_grid", baseGrid.name());
    }

    @Test
    void baseAndBaseGridGiveTheSameImage() {
        for (int s = 0; s < SPECS.size(); s++) {
            RenderSpec spec = SPECS.get(s);
            for (long seed = 1; seed <= 3; seed++) {
                Gaussians g = gaussians(spec, CHANNELS[s], seed, false);
                Tensor a = base.forward(g, spec), b = baseGrid.forward(g, spec);
                assertEquals(Shape.of(P, CHANNELS[s], spec.height(), spec.width()), a.shape());
                assertEquals(DType.F32, a.dtype());
                assertClose(spec + " forward base vs base_grid", a.toFloatArray(), toDouble(b.toFloatArray()), 1e-5, 1e-5);
            }
        }
    }

    @Test
    void forwardIsTheShiftedPatchWithOnePairOfBilinearWeights() {
        for (int s = 0; s < SPECS.size(); s++) {
            RenderSpec spec = SPECS.get(s);
            for (long seed = 1; seed <= 3; seed++) {
                Gaussians g = gaussians(spec, CHANNELS[s], seed, false);
                double[] want = direct(new Params(g), spec);
                for (Renderer r : List.of(base, baseGrid)) {
                    assertClose(spec + " forward " + r.name() + " vs direct", r.forward(g, spec).toFloatArray(), want, 1e-5, 1e-5);
                }
            }
        }
    }

    @Test
    void backwardMatchesCentralDifferencesAndTheOtherBaseline() {
        for (int s = 0; s < SPECS.size(); s++) {
            RenderSpec spec = SPECS.get(s);
            int c = CHANNELS[s];
            for (long seed = 1; seed <= 2; seed++) {
                Gaussians g = gaussians(spec, c, seed, true);
                Tensor gradImage = Tensor.randn(100 + seed, P, c, spec.height(), spec.width());
                Params q = new Params(g), want = finiteDifferences(q, spec, gradImage.toDoubleArray());
                GaussianGrads a = base.backward(g, spec, gradImage), b = baseGrid.backward(g, spec, gradImage);
                for (GaussianGrads got : List.of(a, b)) {
                    String name = spec + " " + (got == a ? "base" : "base_grid") + " seed " + seed + " ";
                    assertGradShapes(g, got);
                    assertClose(name + "gradCoords", got.gradCoords().toFloatArray(), want.co, 1e-4, 1e-5);
                    assertClose(name + "gradScale", got.gradScale().toFloatArray(), want.sc, 1e-4, 1e-5);
                    assertClose(name + "gradRotation", got.gradRotation().toFloatArray(), want.ro, 1e-4, 1e-5);
                    assertClose(name + "gradAmplitudes", got.gradAmplitudes().toFloatArray(), want.am, 1e-4, 1e-5);
                }
                String name = spec + " base vs base_grid seed " + seed + " ";
                assertClose(name + "gradCoords", a.gradCoords().toFloatArray(), toDouble(b.gradCoords().toFloatArray()), 1e-4, 1e-5);
                assertClose(name + "gradScale", a.gradScale().toFloatArray(), toDouble(b.gradScale().toFloatArray()), 1e-4, 1e-5);
                assertClose(name + "gradRotation", a.gradRotation().toFloatArray(), toDouble(b.gradRotation().toFloatArray()), 1e-4, 1e-5);
                assertClose(name + "gradAmplitudes", a.gradAmplitudes().toFloatArray(), toDouble(b.gradAmplitudes().toFloatArray()), 1e-4, 1e-5);
            }
        }
    }

    @Test
    void gaussiansOffTheFrameOrUnderTheClampGetZeroGradients() {
        RenderSpec spec = SPECS.get(0);
        Gaussians g = gaussians(spec, 1, 7, true);
        Tensor gradImage = Tensor.randn(7, P, 1, spec.height(), spec.width());
        for (Renderer r : List.of(base, baseGrid)) {
            GaussianGrads got = r.backward(g, spec, gradImage);
            for (int b = 0; b < 2; b++) {                       // Gaussians 0 and 1 are wholly off the frame
                assertEquals(0.0, got.gradCoords().get(0, b, 0), r.name());
                assertEquals(0.0, got.gradScale().get(0, b, 1), r.name());
                assertEquals(0.0, got.gradRotation().get(0, b), r.name());
                assertEquals(0.0, got.gradAmplitudes().get(0, b, 0), r.name());
            }
            assertEquals(0.0, got.gradScale().get(0, 2, 0), r.name() + ": scale 1e-7 is under the clamp");
            assertEquals(0.0, got.gradScale().get(0, 3, 1), r.name() + ": scale 1e-7 is under the clamp");
            assertTrue(got.gradScale().get(0, 2, 1) != 0, r.name() + ": the other scale still learns");
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        RenderSpec spec = SPECS.get(1);
        Gaussians g = gaussians(spec, 3, 11, false);
        Tensor gradImage = Tensor.randn(11, P, 3, spec.height(), spec.width());
        int before = Parallel.threads();
        try {
            for (Renderer r : List.of(base, baseGrid)) {
                Parallel.setThreads(1);
                float[] f1 = r.forward(g, spec).toFloatArray();
                GaussianGrads g1 = r.backward(g, spec, gradImage);
                Parallel.setThreads(4);
                assertArrayEquals(f1, r.forward(g, spec).toFloatArray(), r.name());
                GaussianGrads g4 = r.backward(g, spec, gradImage);
                assertArrayEquals(g1.gradCoords().toFloatArray(), g4.gradCoords().toFloatArray(), r.name());
                assertArrayEquals(g1.gradScale().toFloatArray(), g4.gradScale().toFloatArray(), r.name());
                assertArrayEquals(g1.gradRotation().toFloatArray(), g4.gradRotation().toFloatArray(), r.name());
                assertArrayEquals(g1.gradAmplitudes().toFloatArray(), g4.gradAmplitudes().toFloatArray(), r.name());
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void noGaussiansRenderBlackFrames() {
        RenderSpec spec = new RenderSpec(8, 6, 3);
        Gaussians g = new Gaussians(Tensor.zeros(2, 0, 2), Tensor.zeros(2, 0, 2), Tensor.zeros(2, 0), Tensor.zeros(2, 0, 3));
        for (Renderer r : List.of(base, baseGrid)) {
            Tensor out = r.forward(g, spec);
            assertEquals(Shape.of(2, 3, 8, 6), out.shape());
            assertArrayEquals(new float[2 * 3 * 8 * 6], out.toFloatArray());
            GaussianGrads got = r.backward(g, spec, Tensor.ones(2, 3, 8, 6));
            assertEquals(Shape.of(2, 0, 3), got.gradAmplitudes().shape());
        }
    }

    @Test
    void rejectsFloat64AndMisshapenGradients() {
        RenderSpec spec = SPECS.get(0);
        Gaussians g = gaussians(spec, 1, 3, false);
        for (Renderer r : List.of(base, baseGrid)) {
            var e = assertThrows(IllegalArgumentException.class, () -> r.forward(g.to(DType.F64), spec));
            assertTrue(e.getMessage().contains("Gaussians.to(DType.F32)"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> r.backward(g.to(DType.F64), spec, Tensor.zeros(P, 1, 16, 16)));
            var s = assertThrows(ShapeException.class, () -> r.backward(g, spec, Tensor.zeros(P, 1, 16, 15)));
            assertTrue(s.getMessage().contains("gradImage"), s.getMessage());
            // a float64 gradient image is fine: it is converted
            GaussianGrads got = r.backward(g, spec, Tensor.ones(P, 1, 16, 16).to(DType.F64));
            assertEquals(DType.F32, got.gradCoords().dtype());
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void assertGradShapes(Gaussians g, GaussianGrads got) {
        assertEquals(g.coords().shape(), got.gradCoords().shape());
        assertEquals(g.scale().shape(), got.gradScale().shape());
        assertEquals(g.rotation().shape(), got.gradRotation().shape());
        assertEquals(g.amplitudes().shape(), got.gradAmplitudes().shape());
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    /** Every {@code |actual - expected| <= atol + rtol * |expected|}; the message shows the worst element. */
    private static void assertClose(String what, float[] actual, double[] expected, double rtol, double atol) {
        assertEquals(expected.length, actual.length, what + ": length");
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < actual.length; i++) {
            double err = Math.abs(actual[i] - expected[i]), allowed = atol + rtol * Math.abs(expected[i]);
            if (!(err <= allowed) && (worst < 0 || err / allowed > worstExcess)) {
                worst = i;
                worstExcess = err / allowed;
            }
        }
        if (worst >= 0) {
            fail(what + ": element " + worst + " is " + actual[worst] + ", expected " + expected[worst]
                    + " (error " + Math.abs(actual[worst] - expected[worst]) + ", " + worstExcess + "x the tolerance)");
        }
    }
}
