package org.pdr4j.gs.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pdr4j.gs.FusedRenderer;
import org.pdr4j.gs.FusedRendererTest;
import org.pdr4j.gs.GaussianGrads;
import org.pdr4j.gs.Gaussians;
import org.pdr4j.gs.RenderSpec;
import org.pdr4j.gs.Renderer;
import org.pdr4j.gs.Renderers;
import org.pdr4j.gs.ref.RefDirectRenderer;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Tensor;

/**
 * The OpenCL renderer against the CPU ones, forward and backward: {@link FusedRenderer} (float32,
 * Vector API) and {@link RefDirectRenderer} on float64 inputs, at the tolerances of
 * {@code FusedRendererTest} (forward 1e-5 + 1e-5 relative; each gradient 1e-4 relative plus 1e-4
 * of the tensor's largest entry). Runs on any OpenCL device, pocl's CPU device in CI; skipped
 * (by assumption) only where no OpenCL platform exists at all ({@link OpenClAssume}).
 */
class OpenClRendererTest {
    private static Renderer cl;
    private final Renderer fused = new FusedRenderer();
    private final Renderer ref = new RefDirectRenderer();

    @BeforeAll
    static void device() {
        OpenClAssume.device();
        cl = Renderers.byName("opencl");
    }

    /** Random Gaussians; many near or over the frame's borders, some off it, some tiny, some at the rotation limits. */
    static Gaussians random(long seed, int p, int n, int c) {
        Tensor co = Tensor.rand(seed, p, n, 2).mul(2.6).sub(1.3);
        Tensor sc = Tensor.rand(seed + 1, p, n, 2).mul(0.95).add(0.05);
        Tensor ro = Tensor.rand(seed + 2, p, n).sub(0.5).mul(Math.PI);
        Tensor am = Tensor.rand(seed + 3, p, n, c).mul(2).sub(0.5);
        float[] s = sc.toFloatArray(), r = ro.toFloatArray(), x = co.toFloatArray();
        if (n > 5) {
            s[0] = 1e-7f;          // below the clamp
            s[3] = 2e-3f;          // very narrow
            r[1] = (float) (Math.PI / 2);
            r[2] = (float) (-Math.PI / 2);
            x[8] = 1f;             // centre on the right border
            x[9] = -1f;            // and the top one
            x[10] = -0.999f;
        }
        return new Gaussians(Tensor.of(x, p, n, 2), Tensor.of(s, p, n, 2), Tensor.of(r, p, n), am);
    }

