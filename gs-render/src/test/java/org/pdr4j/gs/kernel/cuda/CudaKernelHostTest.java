package org.pdr4j.gs.kernel.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pdr4j.gs.FusedRenderer;
import org.pdr4j.gs.FusedRendererTest;
import org.pdr4j.gs.GaussianGrads;
import org.pdr4j.gs.Gaussians;
import org.pdr4j.gs.RenderSpec;
import org.pdr4j.gs.Renderer;
import org.pdr4j.gs.ref.RefDirectRenderer;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.backend.cuda.LaunchGeometry;

/**
 * The CUDA kernels' arithmetic without a GPU: src/test/cuda/predgsplat_emu.cpp builds the same
 * {@code pg_fwd_thread} / {@code pg_bwd_thread} functions the kernels call (predgsplat.cuh)
 * with g++, runs them over the launch grid {@link CudaSplat#geometry} plans, and the results
 * are compared with the CPU renderers. What this cannot see: the {@code __global__} wrappers'
 * index mapping, warp shuffles and atomics, which only a GPU runs (CudaRendererTest).
 * Skips where g++ is absent.
 */
class CudaKernelHostTest {
    static Path emulator;

    @BeforeAll
    static void build() throws Exception {
        assumeTrue(onPath("g++"), "g++ is not on PATH: the host build of the CUDA kernels' maths is skipped");
        Path dir = Path.of("target", "cuda-host");
        Files.createDirectories(dir);
        emulator = dir.resolve("predgsplat_emu");
        Process p = new ProcessBuilder("g++", "-O1", "-std=c++17", "-Wall", "-Wextra", "-Werror", "-I", "src/main/cuda",
                "src/test/cuda/predgsplat_emu.cpp", "-o", emulator.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "g++ failed:\n" + log);
    }

    static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String d : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, exe))) return true;
        }
        return false;
    }

    static Stream<Arguments> configs() {
        // H, W, K, C, P, N: odd/even sizes and K, C = 1..5, the paper's K = 15 and 51
        return Stream.of(
                Arguments.of(16, 16, 7, 1, 1, 20),
                Arguments.of(17, 12, 6, 2, 3, 25),
                Arguments.of(32, 32, 15, 3, 2, 40),
                Arguments.of(51, 60, 51, 5, 1, 12),
                Arguments.of(9, 8, 8, 3, 4, 10),
                Arguments.of(7, 7, 7, 1, 2, 6),
                Arguments.of(20, 31, 1, 2, 2, 30));
    }

    static float[] run(int mode, Gaussians g, RenderSpec spec, Tensor gradImage, int outFloats) throws Exception {
        int p = g.frames(), n = g.count(), c = g.channels();
        LaunchGeometry geo = CudaSplat.geometry((long) p * n, spec.kernel());
        List<float[]> in = new java.util.ArrayList<>(List.of(g.coords().toFloatArray(), g.scale().toFloatArray(),
                g.rotation().toFloatArray(), g.amplitudes().toFloatArray(), CudaSplat.grid(spec.kernel())));
        if (gradImage != null) in.add(gradImage.toFloatArray());
        int floats = in.stream().mapToInt(a -> a.length).sum();
        ByteBuffer b = ByteBuffer.allocate(9 * 4 + floats * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : new int[] {mode, p, n, c, spec.height(), spec.width(), spec.kernel(), geo.gridY(), geo.blockX()}) b.putInt(v);
        for (float[] a : in) for (float v : a) b.putFloat(v);
        Process proc = new ProcessBuilder(emulator.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (InputStream s = proc.getInputStream()) {
                s.transferTo(out);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try (OutputStream os = proc.getOutputStream()) {
            os.write(b.array());
        }
        reader.join();
        assertEquals(true, proc.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, proc.exitValue());
        ByteBuffer r = ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(outFloats * 4, r.remaining(), "emulator output size");
        float[] res = new float[outFloats];
        r.asFloatBuffer().get(res);
        return res;
    }

    static void assertClose(Tensor want, float[] got, double atol, double rtol, String what) {
        double[] a = want.toDoubleArray();
        assertEquals(a.length, got.length, what);
        for (int i = 0; i < a.length; i++) {
            if (!(Math.abs(a[i] - got[i]) <= atol + rtol * Math.abs(a[i]))) {
                throw new AssertionError(what + " element " + i + ": want " + a[i] + " got " + got[i]);
            }
        }
    }

    /** Gradients: element-wise rtol plus mtol times the largest magnitude (sums over up to (K+1)^2 pixels). */
    static void assertGrad(Tensor want, float[] got, String what) {
        double max = 0;
        for (double v : want.toDoubleArray()) max = Math.max(max, Math.abs(v));
        assertClose(want, got, 2e-5 * max + 1e-6, 1e-3, what);
    }

    private final Renderer fused = new FusedRenderer();
    private final Renderer ref = new RefDirectRenderer();

    @ParameterizedTest(name = "H={0} W={1} K={2} C={3} P={4} N={5}")
    @MethodSource("configs")
    void forwardMatchesTheCpuRenderers(int h, int w, int k, int c, int p, int n) throws Exception {
        Gaussians g = FusedRendererTest.random(31L * h + w + k, p, n, c);
        RenderSpec spec = new RenderSpec(h, w, k);
        float[] got = run(0, g, spec, null, p * c * h * w);
        assertClose(ref.forward(g, spec), got, 1e-5, 1e-5, "forward vs ref");
        assertClose(fused.forward(g, spec), got, 1e-5, 1e-5, "forward vs fused");
    }

    @ParameterizedTest(name = "H={0} W={1} K={2} C={3} P={4} N={5}")
    @MethodSource("configs")
    void backwardMatchesTheCpuRenderers(int h, int w, int k, int c, int p, int n) throws Exception {
        Gaussians g = FusedRendererTest.random(17L * h + w + k, p, n, c);
        RenderSpec spec = new RenderSpec(h, w, k);
        Tensor up = Tensor.rand(99 + k, p, c, h, w).sub(0.5);
        float[] got = run(1, g, spec, up, p * n * (5 + c));
        GaussianGrads want = ref.backward(g, spec, up);
        int o = 0;
        assertGrad(want.gradCoords(), java.util.Arrays.copyOfRange(got, o, o += p * n * 2), "gradCoords");
        assertGrad(want.gradScale(), java.util.Arrays.copyOfRange(got, o, o += p * n * 2), "gradScale");
        assertGrad(want.gradRotation(), java.util.Arrays.copyOfRange(got, o, o += p * n), "gradRotation");
        assertGrad(want.gradAmplitudes(), java.util.Arrays.copyOfRange(got, o, o + p * n * c), "gradAmplitudes");
    }
}
