package org.pdr4j.gs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pdr4j.gs.ref.RefDirectRenderer;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Parallel;
import org.pdr4j.tensor.Tensor;

/** The Vector API renderer against the double-precision direct definition, forward and backward. */
public class FusedRendererTest {
    private final Renderer fused = new FusedRenderer();
    private final Renderer ref = new RefDirectRenderer();

    /** Random Gaussians; some off the frame, some tiny, some at the rotation limits. */
    public static Gaussians random(long seed, int p, int n, int c) {
        Tensor co = Tensor.rand(seed, p, n, 2).mul(2.6).sub(1.3);
        Tensor sc = Tensor.rand(seed + 1, p, n, 2).mul(0.95).add(0.05);
        Tensor ro = Tensor.rand(seed + 2, p, n).sub(0.5).mul(Math.PI);
        Tensor am = Tensor.rand(seed + 3, p, n, c).mul(2).sub(0.5);
        float[] s = sc.toFloatArray(), r = ro.toFloatArray();
        if (n > 3) {
            s[0] = 1e-7f;          // below the clamp
            s[3] = 2e-3f;          // very narrow
            r[1] = (float) (Math.PI / 2);
            r[2] = (float) (-Math.PI / 2);
        }
        return new Gaussians(co, Tensor.of(s, p, n, 2), Tensor.of(r, p, n), am);
    }

    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of(16, 16, 7, 1, 1, 20),
                Arguments.of(17, 12, 6, 2, 3, 25),
                Arguments.of(32, 32, 15, 3, 2, 40),
                Arguments.of(51, 60, 51, 5, 1, 12),
                Arguments.of(9, 8, 8, 3, 4, 10),
                Arguments.of(7, 7, 7, 1, 2, 6),
                Arguments.of(20, 31, 1, 2, 2, 30));
    }

    public static void assertClose(Tensor want, Tensor got, double atol, double rtol, String what) {
        assertEquals(want.shape(), got.shape(), what);
        double[] a = want.toDoubleArray(), b = got.toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            if (!(Math.abs(a[i] - b[i]) <= atol + rtol * Math.abs(a[i]))) {
                fail(what + " element " + i + ": want " + a[i] + " got " + b[i]);
            }
        }
    }

    @ParameterizedTest(name = "H={0} W={1} K={2} C={3} P={4} N={5}")
    @MethodSource("configs")
    void forwardMatchesTheDirectDefinition(int h, int w, int k, int c, int p, int n) {
        Gaussians g = random(h * 31L + w * 7L + k, p, n, c);
        RenderSpec spec = new RenderSpec(h, w, k);
        assertClose(ref.forward(g.to(DType.F64), spec), fused.forward(g, spec), 1e-5, 1e-5, "forward");
    }

    @ParameterizedTest(name = "H={0} W={1} K={2} C={3} P={4} N={5}")
    @MethodSource("configs")
    void backwardMatchesTheDirectDefinition(int h, int w, int k, int c, int p, int n) {
        Gaussians g = random(h * 13L + w + k, p, n, c);
        RenderSpec spec = new RenderSpec(h, w, k);
        Tensor up = Tensor.randn(99, p, c, h, w);
        GaussianGrads want = ref.backward(g.to(DType.F64), spec, up.to(DType.F64));
        GaussianGrads got = fused.backward(g, spec, up);
        // Gradients sum K^2 terms in float: compare relative to the gradient's own scale.
        assertScaled(want.gradAmplitudes(), got.gradAmplitudes(), "amplitudes");
        assertScaled(want.gradCoords(), got.gradCoords(), "coords");
        assertScaled(want.gradScale(), got.gradScale(), "scale");
        assertScaled(want.gradRotation(), got.gradRotation(), "rotation");
    }

    private static void assertScaled(Tensor want, Tensor got, String what) {
        double scale = 0;
        for (double v : want.toDoubleArray()) scale = Math.max(scale, Math.abs(v));
        assertClose(want, got, 1e-4 * Math.max(scale, 1e-3), 1e-4, what);
    }

    @Test
    void sameBitsForAnyThreadCount() {
        Gaussians g = random(5, 2, 60, 3);
        RenderSpec spec = new RenderSpec(40, 40, 15);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[] one = fused.forward(g, spec).toFloatArray();
            Parallel.setThreads(2);
            float[] two = fused.forward(g, spec).toFloatArray();
            org.junit.jupiter.api.Assertions.assertArrayEquals(one, two);
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void oneFrameSplitOverThreadsIsRepeatableAndMatchesOneThread() {
        Gaussians g = random(6, 1, 90, 2);
        RenderSpec spec = new RenderSpec(33, 30, 9);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            Tensor one = fused.forward(g, spec);
            Parallel.setThreads(2);
            float[] a = fused.forward(g, spec).toFloatArray(), b = fused.forward(g, spec).toFloatArray();
            org.junit.jupiter.api.Assertions.assertArrayEquals(a, b);
            assertClose(one, Tensor.of(a, 1, 2, 33, 30), 1e-6, 1e-6, "two groups of Gaussians vs one");
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void aGaussianWhollyOffTheFrameContributesNothing() {
        Gaussians g = new Gaussians(Tensor.of(new float[] {3.5f, 0f}, 1, 1, 2), Tensor.full(0.5, 1, 1, 2),
                Tensor.zeros(1, 1), Tensor.ones(1, 1, 2));
        RenderSpec spec = new RenderSpec(16, 16, 7);
        assertEquals(0.0, fused.forward(g, spec).abs().sum().item());
        GaussianGrads gr = fused.backward(g, spec, Tensor.ones(1, 2, 16, 16));
        assertEquals(0.0, gr.gradAmplitudes().abs().sum().item());
    }

    @Test
    void centredGaussianPeaksAtOneTimesItsAmplitude() {
        // K odd, coords 0: the patch sits unshifted with its centre sample (value 1) at the centre pixel.
        Gaussians g = new Gaussians(Tensor.zeros(1, 1, 2), Tensor.full(0.5, 1, 1, 2), Tensor.zeros(1, 1),
                Tensor.of(new float[] {2f, -1f}, 1, 1, 2));
        Tensor img = fused.forward(g, new RenderSpec(15, 15, 15));
        assertEquals(2.0, img.get(0, 0, 7, 7), 1e-6);
        assertEquals(-1.0, img.get(0, 1, 7, 7), 1e-6);
        assertTrue(img.get(0, 0, 7, 8) < 2.0);
    }
}
