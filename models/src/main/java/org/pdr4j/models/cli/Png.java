package org.pdr4j.models.cli;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.pdr4j.tensor.ShapeException;
import org.pdr4j.tensor.Tensor;

/**
 * Rendered frames as one PNG: the P frames of a {@code [P, C, H, W]} image side by side, left to
 * right. One channel is grey and three are RGB, so the image is {@code P*W} wide and {@code H}
 * high; any other C shows each channel as a grey row of tiles, so the image is {@code C*H} high
 * (row c is channel c of every frame).
 *
 * <p>Values map to 0..255 either clamped to [0, 1] or, with {@code normalize}, scaled so the
 * smallest value of the whole image is black and the largest white. NaN is black.
 */
final class Png {
    private Png() {}

    /** The picture of {@code frames} ({@code [P, C, H, W]}). */
    static BufferedImage tile(Tensor frames, boolean normalize) {
        if (frames.rank() != 4) throw new ShapeException("png: frames must be [P, C, H, W], got " + frames.shape());
        int p = frames.size(0), c = frames.size(1), h = frames.size(2), w = frames.size(3);
        boolean rgb = c == 3;
        int rows = rgb || c == 1 ? 1 : c;
        long width = (long) p * w, height = (long) rows * h;
        if (width < 1 || height < 1 || width * height > Integer.MAX_VALUE / 4 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("png: a " + width + " x " + height + " pixel image cannot be written (frames " + frames.shape() + ")");
        }
        float[] v = frames.contiguous().toFloatArray();
        float lo = 0, scale = 1;
        if (normalize) {
            float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
            for (float x : v) {
                if (x < min) min = x;
                if (x > max) max = x;
            }
            lo = min;
            scale = max > min ? 1 / (max - min) : 0;
        }
        BufferedImage img = new BufferedImage((int) width, (int) height, rgb ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = img.getRaster();
        int plane = h * w;
        int[] pixel = new int[rgb ? 3 : 1];
        for (int f = 0; f < p; f++) {
            for (int ch = 0; ch < (rgb ? 1 : c); ch++) {
                int x0 = f * w, y0 = (rows == 1 ? 0 : ch) * h;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        if (rgb) {
                            for (int k = 0; k < 3; k++) pixel[k] = toByte(v[(f * c + k) * plane + y * w + x], lo, scale);
                        } else {
                            pixel[0] = toByte(v[(f * c + ch) * plane + y * w + x], lo, scale);
                        }
                        raster.setPixel(x0 + x, y0 + y, pixel);
                    }
                }
            }
        }
        return img;
    }

    private static int toByte(float x, float lo, float scale) {
        float t = (x - lo) * scale;
        if (!(t > 0)) return 0; // also NaN
        if (t >= 1) return 255;
        return Math.round(t * 255);
    }

    /** {@code img} encoded as PNG. */
    static byte[] encode(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", out)) throw new IOException("this JVM has no PNG writer (javax.imageio)");
        return out.toByteArray();
    }
}
