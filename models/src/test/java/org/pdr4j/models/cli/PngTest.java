package org.pdr4j.models.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.pdr4j.tensor.ShapeException;
import org.pdr4j.tensor.Tensor;

class PngTest {
    @Test
    void clampsToUnitRangeAndNanIsBlack() {
        Tensor t = Tensor.of(new float[] {-1, 0, 0.5f, 1, 7, Float.NaN}, 1, 1, 1, 6);
        BufferedImage img = Png.tile(t, false);
        int[] want = {0, 0, 128, 255, 255, 0};
        for (int x = 0; x < 6; x++) assertEquals(want[x], img.getRaster().getSample(x, 0, 0), "x=" + x);
    }

    @Test
    void normalizeMapsMinAndMaxAndAConstantImageIsBlack() {
        BufferedImage img = Png.tile(Tensor.of(new float[] {-2, 0, 2}, 1, 1, 1, 3), true);
        assertEquals(0, img.getRaster().getSample(0, 0, 0));
        assertEquals(128, img.getRaster().getSample(1, 0, 0));
        assertEquals(255, img.getRaster().getSample(2, 0, 0));
        assertEquals(0, Png.tile(Tensor.full(5, 1, 1, 2, 2), true).getRaster().getSample(1, 1, 0));
    }

    @Test
    void layoutFollowsTheChannelCount() {
        assertSize(Png.tile(Tensor.zeros(4, 1, 3, 5), false), 20, 3, BufferedImage.TYPE_BYTE_GRAY);
        assertSize(Png.tile(Tensor.zeros(4, 3, 3, 5), false), 20, 3, BufferedImage.TYPE_INT_RGB);
        assertSize(Png.tile(Tensor.zeros(4, 5, 3, 5), false), 20, 15, BufferedImage.TYPE_BYTE_GRAY);
        assertThrows(ShapeException.class, () -> Png.tile(Tensor.zeros(3, 5), false));
    }

    @Test
    void encodesAReadablePng() throws IOException {
        byte[] bytes = Png.encode(Png.tile(Tensor.rand(1, 2, 3, 4, 5), false));
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(bytes));
        assertEquals(10, back.getWidth());
        assertEquals(4, back.getHeight());
    }

    private static void assertSize(BufferedImage img, int w, int h, int type) {
        assertEquals(w, img.getWidth());
        assertEquals(h, img.getHeight());
        assertEquals(type, img.getType());
    }
}
