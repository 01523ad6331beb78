package org.pdr4j.models.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A data set of clips cut from folders of frame images (KTH, Human3.6M): the shared indexing,
 * decoding and resizing behind {@link Kth} and {@link Human36m}.
 *
 * <p>Opening indexes file names only: every {@link Seq sequence} is a list of frame files in
 * frame-number order, and every {@link Clip clip} is a sequence plus the positions of its
 * {@code Tin + Tout} frames. {@link #fill} decodes just that clip's images with
 * {@link ImageIO}, so memory does not grow with the data set. Instances are immutable and
 * thread-safe.
 *
 * <p>Pixels: samples are divided by the largest sample value (255 for 8-bit images), so values lie
 * in [0, 1]. For one channel, a gray image is taken as it is, and a color pixel with
 * {@code r == g == b} (KTH's gray frames stored as RGB) gives that value; other colors give the
 * BT.601 luma {@code 0.299 r + 0.587 g + 0.114 b}. For three channels the order is R, G, B (a gray
 * image is repeated). Frames whose size differs from the request are resized separably: an axis
 * that shrinks is area-averaged (each output pixel is the mean of the source interval it covers,
 * partial pixels weighted by overlap), an axis that grows is interpolated linearly between pixel
 * centres ({@code src = (i + 0.5) * in / out - 0.5}, clamped at the edges).
 */
final class FrameFolders implements Dataset {
    /** File name endings read as frames. */
    static final List<String> EXTENSIONS = List.of("png", "jpg", "jpeg");

    /**
     * One video: frame {@code k} is {@code dir.resolve(names[k])}, all of native size
     * {@code width x height} (read from the first frame's header when indexing).
     */
    record Seq(String label, Path dir, String[] names, int width, int height) {
        Path file(int k) {
            return dir.resolve(names[k]);
        }
    }

    /** One sample: frames {@code frames[0..Tin)} are the input, the rest the target, of sequence {@code seq}. */
    record Clip(int seq, int[] frames) {}

    /** A frame file found in a folder and the number at the end of its name. */
    record Frame(String name, int number) {}

    private final String name;
    private final int inFrames, outFrames, channels, height, width;
    private final List<Seq> seqs;
    private final List<Clip> clips;
    private final List<String> sources;
    /** Resampling tables per native size, key {@code (long) h << 32 | w}; filled once in the constructor. */
    private final Map<Long, Axis[]> resizers;

    FrameFolders(String name, DataRequest request, int channels, List<Seq> seqs, List<Clip> clips, List<String> sources) {
        this.name = name;
        this.inFrames = request.inFrames();
        this.outFrames = request.outFrames();
        this.channels = channels;
        this.height = request.height();
        this.width = request.width();
        this.seqs = List.copyOf(seqs);
        this.clips = List.copyOf(clips);
        this.sources = List.copyOf(sources);
        Map<Long, Axis[]> r = new HashMap<>();
        for (Seq s : seqs) {
            r.computeIfAbsent((long) s.height << 32 | s.width, k -> new Axis[] {Axis.of(s.height, height), Axis.of(s.width, width)});
        }
        this.resizers = Map.copyOf(r);
    }

    @Override public String name() { return name; }
    @Override public int size() { return clips.size(); }
    @Override public int inFrames() { return inFrames; }
    @Override public int outFrames() { return outFrames; }
    @Override public int channels() { return channels; }
    @Override public int height() { return height; }
    @Override public int width() { return width; }
    @Override public List<String> sources() { return sources; }

    @Override
    public void fill(int index, float[] input, int inOff, float[] target, int tgtOff) {
        checkFill(index, input, inOff, target, tgtOff);
        Clip c = clips.get(index);
        Seq s = seqs.get(c.seq);
        Axis[] rs = resizers.get((long) s.height << 32 | s.width);
        int frameLen = channels * height * width;
        for (int t = 0; t < c.frames.length; t++) {
            Path file = s.file(c.frames[t]);
            float[] px = decode(file, channels, s.width, s.height, s.file(0));
            float[] dst = t < inFrames ? input : target;
            int off = t < inFrames ? inOff + t * frameLen : tgtOff + (t - inFrames) * frameLen;
            for (int ch = 0; ch < channels; ch++) {
                resize(px, ch * s.height * s.width, s.height, s.width, rs[0], rs[1], dst, off + ch * height * width);
            }
        }
    }

    // ---- indexing ----

    /**
     * The frame files directly in {@code dir} (names ending in .png, .jpg or .jpeg, any case, with a
     * frame number just before the extension, e.g. {@code image_0042.png}), in frame-number order.
     *
     * @throws DataFormatException when the folder cannot be listed or two files share a number
     */
    static List<Frame> frames(Path dir) {
        List<Frame> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Iterator<Path> it = files.iterator(); it.hasNext(); ) {
                Path p = it.next();
                String n = p.getFileName().toString();
                int number = frameNumber(n);
                if (number >= 0 && Files.isRegularFile(p)) out.add(new Frame(n, number));
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new DataFormatException(dir + ": cannot list the folder (" + oneLine(e) + ")");
        }
        out.sort(Comparator.comparingInt(Frame::number).thenComparing(Frame::name));
        for (int i = 1; i < out.size(); i++) {
            if (out.get(i).number == out.get(i - 1).number) {
                throw new DataFormatException(dir + ": two frames numbered " + out.get(i).number + " (" + out.get(i - 1).name + ", " + out.get(i).name + "); expected one image per frame");
            }
        }
        return out;
    }

    /** The number just before a frame file's image extension, or -1 when it has none or is not an image name. */
    static int frameNumber(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0 || !EXTENSIONS.contains(fileName.substring(dot + 1).toLowerCase(Locale.ROOT))) return -1;
        int start = dot;
        while (start > 0 && Character.isDigit(fileName.charAt(start - 1)) && dot - start < 9) start--;
        if (start == dot) return -1;
        return Integer.parseInt(fileName.substring(start, dot));
    }

    /** The sub-folders of {@code dir}, sorted by name. */
    static List<Path> subfolders(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new DataFormatException(dir + ": cannot list the folder (" + oneLine(e) + ")");
        }
    }

    /**
     * The {@code [width, height]} in {@code file}'s header, without decoding its pixels.
     *
     * @throws DataFormatException when the file is missing or not an image {@link ImageIO} reads
     */
    static int[] imageSize(Path file) {
        if (!Files.isRegularFile(file)) throw new DataFormatException(file + ": no such image file");
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) throw new DataFormatException(file + ": not a PNG or JPEG image");
            ImageReader r = readers.next();
            try {
                r.setInput(in, true, true);
                return new int[] {r.getWidth(0), r.getHeight(0)};
            } finally {
                r.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof DataFormatException d) throw d;
            throw new DataFormatException(file + ": unreadable image (" + oneLine(e) + ")");
        }
    }

    /** {@code "WxH"}, or the distinct sizes of {@code seqs} joined by ", ". */
    static String nativeSizes(List<Seq> seqs) {
        java.util.LinkedHashSet<String> sizes = new java.util.LinkedHashSet<>();
        for (Seq s : seqs) sizes.add(s.width + "x" + s.height);
        return String.join(", ", sizes);
    }

    /** A {@link #sources()} line saying how frames of {@code seqs} are brought to the request's size. */
    static String resizeLine(List<Seq> seqs, DataRequest r) {
        boolean any = false;
        for (Seq s : seqs) any |= s.width != r.width() || s.height != r.height();
        return "frames " + nativeSizes(seqs) + (any
                ? " (W x H), resized to " + r.width() + "x" + r.height() + " (area average where an axis shrinks, bilinear where it grows)"
                : " (W x H), used as they are");
    }

    // ---- decoding ----

    /**
     * The pixels of {@code file} as {@code [C, H, W]} floats in [0, 1], checked to be
     * {@code width x height}.
     *
     * @param first the sequence's first frame, named when the size differs
     * @throws DataFormatException when the file is missing, corrupt or of another size
     */
    static float[] decode(Path file, int channels, int width, int height, Path first) {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            if (!Files.isRegularFile(file)) throw new DataFormatException(file + ": no such image file");
            throw new DataFormatException(file + ": unreadable image (" + oneLine(e) + ")");
        }
        if (img == null) throw new DataFormatException(file + ": not a PNG or JPEG image");
        int w = img.getWidth(), h = img.getHeight();
        if (w != width || h != height) {
            throw new DataFormatException(file + ": image is " + w + "x" + h + ", expected " + width + "x" + height + " like the first frame of its sequence, " + first.getFileName());
        }
        int plane = w * h;
        float[] out = new float[channels * plane];
        ColorModel cm = img.getColorModel();
        int n = cm.getNumColorComponents();
        int csType = cm.getColorSpace().getType();
        boolean direct = !(cm instanceof IndexColorModel)
                && ((n == 1 && csType == ColorSpace.TYPE_GRAY) || (n == 3 && csType == ColorSpace.TYPE_RGB));
        float[][] comp = new float[n == 1 && direct ? 1 : 3][plane];
        if (direct) {
            Raster r = img.getRaster();
            int[] buf = new int[plane];
            for (int b = 0; b < comp.length; b++) {
                float max = (float) ((1L << cm.getComponentSize(b)) - 1);
                r.getSamples(0, 0, w, h, b, buf);
                for (int i = 0; i < plane; i++) comp[b][i] = buf[i] / max;
            }
        } else {
            int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0; i < plane; i++) {
                comp[0][i] = ((argb[i] >> 16) & 0xff) / 255f;
                comp[1][i] = ((argb[i] >> 8) & 0xff) / 255f;
                comp[2][i] = (argb[i] & 0xff) / 255f;
            }
        }
        if (channels == 1) {
            if (comp.length == 1) {
                System.arraycopy(comp[0], 0, out, 0, plane);
            } else {
                for (int i = 0; i < plane; i++) {
                    float r = comp[0][i], g = comp[1][i], b = comp[2][i];
                    out[i] = r == g && g == b ? r : (float) (0.299 * r + 0.587 * g + 0.114 * b);
                }
            }
        } else {
            for (int c = 0; c < channels; c++) System.arraycopy(comp[Math.min(c, comp.length - 1)], 0, out, c * plane, plane);
        }
        return out;
    }

    /** An exception's message on one line (its class name when it has none). */
    static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) m = e.getClass().getSimpleName();
        return m.replaceAll("\\s+", " ").trim();
    }

    // ---- resizing ----

    /**
     * One axis of a separable resampling from {@code in} to {@code out} pixels: output {@code i} is
     * {@code sum_k w[i][k] * src[first[i] + k]}.
     */
    record Axis(int[] first, float[][] w) {
        static Axis of(int in, int out) {
            int[] first = new int[out];
            float[][] w = new float[out][];
            if (in == out) {
                for (int i = 0; i < out; i++) {
                    first[i] = i;
                    w[i] = new float[] {1f};
                }
            } else if (out < in) {
                // Area: output i covers source [i*in/out, (i+1)*in/out); weights are overlaps / (in/out).
                for (int i = 0; i < out; i++) {
                    double lo = (double) i * in / out, hi = (double) (i + 1) * in / out, scale = (double) out / in;
                    int a = (int) Math.floor(lo), b = Math.min(in, (int) Math.ceil(hi));
                    first[i] = a;
                    w[i] = new float[b - a];
                    for (int k = a; k < b; k++) w[i][k - a] = (float) ((Math.min(hi, k + 1) - Math.max(lo, k)) * scale);
                }
            } else {
                // Bilinear between pixel centres (half-pixel convention), clamped at the edges.
                for (int i = 0; i < out; i++) {
                    double src = Math.max(0, Math.min(in - 1, (i + 0.5) * in / out - 0.5));
                    int a = Math.min((int) Math.floor(src), in - 2 < 0 ? 0 : in - 2);
                    double f = src - a;
                    first[i] = a;
                    w[i] = in == 1 ? new float[] {1f} : new float[] {(float) (1 - f), (float) f};
                }
            }
            return new Axis(first, w);
        }
    }

    /**
     * Resamples one {@code h x w} plane of {@code src} (from {@code srcOff}) to
     * {@code ay.first.length x ax.first.length} into {@code dst} from {@code dstOff}: rows first,
     * then columns.
     */
    static void resize(float[] src, int srcOff, int h, int w, Axis ay, Axis ax, float[] dst, int dstOff) {
        int outH = ay.first.length, outW = ax.first.length;
        if (outH == h && outW == w) {
            System.arraycopy(src, srcOff, dst, dstOff, h * w);
            return;
        }
        float[] tmp = new float[h * outW];
        for (int y = 0; y < h; y++) {
            int row = srcOff + y * w;
            for (int x = 0; x < outW; x++) {
                float[] wt = ax.w[x];
                int a = row + ax.first[x];
                float acc = 0;
                for (int k = 0; k < wt.length; k++) acc += wt[k] * src[a + k];
                tmp[y * outW + x] = acc;
            }
        }
        for (int y = 0; y < outH; y++) {
            float[] wt = ay.w[y];
            int a = ay.first[y];
            int d = dstOff + y * outW;
            for (int x = 0; x < outW; x++) {
                float acc = 0;
                for (int k = 0; k < wt.length; k++) acc += wt[k] * tmp[(a + k) * outW + x];
                dst[d + x] = acc;
            }
        }
    }
}
