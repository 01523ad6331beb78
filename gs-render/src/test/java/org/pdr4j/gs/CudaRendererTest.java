package org.pdr4j.gs;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pdr4j.gs.kernel.cuda.CudaSplat;
import org.pdr4j.gs.ref.RefDirectRenderer;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.backend.cuda.CudaContext;
import org.pdr4j.tensor.backend.cuda.CudaDriver;
import org.pdr4j.tensor.backend.cuda.NullCuApi;

/**
 * CudaRenderer below the driver (a {@link NullCuApi} whose "kernels" are the CPU reference
 * reading and writing the fake device memory: so which buffer goes where, the zeroing, the
 * downloads and the frees are checked), its registration, and, only where a CUDA driver exists,
 * the real kernels against {@link FusedRenderer}.
 */
class CudaRendererTest {
    private static float[] read(NullCuApi mem, Object ptr, int n) {
        float[] a = new float[n];
        MemorySegment.copy(mem.at((Long) ptr), JAVA_FLOAT, 0, a, 0, n);
        return a;
    }

    private static void write(NullCuApi mem, Object ptr, Tensor t) {
        float[] a = t.toFloatArray();
        MemorySegment.copy(a, 0, mem.at((Long) ptr), JAVA_FLOAT, 0, a.length);
    }

    /** A fake driver whose two kernels run RefDirectRenderer on the launch's own arguments. */
    static NullCuApi emulatedDriver() {
        Renderer ref = new RefDirectRenderer();
        NullCuApi api = new NullCuApi(1).signature(CudaSplat.FWD, CudaSplat.FWD_SIGNATURE).signature(CudaSplat.BWD, CudaSplat.BWD_SIGNATURE);
        api.emulate(CudaSplat.FWD, (l, mem) -> {
            List<Object> a = l.args().stream().map(x -> x.value()).toList();
            int n = (Integer) a.get(6), c = (Integer) a.get(7), h = (Integer) a.get(8), w = (Integer) a.get(9), k = (Integer) a.get(10);
            int p = l.geometry().gridX() / n;
            Gaussians g = gaussians(mem, a, p, n, c, k);
            float[] out = read(mem, a.get(5), p * c * h * w);
            for (float v : out) assertEquals(0f, v, "the output is zeroed before the launch");
            write(mem, a.get(5), ref.forward(g, new RenderSpec(h, w, k)));
        });
        api.emulate(CudaSplat.BWD, (l, mem) -> {
            List<Object> a = l.args().stream().map(x -> x.value()).toList();
            int n = (Integer) a.get(10), c = (Integer) a.get(11), h = (Integer) a.get(12), w = (Integer) a.get(13), k = (Integer) a.get(14);
            int p = l.geometry().gridX() / n;
            Gaussians g = gaussians(mem, a, p, n, c, k);
            Tensor up = Tensor.of(read(mem, a.get(5), p * c * h * w), p, c, h, w);
            GaussianGrads gr = ref.backward(g, new RenderSpec(h, w, k), up);
            for (int i = 6; i < 10; i++) for (float v : read(mem, a.get(i), 1)) assertEquals(0f, v, "gradients zeroed first");
            write(mem, a.get(6), gr.gradCoords());
            write(mem, a.get(7), gr.gradScale());
            write(mem, a.get(8), gr.gradRotation());
            write(mem, a.get(9), gr.gradAmplitudes());
        });
        return api;
    }

    private static Gaussians gaussians(NullCuApi mem, List<Object> a, int p, int n, int c, int k) {
        float[] grid = read(mem, a.get(4), k);
        for (int i = 0; i < k; i++) assertEquals(CudaSplat.grid(k)[i], grid[i], "the grid is uploaded");
        return new Gaussians(Tensor.of(read(mem, a.get(0), p * n * 2), p, n, 2), Tensor.of(read(mem, a.get(1), p * n * 2), p, n, 2),
                Tensor.of(read(mem, a.get(2), p * n), p, n), Tensor.of(read(mem, a.get(3), p * n * c), p, n, c));
    }

