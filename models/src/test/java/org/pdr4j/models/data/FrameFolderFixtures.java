package org.pdr4j.models.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Tiny frame folders written with ImageIO, for the KTH and Human3.6M loader tests. */
final class FrameFolderFixtures {
    /** A gray value for frame {@code t} at {@code (y, x)}. */
    @FunctionalInterface
    interface Gray {
        int at(int t, int y, int x);
    }

    /** An RGB value ({@code 0xRRGGBB}) for frame {@code t} at {@code (y, x)}. */
    @FunctionalInterface
    interface Rgb {
        int at(int t, int y, int x);
    }

    private FrameFolderFixtures() {}

    /** Writes an 8-bit gray PNG (or JPEG, by {@code file}'s extension) of {@code w x h} pixels. */
    static void gray(Path file, int t, int w, int h, Gray g) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.getRaster().setSample(x, y, 0, g.at(t, y, x));
        write(img, file);
    }

    /** Writes an RGB PNG of {@code w x h} pixels. */
    static void rgb(Path file, int t, int w, int h, Rgb c) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, c.at(t, y, x));
        write(img, file);
    }

    /**
     * A KTH sequence folder {@code root/action/personPP_action_d1_uncomp} of {@code n} gray
     * {@code size x size} frames {@code image_0001.png ...}; frame file {@code k} (from 1) gets
     * {@code t = k - 1}.
     */
    static Path kthSequence(Path root, String action, int person, int n, int size, Gray g) {
        Path dir = root.resolve(action).resolve(String.format("person%02d_%s_d1_uncomp", person, action));
        for (int t = 0; t < n; t++) gray(dir.resolve(String.format("image_%04d.png", t + 1)), t, size, size, g);
        return dir;
    }

    static void write(BufferedImage img, Path file) {
        try {
            Files.createDirectories(file.getParent());
            String name = file.getFileName().toString();
            String format = name.substring(name.lastIndexOf('.') + 1).toLowerCase(java.util.Locale.ROOT);
            if (!ImageIO.write(img, format.equals("jpg") ? "jpeg" : format, file.toFile())) throw new IOException("no writer for " + format);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void text(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
