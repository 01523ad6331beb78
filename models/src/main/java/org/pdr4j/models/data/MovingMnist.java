package org.pdr4j.models.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.io.MappedNpy;
import org.pdr4j.tensor.io.NpyFormatException;

/**
 * Moving MNIST under OpenSTL's protocol, from the files the field distributes.
 *
 * <ul>
 *   <li><b>test</b> (and <b>val</b>, which is the same file, as in OpenSTL and SimVP): the fixed
 *       {@code mnist_test_seq.npy}, uint8 {@code [20, 10000, 64, 64]} (frame, sequence, row,
 *       column); sample {@code i} is sequence {@code i}, frames {@code 0..Tin} as input and the
 *       next {@code Tout} as target. Memory-mapped: a sample reads its own 20 frames.
 *   <li><b>train</b>: 10000 sequences generated on the fly from MNIST's training digits
 *       ({@code train-images-idx3-ubyte}, optionally gzipped) exactly as the original protocol
 *       does: two 28x28 digits on a 64x64 canvas, each starting at a uniform position in the unit
 *       square with a uniform heading, moving 0.1 per frame and bouncing off its edges, placed at
 *       {@code floor(36 * position)}, overlapping digits combined by maximum. Sequence {@code i} is a
 *       pure function of {@code (seed, i)}.
 * </ul>
 * Values are intensities / 255 in [0, 1]. The two files may sit in the data root itself or in
 * {@code <root>/moving_mnist/} (OpenSTL's {@code data/moving_mnist}).
 */
public final class MovingMnist implements Dataset {
    /** The fixed test file's name. */
    public static final String TEST_FILE = "mnist_test_seq.npy";
    /** MNIST's training images, as distributed (the {@code .gz} is read as well). */
    public static final String TRAIN_FILE = "train-images-idx3-ubyte";

    static final int CANVAS = 64, DIGIT = 28, TRAIN_SIZE = 10_000, TEST_FRAMES = 20;
    private static final double STEP = 0.1;
    /** Parsed idx files by absolute path: 47 MB each, read once per process. */
    private static final Map<Path, byte[]> DIGITS = new ConcurrentHashMap<>();

    private final String split;
    private final int inFrames, outFrames, size;
    private final long seed;
    private final MappedNpy sequences; // test/val; null for train
    private final byte[] digits; // train: n * 28 * 28 pixels; null for test/val
    private final List<String> sources;

    private MovingMnist(String split, int inFrames, int outFrames, int size, long seed, MappedNpy sequences, byte[] digits, List<String> sources) {
        this.split = split;
        this.inFrames = inFrames;
        this.outFrames = outFrames;
        this.size = size;
        this.seed = seed;
        this.sequences = sequences;
        this.digits = digits;
        this.sources = List.copyOf(sources);
    }

