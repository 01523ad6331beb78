package org.pdr4j.gs.kernel.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pdr4j.gs.RenderSpec;
import org.pdr4j.gs.SplatGeometry;
import org.pdr4j.tensor.backend.cuda.KernelArgs;
import org.pdr4j.tensor.backend.cuda.LaunchGeometry;
import org.pdr4j.tensor.backend.cuda.Ptx;

/** The launch plan and the PTX it launches, without a GPU; the ptxas check runs wherever ptxas is on PATH. */
class CudaSplatTest {
    @Test
    void blockIsTheFootprintInWholeWarpsUpTo256() {
        assertEquals(32, CudaSplat.blockSize(1));     // 4 pixels
        assertEquals(64, CudaSplat.blockSize(7));     // 64
        assertEquals(96, CudaSplat.blockSize(8));     // 81
        assertEquals(256, CudaSplat.blockSize(15));   // 256
        assertEquals(256, CudaSplat.blockSize(51));   // 2704
    }

    /** The paper's settings (TaxiBJ/WeatherBench K=15 N=300, KTH/Human3.6M K=51 N=400) and odd ones. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 6, 7, 8, 15, 16, 31, 51, 101})
    void everyFootprintPixelGetsExactlyOneThread(int k) {
        for (long gaussians : new long[] {1, 300, 16L * 10 * 400, 64_000}) {
            LaunchGeometry g = CudaSplat.geometry(gaussians, k);
            long footprint = (long) (k + 1) * (k + 1), perGaussian = (long) g.gridY() * g.blockX();
            assertEquals(gaussians, g.gridX());
            assertTrue(perGaussian >= footprint && perGaussian - footprint < g.blockX(), k + ": " + g);
            assertEquals(0, g.blockX() % LaunchGeometry.WARP, "backward reduces over whole warps");
            assertEquals(1, g.gridZ());
            assertEquals(0, g.sharedBytes());
        }
    }

    @Test
    void tooLargeLaunchesSayWhy() {
        assertThrows(IllegalArgumentException.class, () -> CudaSplat.geometry(0, 15));
        assertThrows(IllegalArgumentException.class, () -> CudaSplat.geometry(1L << 31, 15));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CudaSplat.geometry(1, 5000));
        assertTrue(e.getMessage().startsWith("K = 5000 needs"), e.getMessage());
    }

    @Test
    void gridIsTheCpuRenderersGrid() {
        for (int k : new int[] {1, 7, 8, 15, 51}) {
            double[] want = SplatGeometry.grid(k);
            float[] got = CudaSplat.grid(k);
            for (int i = 0; i < k; i++) assertEquals((float) want[i], got[i]);
        }
        assertArrayEquals(new float[] {-5, 0, 5}, CudaSplat.grid(3));
    }

    @Test
    void argumentsFollowTheKernelSignatures() {
        CudaSplat.Inputs in = new CudaSplat.Inputs(10, 20, 30, 40, 50);
        RenderSpec spec = new RenderSpec(32, 48, 15);
        KernelArgs f = CudaSplat.forwardArgs(in, 60, 300, 3, spec);
        assertEquals(CudaSplat.FWD_SIGNATURE, f.kinds());
        assertEquals(List.of(10L, 20L, 30L, 40L, 50L, 60L, 300, 3, 32, 48, 15), f.args().stream().map(KernelArgs.Arg::value).toList());
        KernelArgs b = CudaSplat.backwardArgs(in, 60, 70, 80, 90, 100, 300, 3, spec);
        assertEquals(CudaSplat.BWD_SIGNATURE, b.kinds());
        assertEquals(List.of(10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L, 100L, 300, 3, 32, 48, 15),
                b.args().stream().map(KernelArgs.Arg::value).toList());
    }

    static String ptx() {
        return Ptx.resource(CudaSplatTest.class, CudaSplat.PTX_RESOURCE);
    }

    @Test
    void thePtxResourceHoldsBothEntries() {
        String ptx = ptx();
        assertEquals(List.of(CudaSplat.FWD, CudaSplat.BWD), Ptx.entries(ptx));
        assertEquals("sm_80", Ptx.target(ptx));
        assertTrue(ptx.contains(".address_size 64"));
        // Which copy is on the class path: nvcc's (profile nvcc) or the committed one.
        boolean built = CudaSplatTest.class.getResource(CudaSplat.PTX_RESOURCE + ".origin") != null;
        System.out.println("predgsplat.ptx on the class path: " + (built ? "built by nvcc in this build" : "the committed copy"));
    }

    /** The entries' .param lists match the signatures the launcher packs (u64 pointers, u32 ints). */
    @Test
    void ptxParametersMatchTheSignatures() {
        String ptx = ptx();
        assertEquals(kinds(CudaSplat.FWD_SIGNATURE), params(ptx, CudaSplat.FWD));
        assertEquals(kinds(CudaSplat.BWD_SIGNATURE), params(ptx, CudaSplat.BWD));
    }

    private static List<String> kinds(List<KernelArgs.Kind> sig) {
        return sig.stream().map(k -> switch (k) {
            case PTR -> ".u64";
            case I32 -> ".u32";
            case F32 -> ".f32";
        }).toList();
    }

    private static List<String> params(String ptx, String entry) {
        int at = ptx.indexOf(".entry " + entry + "(");
        String head = ptx.substring(at, ptx.indexOf(')', at));
        Matcher m = Pattern.compile("\\.param\\s+(\\.\\w+)").matcher(head);
        List<String> out = new ArrayList<>();
        while (m.find()) out.add(m.group(1));
        return out;
    }

    /** The .cu source declares the same two extern "C" kernels the PTX holds (the committed PTX is not stale in name). */
    @Test
    void theSourceDeclaresTheEntries() throws IOException {
        String cu = Files.readString(Path.of("src/main/cuda/predgsplat.cu"));
        Matcher m = Pattern.compile("extern \"C\" __global__ void (\\w+)\\(").matcher(cu);
        List<String> names = new ArrayList<>();
        while (m.find()) names.add(m.group(1));
        assertEquals(Ptx.entries(ptx()), names);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sm_80", "sm_90"})
    void ptxasAssemblesThePtx(String arch) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(CudaKernelHostTest.onPath("ptxas"), "ptxas is not on PATH");
        Path dir = Files.createDirectories(Path.of("target", "ptxas"));
        Path src = dir.resolve("predgsplat.ptx"), out = dir.resolve("predgsplat_" + arch + ".cubin");
        Files.writeString(src, ptx());
        Process p = new ProcessBuilder("ptxas", "-arch=" + arch, "-v", "-o", out.toString(), src.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "ptxas -arch=" + arch + " failed:\n" + log);
        assertTrue(Files.size(out) > 0);
        assertTrue(log.contains("predgsplat_fwd") && log.contains("predgsplat_bwd"), log);
        System.out.println(log);
    }
}