    @ParameterizedTest(name = "H={0} W={1} K={2} C={3} P={4} N={5}")
    @MethodSource("org.pdr4j.gs.FusedRendererTest#configs")
    void onAFakeDriverTheBuffersFlowWhereTheKernelsExpect(int h, int w, int k, int c, int p, int n) {
        NullCuApi api = emulatedDriver();
        Gaussians g = FusedRendererTest.random(7L * h + k, p, n, c);
        RenderSpec spec = new RenderSpec(h, w, k);
        Tensor up = Tensor.rand(5, p, c, h, w).sub(0.5);
        Renderer ref = new RefDirectRenderer();
        try (CudaContext ctx = CudaContext.open(new CudaDriver(api), 0)) {
            CudaRenderer r = new CudaRenderer(ctx);
            assertEquals("cuda", r.name());
            FusedRendererTest.assertClose(ref.forward(g, spec), r.forward(g, spec), 0, 0, "forward");
            GaussianGrads want = ref.backward(g, spec, up), got = r.backward(g, spec, up);
            FusedRendererTest.assertClose(want.gradCoords(), got.gradCoords(), 0, 0, "gradCoords");
            FusedRendererTest.assertClose(want.gradScale(), got.gradScale(), 0, 0, "gradScale");
            FusedRendererTest.assertClose(want.gradRotation(), got.gradRotation(), 0, 0, "gradRotation");
            FusedRendererTest.assertClose(want.gradAmplitudes(), got.gradAmplitudes(), 0, 0, "gradAmplitudes");
            assertEquals(0, api.liveBytes(), "device memory is freed after each call");
        }
        var launches = api.launches();
        assertEquals(List.of(CudaSplat.FWD, CudaSplat.BWD), launches.stream().map(NullCuApi.Launch::entry).toList());
        assertEquals(CudaSplat.geometry((long) p * n, k), launches.get(0).geometry());
        assertEquals(CudaSplat.geometry((long) p * n, k), launches.get(1).geometry());
        assertTrue(api.calls().indexOf("cuCtxSynchronize") > api.calls().indexOf("cuLaunchKernel"));
        assertEquals(0, api.retainedContexts());
    }

    @Test
    void float64InputsStayOnTheCpu() {
        NullCuApi api = emulatedDriver();
        Gaussians g = FusedRendererTest.random(3, 1, 5, 2).to(DType.F64);
        try (CudaContext ctx = CudaContext.open(new CudaDriver(api), 0)) {
            Tensor out = new CudaRenderer(ctx).forward(g, new RenderSpec(9, 9, 7));
            assertEquals(DType.F64, out.dtype());
        }
        assertTrue(api.launches().isEmpty());
    }

    @Test
    void withoutADriverCudaIsNotListedAndTheDeviceFallsBackToFused() {
        assumeFalse(CudaRenderer.available(), "a CUDA renderer is available here");
        assertFalse(Renderers.names().contains("cuda"));
        String why = CudaRenderer.unavailableReason();
        assertTrue(why != null && !why.contains("\n"), why);
        // By name it says why; as the chosen device it falls back, as Backends does.
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> Renderers.byName("cuda"));
        assertEquals(why, e.getMessage());
        assertEquals("fused", Renderers.forDevice(org.pdr4j.tensor.backend.Device.parse("cuda:0")).name());
        assertEquals("fused", Renderers.forDevice(org.pdr4j.tensor.backend.Device.parse("cuda:3")).name());
    }

    /** Only where a CUDA driver and device exist: the real kernels against the CPU renderer. */
    @ParameterizedTest(name = "H={0} W={1} K={2} C={3} P={4} N={5}")
    @MethodSource("org.pdr4j.gs.FusedRendererTest#configs")
    void onAGpuMatchesFused(int h, int w, int k, int c, int p, int n) {
        assumeTrue(CudaRenderer.available(), () -> "no CUDA renderer here: " + CudaRenderer.unavailableReason());
        Renderer gpu = Renderers.byName("cuda"), cpu = new FusedRenderer();
        assertEquals("cuda", gpu.name());
        Gaussians g = FusedRendererTest.random(11L * h + k, p, n, c);
        RenderSpec spec = new RenderSpec(h, w, k);
        Tensor up = Tensor.rand(13, p, c, h, w).sub(0.5);
        FusedRendererTest.assertClose(cpu.forward(g, spec), gpu.forward(g, spec), 1e-5, 1e-5, "forward");
        GaussianGrads want = cpu.backward(g, spec, up), got = gpu.backward(g, spec, up);
        for (var pair : List.of(List.of(want.gradCoords(), got.gradCoords()), List.of(want.gradScale(), got.gradScale()),
                List.of(want.gradRotation(), got.gradRotation()), List.of(want.gradAmplitudes(), got.gradAmplitudes()))) {
            double max = 0;
            for (double v : pair.get(0).toDoubleArray()) max = Math.max(max, Math.abs(v));
            FusedRendererTest.assertClose(pair.get(0), pair.get(1), 2e-5 * max + 1e-6, 1e-3, "gradients");
        }
    }
}