    /**
     * The split {@code request} asks for, at 64x64 with any {@code Tin + Tout <= 20} (any length
     * for train).
     *
     * @throws DataFormatException for a missing or malformed file, or a clip the file cannot give
     */
    public static MovingMnist open(DataRequest request) {
        Path root = request.requireRoot("moving-mnist");
        if (request.height() != CANVAS || request.width() != CANVAS)
            throw new DataFormatException("moving-mnist: frames are " + CANVAS + "x" + CANVAS + ", the request wants " + request.height() + "x" + request.width());
        int in = request.inFrames(), out = request.outFrames();
        if (request.split().equals("train")) {
            Path file = find(root, TRAIN_FILE, TRAIN_FILE + ".gz");
            byte[] px = DIGITS.computeIfAbsent(file.toAbsolutePath(), MovingMnist::readIdx);
            String src = file.getFileName() + ": " + px.length / (DIGIT * DIGIT) + " digits of " + DIGIT + "x" + DIGIT + ", " + TRAIN_SIZE + " sequences generated from them (seed " + request.seed() + ")";
            return new MovingMnist("train", in, out, TRAIN_SIZE, request.seed(), null, px, List.of(src));
        }
        Path file = find(root, TEST_FILE);
        MappedNpy m;
        try {
            m = MappedNpy.open(file);
        } catch (NpyFormatException e) {
            throw new DataFormatException(e.getMessage(), e);
        } catch (IOException e) {
            throw new DataFormatException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        Shape s = m.shape();
        if (s.rank() != 4 || s.dim(2) != CANVAS || s.dim(3) != CANVAS)
            throw new DataFormatException(file + ": expected [frames, sequences, 64, 64] (the standard file is uint8 [20, 10000, 64, 64]), found " + m.info().dtype() + " " + s);
        if (in + out > s.dim(0))
            throw new DataFormatException(file + ": holds " + s.dim(0) + "-frame sequences, too short for " + in + " -> " + out);
        List<String> src = new ArrayList<>();
        src.add(file.getFileName() + ": " + m.info().dtype() + " " + s + (request.split().equals("val") ? " (val is the test file, as in OpenSTL)" : ""));
        return new MovingMnist(request.split(), in, out, s.dim(1), request.seed(), m, null, src);
    }

    /** The first of {@code names} found in {@code root} or {@code root/moving_mnist}. */
    private static Path find(Path root, String... names) {
        for (Path dir : List.of(root, root.resolve("moving_mnist")))
            for (String n : names) if (Files.isRegularFile(dir.resolve(n))) return dir.resolve(n);
        throw new DataFormatException(root + ": no " + String.join(" or ", names) + " here or in moving_mnist/ (see README, \"Data sets\")");
    }

    /** The pixels of an idx3 image file of 28x28 images (MNIST's format: big-endian header, then bytes). */
    static byte[] readIdx(Path file) {
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
             DataInputStream d = new DataInputStream(new java.io.BufferedInputStream(in, 1 << 16))) {
            int magic = d.readInt(), n = d.readInt(), rows = d.readInt(), cols = d.readInt();
            if (magic != 0x0803)
                throw new DataFormatException(file + ": not an idx3 image file (magic 0x" + Integer.toHexString(magic) + ", expected 0x803)");
            if (rows != DIGIT || cols != DIGIT || n <= 0)
                throw new DataFormatException(file + ": expected " + DIGIT + "x" + DIGIT + " images, header says " + n + " of " + rows + "x" + cols);
            byte[] px = new byte[n * DIGIT * DIGIT];
            d.readFully(px);
            return px;
        } catch (EOFException e) {
            throw new DataFormatException(file + ": truncated (the header promises more images than the file holds)", e);
        } catch (java.util.zip.ZipException e) {
            throw new DataFormatException(file + ": not a valid gzip file (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    @Override public String name() { return "moving-mnist/" + split; }
    @Override public int size() { return size; }
    @Override public int inFrames() { return inFrames; }
    @Override public int outFrames() { return outFrames; }
    @Override public int channels() { return 1; }
    @Override public int height() { return CANVAS; }
    @Override public int width() { return CANVAS; }
    @Override public List<String> sources() { return sources; }

    @Override
    public void fill(int index, float[] input, int inOff, float[] target, int tgtOff) {
        checkFill(index, input, inOff, target, tgtOff);
        int plane = CANVAS * CANVAS;
        if (sequences != null) {
            long seqs = sequences.shape().dim(1);
            for (int t = 0; t < inFrames + outFrames; t++) {
                float[] dst = t < inFrames ? input : target;
                int at = t < inFrames ? inOff + t * plane : tgtOff + (t - inFrames) * plane;
                sequences.read((t * seqs + index) * plane, dst, at, plane);
                for (int i = at; i < at + plane; i++) dst[i] /= 255f;
            }
            return;
        }
        generate(index, input, inOff, target, tgtOff);
    }

    /** One training sequence: OpenSTL's {@code generate_moving_mnist} with two digits. */
    private void generate(int index, float[] input, int inOff, float[] target, int tgtOff) {
        int frames = inFrames + outFrames, plane = CANVAS * CANVAS, room = CANVAS - DIGIT, n = digits.length / (DIGIT * DIGIT);
        SplittableRandom rnd = new SplittableRandom(Seeds.stream(seed, 7, index));
        Arrays.fill(input, inOff, inOff + inFrames * plane, 0f);
        Arrays.fill(target, tgtOff, tgtOff + outFrames * plane, 0f);
        for (int k = 0; k < 2; k++) {
            double x = rnd.nextDouble(), y = rnd.nextDouble(), theta = rnd.nextDouble() * 2 * Math.PI;
            // StrictMath: bit-identical trajectories on every JVM.
            double vx = StrictMath.cos(theta), vy = StrictMath.sin(theta);
            int digit = rnd.nextInt(n) * DIGIT * DIGIT;
            for (int t = 0; t < frames; t++) {
                // Step, then bounce: the position is clamped to the unit square and the velocity flips.
                x += vx * STEP;
                y += vy * STEP;
                if (x <= 0) { x = 0; vx = -vx; }
                if (x >= 1) { x = 1; vx = -vx; }
                if (y <= 0) { y = 0; vy = -vy; }
                if (y >= 1) { y = 1; vy = -vy; }
                int top = (int) (room * y), left = (int) (room * x);
                float[] dst = t < inFrames ? input : target;
                int base = (t < inFrames ? inOff + t * plane : tgtOff + (t - inFrames) * plane) + top * CANVAS + left;
                for (int r = 0; r < DIGIT; r++)
                    for (int c = 0; c < DIGIT; c++) {
                        float v = (digits[digit + r * DIGIT + c] & 0xff) / 255f;
                        int d = base + r * CANVAS + c;
                        if (v > dst[d]) dst[d] = v;
                    }
            }
        }
    }
}
