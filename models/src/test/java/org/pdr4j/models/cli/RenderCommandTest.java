package org.pdr4j.models.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdr4j.gs.GaussianGrads;
import org.pdr4j.gs.Gaussians;
import org.pdr4j.gs.RenderSpec;
import org.pdr4j.gs.Renderer;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.io.Npy;
import picocli.CommandLine;

class RenderCommandTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    /**
     * Stands in for a real renderer: every pixel of frame p, channel c is amplitudes[p, 0, c],
     * so the tests can predict the PNG.
     */
    static final class FlatRenderer implements Renderer {
        @Override
        public String name() {
            return "flat";
        }

        @Override
        public Tensor forward(Gaussians g, RenderSpec spec) {
            Tensor first = g.amplitudes().narrow(1, 0, 1).reshape(g.frames(), g.channels(), 1, 1);
            return first.expand(g.frames(), g.channels(), spec.height(), spec.width()).copy();
        }

        @Override
        public GaussianGrads backward(Gaussians g, RenderSpec spec, Tensor gradImage) {
            throw new UnsupportedOperationException("not needed by render");
        }
    }

    /** Runs pdr with the flat renderer behind every --impl name (null: the real renderers). */
    private static Result run(Renderer fake, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = PdrCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        if (fake != null) {
            RenderCommand render = cl.getSubcommands().get("render").getCommand();
            render.renderers = name -> fake;
        }
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private static Result runFlat(String... args) {
        return run(new FlatRenderer(), args);
    }

    /** Valid float32 Gaussians: P frames, N Gaussians, C channels; amplitudes[p, n, c] = (p + 1) * (c + 1) / 10. */
    private static Map<String, Tensor> gaussians(int p, int n, int c) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("coords", Tensor.rand(1, p, n, 2).mul(2).sub(1));
        m.put("scale", Tensor.rand(2, p, n, 2).mul(0.5).add(0.1));
        m.put("rotation", Tensor.rand(3, p, n).sub(0.5));
        float[] amp = new float[p * n * c];
        for (int i = 0; i < p; i++) for (int j = 0; j < n; j++) for (int k = 0; k < c; k++) amp[(i * n + j) * c + k] = (i + 1) * (k + 1) / 10f;
        m.put("amplitudes", Tensor.of(amp, p, n, c));
        return m;
    }

    private Path writeGaussians(Map<String, Tensor> arrays) throws IOException {
        Path g = dir.resolve("g.npz");
        Npy.writeNpz(g, arrays);
        return g;
    }

    private String[] args(Path g, int h, int w, int k, String... more) {
        List<String> a = new ArrayList<>(List.of("render", "--gaussians", g.toString(), "--height", "" + h, "--width", "" + w,
                "--kernel", "" + k, "--out", dir.resolve("img.npy").toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    /** A failed run: exit 1, one line "pdr: ..." containing {@code part}, and no output file left behind. */
    private void assertFailsCleanly(Result r, String part) throws IOException {
        assertEquals(PdrCli.EXIT_FAILURE, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.errLines().get(0).startsWith("pdr: ") && r.err().contains(part), r.err());
        try (var files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertTrue(names.stream().noneMatch(n -> n.startsWith("img") || n.endsWith(".tmp")), "left behind: " + names);
        }
    }

    // ---------------------------------------------------------------- happy paths

    @Test
    void writesNpyOfShapePCHWAndAPngOfFramesSideBySide() throws IOException {
        Path g = writeGaussians(gaussians(2, 3, 1));
        Path png = dir.resolve("img.png");
        Result r = runFlat(args(g, 8, 6, 3, "--png", png.toString()));
        assertEquals(PdrCli.EXIT_OK, r.code(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().contains("wrote " + dir.resolve("img.npy") + ": float32 [2, 1, 8, 6]"), r.out());
        assertTrue(r.out().contains("12 x 8 pixels"), r.out());

        Tensor img = Npy.read(dir.resolve("img.npy"));
        assertEquals(DType.F32, img.dtype());
        assertEquals(Shape.of(2, 1, 8, 6), img.shape());
        assertEquals(0.1, img.get(0, 0, 7, 5), 1e-6);
        assertEquals(0.2, img.get(1, 0, 0, 0), 1e-6);

        BufferedImage pic = ImageIO.read(png.toFile());
        assertEquals(12, pic.getWidth());
        assertEquals(8, pic.getHeight());
        assertEquals(Math.round(0.1f * 255), pic.getRaster().getSample(0, 0, 0));
        assertEquals(Math.round(0.2f * 255), pic.getRaster().getSample(11, 7, 0));
    }

    @Test
    void threeChannelsAreRgbAndOtherCountsAGreyRowPerChannel() throws IOException {
        Path g = writeGaussians(gaussians(2, 1, 3));
        Path png = dir.resolve("img.png");
        assertEquals(PdrCli.EXIT_OK, runFlat(args(g, 4, 5, 1, "--png", png.toString())).code());
        BufferedImage rgb = ImageIO.read(png.toFile());
        assertEquals(10, rgb.getWidth());
        assertEquals(4, rgb.getHeight());
        int px = rgb.getRGB(6, 2); // frame 1: amplitudes 0.2, 0.4, 0.6
        assertArrayEquals(new int[] {51, 102, 153}, new int[] {px >> 16 & 0xff, px >> 8 & 0xff, px & 0xff});

        writeGaussians(gaussians(3, 1, 2));
        assertEquals(PdrCli.EXIT_OK, runFlat(args(g, 4, 5, 1, "--png", png.toString())).code());
        BufferedImage rows = ImageIO.read(png.toFile());
        assertEquals(15, rows.getWidth());
        assertEquals(8, rows.getHeight());
        assertEquals(Math.round(0.3f * 255), rows.getRaster().getSample(12, 1, 0)); // frame 2, channel 0
        assertEquals(Math.round(0.6f * 255), rows.getRaster().getSample(12, 5, 0)); // frame 2, channel 1
    }

    @Test
    void normalizeStretchesMinToMax() throws IOException {
        Path g = writeGaussians(gaussians(2, 1, 1));
        Path png = dir.resolve("img.png");
        assertEquals(PdrCli.EXIT_OK, runFlat(args(g, 2, 2, 1, "--png", png.toString(), "--normalize")).code());
        BufferedImage pic = ImageIO.read(png.toFile());
        assertEquals(0, pic.getRaster().getSample(0, 0, 0));
        assertEquals(255, pic.getRaster().getSample(3, 1, 0));
    }

    @Test
    void theRealDefaultRendererRuns() throws IOException {
        Path g = writeGaussians(gaussians(2, 4, 3));
        Result r = run(null, args(g, 16, 12, 5));
        assertEquals(PdrCli.EXIT_OK, r.code(), r.err());
        Tensor img = Npy.read(dir.resolve("img.npy"));
        assertEquals(Shape.of(2, 3, 16, 12), img.shape());
        assertTrue(img.abs().sum().item() > 0, "the image should not be blank");
    }

    @Test
    void helpSaysHowValuesAreShown() {
        Result r = run(null, "render", "--help");
        assertEquals(PdrCli.EXIT_OK, r.code(), r.err());
        assertTrue(r.out().contains("clamped to [0, 1]") && r.out().contains("--normalize"), r.out());
        assertTrue(r.out().contains("fused") && r.out().contains("base_grid"), r.out());
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void missingKeyIsNamed() throws IOException {
        Map<String, Tensor> m = gaussians(1, 2, 1);
        m.remove("rotation");
        Path g = writeGaussians(m);
        Result r = runFlat(args(g, 8, 8, 3));
        assertFailsCleanly(r, "no array 'rotation' (arrays present: coords, scale, amplitudes");
    }

    @Test
    void float64CoordsAreTheWrongDtype() throws IOException {
        Map<String, Tensor> m = gaussians(1, 2, 1);
        m.put("coords", m.get("coords").to(DType.F64));
        Path g = writeGaussians(m);
        assertFailsCleanly(runFlat(args(g, 8, 8, 3)), "['coords'] must be float32, got float64");
    }

    @Test
    void wrongShapeGetsTheGaussiansMessage() throws IOException {
        Map<String, Tensor> m = gaussians(2, 3, 1);
        m.put("coords", Tensor.zeros(2, 3, 3));
        Path g = writeGaussians(m);
        assertFailsCleanly(runFlat(args(g, 8, 8, 3)), "g.npz: coords must be [P, N, 2] = [2, 3, 2] (P and N from amplitudes), got [2, 3, 3]");
    }

    @Test
    void truncatedNpzIsReported() throws IOException {
        Path g = writeGaussians(gaussians(2, 3, 1));
        byte[] all = Files.readAllBytes(g);
        Files.write(g, java.util.Arrays.copyOf(all, all.length - 40));
        assertFailsCleanly(runFlat(args(g, 8, 8, 3)), "truncated");
    }

    @Test
    void missingGaussiansFileIsReported() throws IOException {
        assertFailsCleanly(runFlat(args(dir.resolve("none.npz"), 8, 8, 3)), "none.npz: no such file");
    }

    @Test
    void kernelLargerThanTheFrameIsRefused() throws IOException {
        Path g = writeGaussians(gaussians(1, 2, 1));
        assertFailsCleanly(runFlat(args(g, 4, 8, 5)), "the frame must be at least K x K: H=4, W=8, K=5");
    }

    @Test
    void unknownRendererListsTheKnownOnes() throws IOException {
        Path g = writeGaussians(gaussians(1, 2, 1));
        assertFailsCleanly(run(null, args(g, 8, 8, 3, "--impl", "magic")), "unknown renderer 'magic'");
    }

    @Test
    void missingRequiredOptionIsAUsageError() {
        Result r = runFlat("render", "--height", "8");
        assertEquals(PdrCli.EXIT_USAGE, r.code());
        assertTrue(r.errLines().get(0).startsWith("pdr: Missing required option"), r.err());
    }

    // ---------------------------------------------------------------- all or nothing

    @Test
    void whenThePngCannotBeWrittenTheNpyIsNotLeftEither() throws IOException {
        Path g = writeGaussians(gaussians(1, 2, 1));
        Result r = runFlat(args(g, 8, 8, 3, "--png", dir.resolve("no/such/dir/img.png").toString()));
        assertFailsCleanly(r, "does not exist");
        assertFalse(Files.exists(dir.resolve("img.npy")));
    }

    @Test
    void sameFileForNpyAndPngIsRefused() throws IOException {
        Path g = writeGaussians(gaussians(1, 2, 1));
        assertFailsCleanly(runFlat(args(g, 8, 8, 3, "--png", dir.resolve("img.npy").toString())), "the same output file");
    }

    @Test
    void aFailedRunLeavesAnEarlierOutputAlone() throws IOException {
        Path g = writeGaussians(gaussians(1, 2, 1));
        assertEquals(PdrCli.EXIT_OK, runFlat(args(g, 8, 8, 3)).code());
        byte[] before = Files.readAllBytes(dir.resolve("img.npy"));
        Result r = runFlat(args(g, 8, 8, 9));
        assertEquals(PdrCli.EXIT_FAILURE, r.code());
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("img.npy")));
    }
}
