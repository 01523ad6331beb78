package org.pdr4j.models.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdr4j.models.data.DataLoader;
import org.pdr4j.models.data.MovingDigits;
import org.pdr4j.tensor.Tensor;

class StripsTest {
    @Test
    void oneSampleLaysOutRowsOfFramesWithOnePixelGaps() throws IOException {
        Tensor in = Tensor.full(0.5, 3, 1, 4, 5), truth = Tensor.ones(2, 1, 4, 5), pred = Tensor.zeros(2, 1, 4, 5);
        BufferedImage img = decode(Strips.encode(Strips.strip(in, truth, pred, false)));
        assertEquals(3 * 6 - 1, img.getWidth());
        assertEquals(3 * 5 - 1, img.getHeight());
        assertEquals(128, grey(img, 0, 0)); // input row
        assertEquals(Canvas.GAP & 0xff, grey(img, 5, 0)); // gap column
        assertEquals(255, grey(img, 6, 5)); // truth row, frame 1
        assertEquals(0, grey(img, 0, 10)); // prediction row
        assertEquals(Canvas.GAP & 0xff, grey(img, 12, 5)); // truth has no third frame

        BufferedImage noPred = Strips.strip(in, truth, null, false);
        assertEquals(2 * 5 - 1, noPred.getHeight());
        BufferedImage labelled = Strips.strip(in, truth, pred, true);
        assertTrue(labelled.getWidth() > img.getWidth());
        assertEquals(img.getHeight(), labelled.getHeight());
    }

    @Test
    void valuesAreClampedAndChannelCountPicksGreyOrRgb() {
        float[] v = {-1, 0.25f, 2, Float.NaN};
        BufferedImage g = Strips.strip(v, 1, v, null, 1, 1, 1, 4, false);
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, g.getType());
        int[] want = {0, 64, 255, 0};
        for (int x = 0; x < 4; x++) assertEquals(want[x], grey(g, x, 0), "x=" + x);

        // RGB: one pixel per frame, channels red, green, blue.
        BufferedImage rgb = Strips.strip(new float[] {1, 0, 0.5f}, 1, new float[] {0, 1, 0}, null, 1, 3, 1, 1, false);
        assertEquals(BufferedImage.TYPE_INT_RGB, rgb.getType());
        assertEquals(0xff0080, rgb.getRGB(0, 0) & 0xffffff);
        assertEquals(0x00ff00, rgb.getRGB(0, 2) & 0xffffff);

        // Two channels: channel 0 only.
        BufferedImage two = Strips.strip(new float[] {0.2f, 0.9f}, 1, new float[] {1, 0}, null, 1, 2, 1, 1, false);
        assertEquals(51, grey(two, 0, 0));
        assertEquals(255, grey(two, 0, 2));
    }

    @Test
    void aBatchStacksSamplesAndWritesAFile(@TempDir Path dir) throws IOException {
        MovingDigits d = MovingDigits.builder().size(32, 16).frames(3, 4).sizes(6, 1, 1).build("train", 1);
        try (DataLoader l = DataLoader.builder(d).batchSize(6).prefetch(false).build()) {
            DataLoader.Batch b = l.batch(0, 0);
            BufferedImage img = Strips.batch(b.input(), b.target(), b.target(), 4, false);
            int sampleH = 3 * 33 - 1;
            assertEquals(4 * 33 - 1, img.getWidth());
            assertEquals(4 * (sampleH + 3) - 3, img.getHeight());
            Path file = dir.resolve("sub/strip.png");
            Strips.write(img, file);
            BufferedImage back = ImageIO.read(file.toFile());
            assertEquals(img.getWidth(), back.getWidth());
            assertEquals(img.getHeight(), back.getHeight());
            assertTrue(Files.size(file) > 100);
        }
    }

    @Test
    void mismatchedShapesAreRefused() {
        Tensor in = Tensor.zeros(3, 1, 4, 5);
        assertThrows(IllegalArgumentException.class, () -> Strips.strip(in, Tensor.zeros(2, 1, 4, 6), null, false));
        assertThrows(IllegalArgumentException.class, () -> Strips.strip(in, Tensor.zeros(2, 1, 4, 5), Tensor.zeros(3, 1, 4, 5), false));
        assertThrows(IllegalArgumentException.class, () -> Strips.strip(Tensor.zeros(1, 4, 5), in, null, false));
        assertThrows(IllegalArgumentException.class, () -> Strips.strip(new float[5], 1, new float[4], null, 1, 1, 2, 2, false));
        assertThrows(IllegalArgumentException.class, () -> Strips.batch(Tensor.zeros(2, 3, 1, 4, 5), Tensor.zeros(3, 3, 1, 4, 5), null, 1, false));
    }

    private static BufferedImage decode(byte[] png) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    private static int grey(BufferedImage img, int x, int y) {
        return img.getRaster().getSample(x, y, 0);
    }
}
