package org.pdr4j.models.viz;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.pdr4j.tensor.Tensor;

/**
 * A PNG strip per sample: one row each for input, truth and (when given) prediction, every row the
 * clip's frames left to right with a 1-pixel grey gap between frames and rows. One channel is grey,
 * three are RGB, any other count shows channel 0. Values are clamped to [0, 1]. With labels, a left
 * margin names each row ("input", "truth", "pred") in a built-in pixel font. Several samples stack
 * downwards with a 3-pixel gap.
 *
 * <p>Size of one sample without labels: width {@code n*(W+1)-1} for {@code n = max(Tin, Tout)},
 * height {@code r*(H+1)-1} for {@code r} rows (2 or 3).
 */
public final class Strips {
    private static final String[] NAMES = {"input", "truth", "pred"};
    private static final int SAMPLE_GAP = 3;

    private Strips() {}

    /**
     * The strip of one sample: {@code input [Tin, C, H, W]}, {@code truth [Tout, C, H, W]},
     * {@code prediction [Tout, C, H, W]} or null.
     */
    public static BufferedImage strip(Tensor input, Tensor truth, Tensor prediction, boolean labels) {
        if (input.rank() != 4) throw new IllegalArgumentException("viz: input must be [Tin, C, H, W], got " + input.shape());
        int c = input.size(1), h = input.size(2), w = input.size(3);
        float[] in = Canvas.values("input", input, -1, c, h, w);
        float[] tr = Canvas.values("truth", truth, -1, c, h, w);
        float[] pr = prediction == null ? null : Canvas.values("prediction", prediction, truth.size(0), c, h, w);
        return strip(in, input.size(0), tr, pr, truth.size(0), c, h, w, labels);
    }

    /**
     * The strips of the first {@code maxSamples} samples of a batch, stacked: {@code input
     * [B, Tin, C, H, W]}, {@code truth [B, Tout, C, H, W]}, {@code prediction} like truth or null.
     */
    public static BufferedImage batch(Tensor input, Tensor truth, Tensor prediction, int maxSamples, boolean labels) {
        if (input.rank() != 5 || truth.rank() != 5 || truth.size(0) != input.size(0)) {
            throw new IllegalArgumentException("viz: input and truth must be [B, T, C, H, W] with the same B, got " + input.shape() + " and " + truth.shape());
        }
        if (prediction != null && !prediction.shape().equals(truth.shape())) {
            throw new IllegalArgumentException("viz: prediction must be shaped like truth " + truth.shape() + ", got " + prediction.shape());
        }
        if (maxSamples < 1) throw new IllegalArgumentException("viz: maxSamples must be >= 1, got " + maxSamples);
        int b = Math.min(maxSamples, input.size(0));
        List<float[][]> samples = new ArrayList<>();
        for (int s = 0; s < b; s++) {
            samples.add(new float[][] {
                input.narrow(0, s, 1).toFloatArray(), truth.narrow(0, s, 1).toFloatArray(),
                prediction == null ? null : prediction.narrow(0, s, 1).toFloatArray()});
        }
        int tin = input.size(1), tout = truth.size(1), c = input.size(2), h = input.size(3), w = input.size(4);
        if (truth.size(2) != c || truth.size(3) != h || truth.size(4) != w) {
            throw new IllegalArgumentException("viz: input " + input.shape() + " and truth " + truth.shape() + " differ in [C, H, W]");
        }
        return render(samples, tin, tout, c, h, w, labels);
    }

    /** The strip of one sample from row-major float arrays ({@code prediction} may be null). */
    public static BufferedImage strip(float[] input, int tin, float[] truth, float[] prediction, int tout, int c, int h, int w, boolean labels) {
        List<float[][]> one = new ArrayList<>();
        one.add(new float[][] {input, truth, prediction});
        return render(one, tin, tout, c, h, w, labels);
    }

    private static BufferedImage render(List<float[][]> samples, int tin, int tout, int c, int h, int w, boolean labels) {
        for (float[][] s : samples) {
            Canvas.checkLength("input", s[0], tin, c, h, w);
            Canvas.checkLength("truth", s[1], tout, c, h, w);
            if (s[2] != null) Canvas.checkLength("prediction", s[2], tout, c, h, w);
        }
        int rows = samples.get(0)[2] == null ? 2 : 3;
        int n = Math.max(tin, tout), margin = labels ? Label.width("input") + 2 : 0;
        int sampleH = rows * (h + 1) - 1;
        int width = margin + n * (w + 1) - 1, height = samples.size() * (sampleH + SAMPLE_GAP) - SAMPLE_GAP;
        Canvas cv = new Canvas(width, height, c == 3);
        for (int s = 0; s < samples.size(); s++) {
            float[][] sm = samples.get(s);
            for (int r = 0; r < rows; r++) {
                int y0 = s * (sampleH + SAMPLE_GAP) + r * (h + 1), frames = r == 0 ? tin : tout;
                if (labels) {
                    cv.rect(0, y0, margin, h, 0);
                    int ty = y0 + Math.max(0, (h - Label.HEIGHT * Label.ZOOM) / 2);
                    if (ty + Label.HEIGHT * Label.ZOOM <= y0 + h) Label.draw(cv, NAMES[r], 1, ty, 0xffffff);
                }
                for (int f = 0; f < frames; f++) cv.frame(sm[r], f * c * h * w, c, h, w, margin + f * (w + 1), y0);
            }
        }
        return cv.image();
    }

    /** {@code img} encoded as PNG. */
    public static byte[] encode(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", out)) throw new IOException("this JVM has no PNG writer (javax.imageio)");
        return out.toByteArray();
    }

    /** Writes {@code img} as a PNG file (parent folders are created). */
    public static void write(BufferedImage img, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.write(file, encode(img));
    }
}