    /** H, W, K, C, P, N: C = 1, 2, 3 and past one channel block (5, 9); K odd, even and 1; H != W. */
    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of(16, 16, 7, 1, 1, 20),
                Arguments.of(17, 12, 6, 2, 3, 25),
                Arguments.of(32, 32, 15, 3, 2, 40),
                Arguments.of(23, 16, 15, 3, 1, 64),
                Arguments.of(51, 60, 51, 5, 1, 12),
                Arguments.of(9, 8, 8, 3, 4, 10),
                Arguments.of(7, 7, 7, 1, 2, 6),
                Arguments.of(20, 31, 1, 2, 2, 30),
                Arguments.of(12, 19, 10, 9, 2, 15),
                Arguments.of(64, 48, 15, 1, 2, 300));
    }

    /** Gradients sum up to (K+1)^2 terms in float: compared relative to the gradient's own scale. */
    static void assertScaled(Tensor want, Tensor got, String what) {
        double scale = 0;
        for (double v : want.toDoubleArray()) scale = Math.max(scale, Math.abs(v));
        FusedRendererTest.assertClose(want, got, 1e-4 * Math.max(scale, 1e-3), 1e-4, what);
    }

    static void assertGrads(GaussianGrads want, GaussianGrads got, String vs) {
        assertScaled(want.gradAmplitudes(), got.gradAmplitudes(), "amplitudes vs " + vs);
        assertScaled(want.gradCoords(), got.gradCoords(), "coords vs " + vs);
        assertScaled(want.gradScale(), got.gradScale(), "scale vs " + vs);
        assertScaled(want.gradRotation(), got.gradRotation(), "rotation vs " + vs);
    }

    @ParameterizedTest(name = "H={0} W={1} K={2} C={3} P={4} N={5}")
    @MethodSource("configs")
    void forwardMatchesTheCpuRenderers(int h, int w, int k, int c, int p, int n) {
        Gaussians g = random(h * 31L + w * 7L + k, p, n, c);
        RenderSpec spec = new RenderSpec(h, w, k);
        Tensor got = cl.forward(g, spec);
        assertEquals(DType.F32, got.dtype());
        FusedRendererTest.assertClose(fused.forward(g, spec), got, 1e-5, 1e-5, "forward vs fused");
        FusedRendererTest.assertClose(ref.forward(g.to(DType.F64), spec), got, 1e-5, 1e-5, "forward vs ref");
    }

    @ParameterizedTest(name = "H={0} W={1} K={2} C={3} P={4} N={5}")
    @MethodSource("configs")
    void backwardMatchesTheCpuRenderers(int h, int w, int k, int c, int p, int n) {
        Gaussians g = random(h * 13L + w + k, p, n, c);
        RenderSpec spec = new RenderSpec(h, w, k);
        Tensor up = Tensor.randn(99, p, c, h, w);
        GaussianGrads got = cl.backward(g, spec, up);
        assertGrads(fused.backward(g, spec, up), got, "fused");
        assertGrads(ref.backward(g.to(DType.F64), spec, up.to(DType.F64)), got, "ref");
    }

    @Test
    void sameBitsEveryRun() {
        Gaussians g = random(5, 2, 60, 3);
        RenderSpec spec = new RenderSpec(40, 36, 15);
        Tensor up = Tensor.randn(3, 2, 3, 40, 36);
        assertArrayEquals(cl.forward(g, spec).toFloatArray(), cl.forward(g, spec).toFloatArray());
        GaussianGrads a = cl.backward(g, spec, up), b = cl.backward(g, spec, up);
        assertArrayEquals(a.gradCoords().toFloatArray(), b.gradCoords().toFloatArray());
        assertArrayEquals(a.gradScale().toFloatArray(), b.gradScale().toFloatArray());
        assertArrayEquals(a.gradRotation().toFloatArray(), b.gradRotation().toFloatArray());
        assertArrayEquals(a.gradAmplitudes().toFloatArray(), b.gradAmplitudes().toFloatArray());
    }

    @Test
    void aGaussianWhollyOffTheFrameContributesNothing() {
        Gaussians g = new Gaussians(Tensor.of(new float[] {3.5f, 0f, 0f, -1e30f}, 1, 2, 2), Tensor.full(0.5, 1, 2, 2),
                Tensor.zeros(1, 2), Tensor.ones(1, 2, 2));
        RenderSpec spec = new RenderSpec(16, 16, 7);
        assertEquals(0.0, cl.forward(g, spec).abs().sum().item());
        GaussianGrads gr = cl.backward(g, spec, Tensor.ones(1, 2, 16, 16));
        for (Tensor t : new Tensor[] {gr.gradCoords(), gr.gradScale(), gr.gradRotation(), gr.gradAmplitudes()}) {
            assertEquals(0.0, t.abs().sum().item());
        }
    }

    @Test
    void centredGaussianPeaksAtOneTimesItsAmplitude() {
        Gaussians g = new Gaussians(Tensor.zeros(1, 1, 2), Tensor.full(0.5, 1, 1, 2), Tensor.zeros(1, 1),
                Tensor.of(new float[] {2f, -1f}, 1, 1, 2));
        Tensor img = cl.forward(g, new RenderSpec(15, 15, 15));
        assertEquals(2.0, img.get(0, 0, 7, 7), 1e-6);
        assertEquals(-1.0, img.get(0, 1, 7, 7), 1e-6);
        assertTrue(img.get(0, 0, 7, 8) < 2.0);
    }

    @Test
    void float64InputsRunTheDoublePrecisionDefinition() {
        Gaussians g = random(7, 1, 12, 2).to(DType.F64);
        RenderSpec spec = new RenderSpec(13, 11, 7);
        Tensor out = cl.forward(g, spec);
        assertEquals(DType.F64, out.dtype());
        assertArrayEquals(ref.forward(g, spec).toDoubleArray(), out.toDoubleArray());
    }

    @Test
    void listedByNameWhenADeviceExists() {
        assertEquals("opencl", cl.name());
        assertTrue(Renderers.names().contains("opencl"), Renderers.names().toString());
        assertEquals("fused", Renderers.names().get(0), "fused stays the default");
    }

    @Test
    void noGaussiansRenderABlackImage() {
        Gaussians g = new Gaussians(Tensor.zeros(2, 0, 2), Tensor.zeros(2, 0, 2), Tensor.zeros(2, 0), Tensor.zeros(2, 0, 3));
        RenderSpec spec = new RenderSpec(9, 10, 5);
        assertEquals(0.0, cl.forward(g, spec).abs().sum().item());
        assertEquals(0, cl.backward(g, spec, Tensor.ones(2, 3, 9, 10)).gradAmplitudes().numel());
    }
}
