package org.pdr4j.models.data;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The digits 0-9 as our own vector strokes (no fonts, so every machine draws the same shapes), and
 * a bank of pre-rendered masks: for each digit, every combination of a few scales, slants and
 * stroke widths, drawn once with Java2D (antialiased) into a {@code size x size} float mask in
 * [0, 1]. Samples pick a variant at random; blitting a cached mask is what makes generation fast.
 */
final class Glyphs {
    /** Glyph height as a fraction of the mask size, times these (MNIST digits fill ~20 of 28 rows). */
    static final double[] SCALES = {0.62, 0.68, 0.74, 0.80};
    /** Horizontal shear: x += slant * (distance above the centre). */
    static final double[] SLANTS = {-0.30, -0.15, 0.0, 0.15, 0.30, 0.42};
    /** Stroke width as a fraction of the mask size (2.2 to 3.9 px at 28). */
    static final double[] WIDTHS = {0.080, 0.100, 0.120, 0.140};
    /** Variants per digit. */
    static final int VARIANTS = SCALES.length * SLANTS.length * WIDTHS.length;

    private static final ConcurrentHashMap<Integer, Glyphs> BANKS = new ConcurrentHashMap<>();

    final int size;
    /** [digit * VARIANTS + variant][size * size]. */
    private final float[][] masks;

    private Glyphs(int size) {
        this.size = size;
        masks = new float[10 * VARIANTS][];
        for (int d = 0; d < 10; d++) {
            Shape path = outline(d);
            for (int v = 0; v < VARIANTS; v++) {
                int si = v % SCALES.length, sl = (v / SCALES.length) % SLANTS.length, wi = v / (SCALES.length * SLANTS.length);
                masks[d * VARIANTS + v] = render(path, size, SCALES[si], SLANTS[sl], WIDTHS[wi]);
            }
        }
    }

    /** The bank for masks of {@code size x size} pixels, built on first use and shared. */
    static Glyphs bank(int size) {
        return BANKS.computeIfAbsent(size, Glyphs::new);
    }

    /** The mask of {@code digit} in variant {@code variant} ({@code [size, size]}, row-major; do not modify). */
    float[] mask(int digit, int variant) {
        return masks[digit * VARIANTS + variant];
    }

    /**
     * Draws {@code path} (unit design box: x in [0, 0.6], y in [0, 1] downwards) into a new mask:
     * {@code scale * size} pixels high, sheared by {@code slant}, stroked {@code width * size} pixels
     * wide, its bounding box centred (and shrunk if it would not fit inside a 1-pixel margin).
     */
    static float[] render(Shape path, int size, double scale, double slant, double width) {
        double h = scale * size, sw = width * size;
        AffineTransform at = new AffineTransform();
        at.shear(-slant, 0); // y grows downwards, so a negative shear leans the top to the right
        at.scale(h, h);
        // Stroke in pixel space, after the transform, so the width does not follow scale or shear.
        Shape placed = at.createTransformedShape(path);
        // Centre the glyph's box and shrink it if the stroked glyph would not fit with a 1-pixel margin.
        Rectangle2D b = placed.getBounds2D();
        double room = size - 2 - sw;
        double fit = Math.min(1, Math.min(room / Math.max(b.getWidth(), 1e-9), room / Math.max(b.getHeight(), 1e-9)));
        AffineTransform centre = new AffineTransform();
        centre.translate(size / 2.0, size / 2.0);
        centre.scale(fit, fit);
        centre.translate(-b.getCenterX(), -b.getCenterY());
        placed = centre.createTransformedShape(placed);
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke((float) sw, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(placed);
        } finally {
            g.dispose();
        }
        byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        float[] m = new float[size * size];
        for (int i = 0; i < m.length; i++) m[i] = (px[i] & 0xff) / 255f;
        return m;
    }

    /** Digit {@code d} as strokes in the unit design box (x in [0, 0.6], y in [0, 1], y down). */
    static Shape outline(int d) {
        Path2D.Double p = new Path2D.Double();
        switch (d) {
            case 0 -> p.append(new Ellipse2D.Double(0.03, 0.0, 0.54, 1.0), false);
            case 1 -> {
                p.moveTo(0.14, 0.20);
                p.lineTo(0.34, 0.0);
                p.lineTo(0.34, 1.0);
            }
            case 2 -> {
                p.moveTo(0.04, 0.22);
                p.curveTo(0.10, -0.05, 0.56, -0.07, 0.56, 0.26);
                p.curveTo(0.56, 0.50, 0.22, 0.70, 0.02, 1.0);
                p.lineTo(0.60, 1.0);
            }
            case 3 -> {
                p.moveTo(0.05, 0.12);
                p.curveTo(0.22, -0.05, 0.58, -0.02, 0.55, 0.24);
                p.curveTo(0.53, 0.42, 0.36, 0.47, 0.22, 0.47);
                p.curveTo(0.46, 0.47, 0.62, 0.58, 0.59, 0.77);
                p.curveTo(0.55, 1.03, 0.16, 1.04, 0.02, 0.87);
            }
            case 4 -> {
                p.moveTo(0.44, 1.0);
                p.lineTo(0.44, 0.0);
                p.lineTo(0.0, 0.68);
                p.lineTo(0.60, 0.68);
            }
            case 5 -> {
                p.moveTo(0.56, 0.0);
                p.lineTo(0.12, 0.0);
                p.lineTo(0.07, 0.45);
                p.curveTo(0.30, 0.33, 0.60, 0.40, 0.59, 0.68);
                p.curveTo(0.58, 0.99, 0.18, 1.04, 0.02, 0.87);
            }
            case 6 -> {
                p.moveTo(0.50, 0.02);
                p.curveTo(0.20, 0.10, 0.03, 0.40, 0.04, 0.70);
                p.curveTo(0.05, 1.02, 0.57, 1.03, 0.57, 0.71);
                p.curveTo(0.57, 0.44, 0.14, 0.42, 0.05, 0.64);
            }
            case 7 -> {
                p.moveTo(0.0, 0.02);
                p.lineTo(0.60, 0.02);
                p.curveTo(0.42, 0.30, 0.28, 0.62, 0.22, 1.0);
            }
            case 8 -> {
                p.append(new Ellipse2D.Double(0.08, 0.0, 0.44, 0.47), false);
                p.append(new Ellipse2D.Double(0.02, 0.47, 0.56, 0.53), false);
            }
            case 9 -> {
                p.append(new Ellipse2D.Double(0.04, 0.0, 0.52, 0.54), false);
                p.moveTo(0.56, 0.27);
                p.curveTo(0.57, 0.55, 0.52, 0.82, 0.44, 1.0);
            }
            default -> throw new IllegalArgumentException("digit must be 0..9, got " + d);
        }
        return p;
    }
}
