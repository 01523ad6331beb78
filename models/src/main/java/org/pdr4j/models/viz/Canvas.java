package org.pdr4j.models.viz;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.util.Arrays;
import org.pdr4j.tensor.Tensor;

/**
 * A picture being laid out: 0xRRGGBB pixels, frames pasted from float arrays in [0, 1] (clamped,
 * NaN black, rounded as {@code cli.Png} does), then turned into a grey, RGB or indexed image.
 */
final class Canvas {
    /** Grey of the 1-pixel gaps between frames: dim, so black frames stay apart. */
    static final int GAP = 0x505050;

    final int width, height;
    final boolean rgb;
    final int[] px;

    Canvas(int width, int height, boolean rgb) {
        if (width < 1 || height < 1 || (long) width * height > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("viz: a " + width + " x " + height + " pixel image cannot be made");
        }
        this.width = width;
        this.height = height;
        this.rgb = rgb;
        px = new int[width * height];
        Arrays.fill(px, GAP);
    }

    /** 0..255 for a value in [0, 1]: clamped, NaN black. */
    static int toByte(float x) {
        if (!(x > 0)) return 0;
        if (x >= 1) return 255;
        return Math.round(x * 255);
    }

    /**
     * Pastes frame {@code [C, H, W]} starting at {@code v[off]} with its top-left at (x0, y0): RGB
     * from channels 0-2 when {@code c == 3}, else grey from channel 0.
     */
    void frame(float[] v, int off, int c, int h, int w, int x0, int y0) {
        int plane = h * w;
        boolean color = c == 3;
        for (int y = 0; y < h; y++) {
            int row = (y0 + y) * width + x0, src = off + y * w;
            for (int x = 0; x < w; x++) {
                int r = toByte(v[src + x]);
                int g = color ? toByte(v[src + plane + x]) : r, b = color ? toByte(v[src + 2 * plane + x]) : r;
                px[row + x] = (r << 16) | (g << 8) | b;
            }
        }
    }

    /** Fills a rectangle with 0xRRGGBB {@code color}. */
    void rect(int x0, int y0, int w, int h, int color) {
        for (int y = y0; y < y0 + h; y++) Arrays.fill(px, y * width + x0, y * width + x0 + w, color);
    }

    /** TYPE_BYTE_GRAY (from the red channel) or TYPE_INT_RGB. */
    BufferedImage image() {
        if (rgb) {
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            System.arraycopy(px, 0, ((DataBufferInt) img.getRaster().getDataBuffer()).getData(), 0, px.length);
            return img;
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] d = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < px.length; i++) d[i] = (byte) (px[i] >>> 16);
        return img;
    }

    private static final IndexColorModel GREYS = greys();
    private static final IndexColorModel CUBE = cube();

    /**
     * TYPE_BYTE_INDEXED for GIF: 256 greys exactly, or for RGB a fixed 6x7x6 colour cube (nearest
     * level per channel), so the palette never depends on the picture.
     */
    BufferedImage indexed() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, rgb ? CUBE : GREYS);
        byte[] d = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < px.length; i++) {
            int p = px[i];
            if (rgb) {
                int r = ((p >>> 16 & 0xff) * 5 + 127) / 255, g = ((p >>> 8 & 0xff) * 6 + 127) / 255, b = ((p & 0xff) * 5 + 127) / 255;
                d[i] = (byte) (r * 42 + g * 6 + b);
            } else {
                d[i] = (byte) (p >>> 16);
            }
        }
        return img;
    }

    private static IndexColorModel greys() {
        byte[] g = new byte[256];
        for (int i = 0; i < 256; i++) g[i] = (byte) i;
        return new IndexColorModel(8, 256, g, g, g);
    }

    private static IndexColorModel cube() {
        byte[] r = new byte[252], g = new byte[252], b = new byte[252];
        for (int i = 0; i < 252; i++) {
            r[i] = (byte) Math.round(i / 42 * 255 / 5.0);
            g[i] = (byte) Math.round(i / 6 % 7 * 255 / 6.0);
            b[i] = (byte) Math.round(i % 6 * 255 / 5.0);
        }
        return new IndexColorModel(8, 252, r, g, b);
    }

    /** The values of a {@code [T, C, H, W]} tensor (float32, row-major), checked against the expected shape. */
    static float[] values(String what, Tensor t, int frames, int c, int h, int w) {
        if (t.rank() != 4 || (frames >= 0 && t.size(0) != frames) || t.size(1) != c || t.size(2) != h || t.size(3) != w) {
            String want = "[" + (frames >= 0 ? frames : "T") + ", " + c + ", " + h + ", " + w + "]";
            throw new IllegalArgumentException("viz: " + what + " must be " + want + ", got " + t.shape());
        }
        return t.toFloatArray();
    }

    /** Checks that a float array holds {@code [T, C, H, W]}. */
    static void checkLength(String what, float[] v, int frames, int c, int h, int w) {
        if (c < 1 || h < 1 || w < 1 || frames < 0) {
            throw new IllegalArgumentException("viz: bad frame geometry T=" + frames + ", C=" + c + ", H=" + h + ", W=" + w);
        }
        if (v.length != (long) frames * c * h * w) {
            throw new IllegalArgumentException("viz: " + what + " has " + v.length + " values, [" + frames + ", " + c + ", " + h + ", " + w + "] needs " + (long) frames * c * h * w);
        }
    }
}
