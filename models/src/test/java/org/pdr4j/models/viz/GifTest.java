package org.pdr4j.models.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdr4j.models.data.Dataset;
import org.pdr4j.models.data.MovingDigits;
import org.pdr4j.tensor.Tensor;

class GifTest {
    @Test
    void inputFramesComeFirstThenTruthBesidePrediction() throws IOException {
        Tensor in = Tensor.full(0.5, 3, 1, 4, 5), truth = Tensor.ones(2, 1, 4, 5), pred = Tensor.zeros(2, 1, 4, 5);
        byte[] gif = Gif.encode(in, truth, pred, 5);
        try (ImageInputStream s = ImageIO.createImageInputStream(new ByteArrayInputStream(gif))) {
            ImageReader r = ImageIO.getImageReadersByFormatName("gif").next();
            r.setInput(s);
            assertEquals(5, r.getNumImages(true));
            for (int i = 0; i < 5; i++) {
                BufferedImage f = r.read(i);
                assertEquals(2 * 6 - 1, f.getWidth());
                assertEquals(4, f.getHeight());
                int left = f.getRGB(0, 0) & 0xff, right = f.getRGB(6, 0) & 0xff, gap = f.getRGB(5, 0) & 0xff;
                assertEquals(i < 3 ? 128 : 255, left, "frame " + i + " left");
                assertEquals(i < 3 ? 128 : 0, right, "frame " + i + " right");
                assertEquals(Canvas.GAP & 0xff, gap);
                IIOMetadataNode root = (IIOMetadataNode) r.getImageMetadata(i).getAsTree("javax_imageio_gif_image_1.0");
                IIOMetadataNode gce = (IIOMetadataNode) root.getElementsByTagName("GraphicControlExtension").item(0);
                assertEquals("20", gce.getAttribute("delayTime"), "5 fps");
                if (i == 0) {
                    IIOMetadataNode app = (IIOMetadataNode) root.getElementsByTagName("ApplicationExtension").item(0);
                    assertNotNull(app, "loop extension on the first frame");
                    assertEquals("NETSCAPE", app.getAttribute("applicationID"));
                    byte[] loop = (byte[]) app.getUserObject();
                    assertEquals(0, loop[1] | loop[2], "loops forever");
                }
            }
            r.dispose();
        }
    }

    @Test
    void aGeneratedSampleWritesAndReadsBack(@TempDir Path dir) throws IOException {
        MovingDigits d = MovingDigits.builder().size(32, 16).frames(3, 4).build("val", 2);
        Dataset.Sample s = d.get(0);
        Path file = dir.resolve("a/b.gif");
        Gif.write(file, s.input(), s.target(), null);
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader r = ImageIO.getImageReadersByFormatName("gif").next();
            r.setInput(in);
            assertEquals(7, r.getNumImages(true));
            BufferedImage f = r.read(6);
            assertEquals(32, f.getWidth());
            assertEquals(32, f.getHeight());
            // The last frame is the last target frame, exactly (greys are lossless).
            float[] last = s.target().narrow(0, 3, 1).toFloatArray();
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) assertEquals(Canvas.toByte(last[y * 32 + x]), f.getRGB(x, y) & 0xff);
            }
            r.dispose();
        }
    }

    @Test
    void rgbUsesTheFixedColourCube() throws IOException {
        float[] red = {1, 0, 0}, blue = {0, 0, 1};
        byte[] gif = Gif.encode(red, 1, blue, red, 1, 3, 1, 1, 5);
        BufferedImage f = ImageIO.read(new ByteArrayInputStream(gif)); // first frame: input both sides
        assertEquals(0xff0000, f.getRGB(0, 0) & 0xffffff);
        assertEquals(0xff0000, f.getRGB(2, 0) & 0xffffff);
        assertTrue(gif.length > 0);
    }

    @Test
    void badArgumentsAreRefused() {
        Tensor in = Tensor.zeros(3, 1, 4, 5);
        assertThrows(IllegalArgumentException.class, () -> Gif.encode(in, Tensor.zeros(2, 1, 4, 5), Tensor.zeros(1, 1, 4, 5), 5));
        assertThrows(IllegalArgumentException.class, () -> Gif.encode(in, Tensor.zeros(2, 3, 4, 5), null, 5));
        assertThrows(IllegalArgumentException.class, () -> Gif.encode(in, Tensor.zeros(2, 1, 4, 5), null, 0));
    }
}
