package org.pdr4j.models.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.pdr4j.gs.Gaussians;
import org.pdr4j.gs.RenderSpec;
import org.pdr4j.gs.Renderer;
import org.pdr4j.gs.Renderers;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.io.AtomicFiles;
import org.pdr4j.tensor.io.Npy;
import org.pdr4j.tensor.io.NpyDType;
import org.pdr4j.tensor.io.NpyInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pdr render}: Gaussians from an {@code .npz} to a {@code [P, C, H, W]} float32
 * {@code .npy}, and optionally a PNG of the frames (see {@link Png}). The outputs are written
 * together and atomically: after a failure neither exists (an older file of the same name is
 * left as it was).
 */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = {
            "Render 2D Gaussians to a float32 [P, C, H, W] .npy and, optionally, a PNG.",
            "",
            "The --gaussians .npz (e.g. from np.savez) holds float32 arrays",
            "  coords [P, N, 2], scale [P, N, 2], rotation [P, N], amplitudes [P, N, C].",
            "The PNG shows the P frames side by side: grey for C = 1, RGB for C = 3,",
            "otherwise one grey row per channel. Values are clamped to [0, 1] unless",
            "--normalize is given.",
        })
public final class RenderCommand implements Callable<Integer> {
    /** The arrays a Gaussians file must hold, in {@link Gaussians}' order. */
    static final List<String> KEYS = List.of("coords", "scale", "rotation", "amplitudes");

    @Spec
    private CommandSpec spec;

    /** Finds a renderer by name; tests replace it. */
    Function<String, Renderer> renderers = Renderers::byName;

    @Option(names = "--gaussians", required = true, paramLabel = "FILE.npz",
            description = "Input: float32 coords, scale, rotation, amplitudes.")
    Path gaussians;

    @Option(names = "--height", required = true, paramLabel = "H", description = "Image height in pixels (>= K).")
    int height;

    @Option(names = "--width", required = true, paramLabel = "W", description = "Image width in pixels (>= K).")
    int width;

    @Option(names = "--kernel", required = true, paramLabel = "K",
            description = "Kernel size: each Gaussian is sampled on a K x K grid (1 <= K <= H, W).")
    int kernel;

    @Option(names = "--out", required = true, paramLabel = "FILE.npy", description = "Output: the float32 [P, C, H, W] images.")
    Path out;

    @Option(names = "--png", paramLabel = "FILE.png", description = "Also write the frames as a PNG.")
    Path png;

    @Option(names = "--impl", defaultValue = "fused", paramLabel = "NAME", completionCandidates = RendererNames.class,
            description = "Renderer: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String impl;

    @Option(names = "--normalize",
            description = "PNG: map the image's min..max to black..white instead of clamping to [0, 1].")
    boolean normalize;

    @Override
    public Integer call() throws IOException {
        if (png != null && png.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("--out and --png name the same output file: " + out);
        }
        RenderSpec renderSpec = new RenderSpec(height, width, kernel);
        Renderer renderer = renderers.apply(impl);
        Gaussians g = load(gaussians);

        long t0 = System.nanoTime();
        Tensor image = renderer.forward(g, renderSpec).to(DType.F32);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Shape want = Shape.of(g.frames(), g.channels(), height, width);
        if (!image.shape().equals(want)) {
            throw new IllegalStateException("renderer " + renderer.name() + " returned " + image.shape() + ", expected " + want);
        }

        // Everything that can fail on bad input happens before the first byte is written.
        Map<Path, AtomicFiles.Body> outputs = new LinkedHashMap<>();
        outputs.put(out, o -> Npy.write(o, image));
        BufferedImage picture = null;
        if (png != null) {
            picture = Png.tile(image, normalize);
            byte[] bytes = Png.encode(picture);
            outputs.put(png, o -> o.write(bytes));
        }
        AtomicFiles.writeAll(outputs);

        PrintWriter w = spec.commandLine().getOut();
        w.printf("rendered %d frame(s) of %d Gaussians, %d channel(s), with %s in %.3f s%n",
                g.frames(), g.count(), g.channels(), renderer.name(), seconds);
        w.printf("wrote %s: float32 %s%n", out, image.shape());
        if (picture != null) w.printf("wrote %s: %d x %d pixels%n", png, picture.getWidth(), picture.getHeight());
        w.flush();
        return PdrCli.EXIT_OK;
    }

    /** The four float32 arrays of {@code file}, checked by {@link Gaussians}. */
    static Gaussians load(Path file) throws IOException {
        Map<String, NpyInfo> infos = new LinkedHashMap<>();
        for (NpyInfo info : Npy.inspectNpz(file)) infos.put(info.name(), info);
        for (String key : KEYS) {
            NpyInfo info = infos.get(key);
            if (info == null) {
                throw new IllegalArgumentException(file + ": no array '" + key + "' (arrays present: "
                        + (infos.isEmpty() ? "none" : String.join(", ", infos.keySet())) + "; a Gaussians file needs "
                        + String.join(", ", KEYS) + ")");
            }
            if (info.dtype() != NpyDType.FLOAT32) {
                throw new IllegalArgumentException(file + "['" + key + "'] must be float32, got " + info.dtypeName()
                        + " (convert with .astype(np.float32))");
            }
        }
        Map<String, Tensor> a = Npy.readNpz(file, KEYS);
        try {
            return new Gaussians(a.get("coords"), a.get("scale"), a.get("rotation"), a.get("amplitudes"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** {@code --impl} values for the help text. */
    static final class RendererNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Renderers.names().iterator();
        }
    }
}
