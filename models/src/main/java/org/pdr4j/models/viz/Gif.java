package org.pdr4j.models.viz;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.pdr4j.tensor.Tensor;

/**
 * An animated, looping GIF per sample: the {@code Tin} input frames first, then the {@code Tout}
 * output frames with truth on the left and prediction on the right (1-pixel grey gap). During the
 * input frames both panels show the input. Without a prediction there is one panel. Values are
 * clamped to [0, 1]; one channel uses 256 exact greys, three channels a fixed 252-colour cube,
 * other counts show channel 0. Default speed 5 frames per second.
 */
public final class Gif {
    /** Frames per second unless told otherwise. */
    public static final int DEFAULT_FPS = 5;

    private Gif() {}

    /**
     * The GIF of one sample: {@code input [Tin, C, H, W]}, {@code truth [Tout, C, H, W]},
     * {@code prediction [Tout, C, H, W]} or null.
     */
    public static byte[] encode(Tensor input, Tensor truth, Tensor prediction, int fps) throws IOException {
        if (input.rank() != 4) throw new IllegalArgumentException("viz: input must be [Tin, C, H, W], got " + input.shape());
        int c = input.size(1), h = input.size(2), w = input.size(3);
        float[] in = Canvas.values("input", input, -1, c, h, w);
        float[] tr = Canvas.values("truth", truth, -1, c, h, w);
        float[] pr = prediction == null ? null : Canvas.values("prediction", prediction, truth.size(0), c, h, w);
        return encode(in, input.size(0), tr, pr, truth.size(0), c, h, w, fps);
    }

    /** The GIF of one sample from row-major float arrays ({@code prediction} may be null). */
    public static byte[] encode(float[] input, int tin, float[] truth, float[] prediction, int tout, int c, int h, int w, int fps) throws IOException {
        Canvas.checkLength("input", input, tin, c, h, w);
        Canvas.checkLength("truth", truth, tout, c, h, w);
        if (prediction != null) Canvas.checkLength("prediction", prediction, tout, c, h, w);
        if (fps < 1 || fps > 100) throw new IllegalArgumentException("viz: fps must be in [1, 100], got " + fps);
        if (tin + tout < 1) throw new IllegalArgumentException("viz: a GIF needs at least one frame");
        int panels = prediction == null ? 1 : 2, frame = c * h * w;
        int width = panels * (w + 1) - 1;
        Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("gif");
        if (!it.hasNext()) throw new IOException("this JVM has no GIF writer (javax.imageio)");
        ImageWriter writer = it.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (int t = 0; t < tin + tout; t++) {
                Canvas cv = new Canvas(width, h, c == 3);
                for (int p = 0; p < panels; p++) {
                    float[] src = t < tin ? input : p == 0 ? truth : prediction;
                    cv.frame(src, (t < tin ? t : t - tin) * frame, c, h, w, p * (w + 1), 0);
                }
                BufferedImage img = cv.indexed();
                IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), null);
                annotate(meta, Math.max(1, Math.round(100f / fps)), t == 0);
                writer.writeToSequence(new IIOImage(img, null, meta), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** Writes the GIF of one sample at {@link #DEFAULT_FPS} (parent folders are created). */
    public static void write(Path file, Tensor input, Tensor truth, Tensor prediction) throws IOException {
        byte[] gif = encode(input, truth, prediction, DEFAULT_FPS);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.write(file, gif);
    }

    /** Sets the frame delay (hundredths of a second) and, on the first frame, loop-forever. */
    private static void annotate(IIOMetadata meta, int delay, boolean first) throws IOException {
        String format = meta.getNativeMetadataFormatName(); // javax_imageio_gif_image_1.0
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
        IIOMetadataNode gce = child(root, "GraphicControlExtension");
        gce.setAttribute("disposalMethod", "none");
        gce.setAttribute("userInputFlag", "FALSE");
        gce.setAttribute("transparentColorFlag", "FALSE");
        gce.setAttribute("delayTime", Integer.toString(delay));
        gce.setAttribute("transparentColorIndex", "0");
        if (first) {
            IIOMetadataNode apps = child(root, "ApplicationExtensions");
            IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
            app.setAttribute("applicationID", "NETSCAPE");
            app.setAttribute("authenticationCode", "2.0");
            app.setUserObject(new byte[] {1, 0, 0}); // sub-block 1, loop count 0 = forever
            apps.appendChild(app);
        }
        meta.setFromTree(format, root);
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) return (IIOMetadataNode) root.item(i);
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }
}
