package org.pdr4j.models.data;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Synthetic Moving-MNIST-like sequences, generated on the fly: {@code digits} glyphs (0-9, drawn
 * from our own vector strokes by {@link Glyphs}, with a random scale, slant and stroke width) each
 * move with a random constant velocity and bounce off the walls, composited with {@code max} as
 * Moving MNIST does. Defaults: 64 x 64 frames, 1 channel, 28 x 28 glyphs, two digits, 10 input
 * and 10 target frames, speeds 2 to 5 pixels per frame.
 *
 * <p>Sample {@code i} of split {@code s} is a pure function of {@code (seed, s, i)}: a
 * {@link SplittableRandom} is seeded with a bijective mix of them, so for one seed no two
 * (split, index) pairs share a stream and "train", "val" and "test" never overlap. The split size
 * only bounds the index. Instances are immutable and thread-safe.
 *
 * <p>Motion (per axis, as in the Moving MNIST script): the glyph's top-left corner starts uniformly
 * in {@code [0, L]} with {@code L = frame - glyph}; each frame is drawn, then {@code x += v}, and
 * when {@code x} leaves {@code [0, L]} it is reflected back inside and {@code v} changes sign. Drawn
 * positions are rounded to whole pixels, so a glyph never leaves the frame.
 */
public final class MovingDigits implements Dataset {
    /** The splits, in the order that fixes their seed streams. */
    public static final List<String> SPLITS = List.of("train", "val", "test");

    private final String split;
    private final int splitId;
    private final long seed;
    private final int size, inFrames, outFrames, frame, glyph, digits;
    private final double minSpeed, maxSpeed;
    private final Glyphs bank;

    private MovingDigits(Builder b, String split, long seed) {
        this.splitId = SPLITS.indexOf(split);
        if (splitId < 0) throw new IllegalArgumentException("moving-digits: unknown split '" + split + "'; known splits: " + SPLITS);
        this.split = split;
        this.seed = seed;
        this.size = b.sizes[splitId];
        this.inFrames = b.inFrames;
        this.outFrames = b.outFrames;
        this.frame = b.frame;
        this.glyph = b.glyph;
        this.digits = b.digits;
        this.minSpeed = b.minSpeed;
        this.maxSpeed = b.maxSpeed;
        this.bank = Glyphs.bank(glyph);
    }

    /** The default configuration for {@code split} ("train" 10000, "val" 1000, "test" 1000 samples). */
    public static MovingDigits of(String split, long seed) {
        return builder().build(split, seed);
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    @Override public String name() { return "moving-digits/" + split; }
    @Override public int size() { return size; }
    @Override public int inFrames() { return inFrames; }
    @Override public int outFrames() { return outFrames; }
    @Override public int channels() { return 1; }
    @Override public int height() { return frame; }
    @Override public int width() { return frame; }

    /** The split this instance serves. */
    public String split() {
        return split;
    }

    /** Digits per sequence. */
    public int digits() {
        return digits;
    }

    /** Side of a glyph mask in pixels. */
    public int glyphSize() {
        return glyph;
    }

    @Override
    public void fill(int index, float[] input, int inOff, float[] target, int tgtOff) {
        checkFill(index, input, inOff, target, tgtOff);
        SplittableRandom rnd = new SplittableRandom(Seeds.stream(seed, splitId, index));
        int lim = frame - glyph, plane = frame * frame, frames = inFrames + outFrames;
        float[][] masks = new float[digits][];
        double[] x = new double[digits], y = new double[digits], vx = new double[digits], vy = new double[digits];
        for (int k = 0; k < digits; k++) {
            masks[k] = bank.mask(rnd.nextInt(10), rnd.nextInt(Glyphs.VARIANTS));
            x[k] = rnd.nextDouble() * lim;
            y[k] = rnd.nextDouble() * lim;
            double theta = rnd.nextDouble() * 2 * Math.PI;
            double speed = minSpeed + rnd.nextDouble() * (maxSpeed - minSpeed);
            // StrictMath: Math.sin/cos may differ in the last bit between JVMs and CPUs.
            vx[k] = speed * StrictMath.cos(theta);
            vy[k] = speed * StrictMath.sin(theta);
        }
        Arrays.fill(input, inOff, inOff + inFrames * plane, 0f);
        Arrays.fill(target, tgtOff, tgtOff + outFrames * plane, 0f);
        for (int t = 0; t < frames; t++) {
            float[] dst = t < inFrames ? input : target;
            int base = t < inFrames ? inOff + t * plane : tgtOff + (t - inFrames) * plane;
            for (int k = 0; k < digits; k++) {
                blitMax(masks[k], glyph, dst, base + (int) Math.round(y[k]) * frame + (int) Math.round(x[k]), frame);
                step(x, vx, k, lim);
                step(y, vy, k, lim);
            }
        }
    }

    /** {@code dst[at + r*stride + c] = max(dst[...], mask[r*n + c])} over an {@code n x n} mask. */
    private static void blitMax(float[] mask, int n, float[] dst, int at, int stride) {
        for (int r = 0; r < n; r++) {
            int d = at + r * stride, m = r * n;
            for (int c = 0; c < n; c++) {
                float v = mask[m + c];
                if (v > dst[d + c]) dst[d + c] = v;
            }
        }
    }

    /** One frame of motion on one axis: {@code p += v}, reflected back into [0, lim] (reversing v). */
    private static void step(double[] p, double[] v, int k, int lim) {
        double x = p[k] + v[k];
        if (lim == 0) x = 0;
        // A loop, not one test, so that speeds above the range still end inside it.
        while (x < 0 || x > lim) {
            x = x < 0 ? -x : 2.0 * lim - x;
            v[k] = -v[k];
        }
        p[k] = x;
    }

    /**
     * Measures single-thread generation speed (sequences per second, after warm-up) and, given a
     * path, writes a PNG strip of the first four training sequences there. Not used by tests.
     */
    public static void main(String[] args) throws java.io.IOException {
        long t0 = System.nanoTime();
        MovingDigits d = of("train", 42); // builds the glyph bank
        float[] in = new float[d.inputLength()], tgt = new float[d.targetLength()];
        System.out.printf("glyph bank (%d masks): %.1f ms%n", 10 * Glyphs.VARIANTS, (System.nanoTime() - t0) / 1e6);
        for (int rep = 0; rep < 5; rep++) {
            int n = 5000;
            long s = System.nanoTime();
            for (int i = 0; i < n; i++) d.fill(i % d.size(), in, 0, tgt, 0);
            double sec = (System.nanoTime() - s) / 1e9;
            System.out.printf("rep %d: %.0f sequences/s on one thread (%d frames of %dx%d)%n", rep, n / sec, d.inFrames() + d.outFrames(), d.width(), d.height());
        }
        if (args.length > 0) {
            DataLoader loader = DataLoader.builder(d).batchSize(4).shuffle(false).prefetch(false).build();
            DataLoader.Batch b = loader.batch(0, 0);
            org.pdr4j.models.viz.Strips.write(org.pdr4j.models.viz.Strips.batch(b.input(), b.target(), null, 4, true), java.nio.file.Path.of(args[0]));
            System.out.println("wrote " + args[0]);
        }
    }

    /** Settings of a {@link MovingDigits}; each setter checks its argument. */
    public static final class Builder {
        private final int[] sizes = {10000, 1000, 1000};
        private int inFrames = 10, outFrames = 10, frame = 64, glyph = 28, digits = 2;
        private double minSpeed = 2, maxSpeed = 5;

        private Builder() {}

        /** Samples in "train", "val" and "test". */
        public Builder sizes(int train, int val, int test) {
            if (train < 0 || val < 0 || test < 0) throw new IllegalArgumentException("moving-digits: sizes must be >= 0, got " + train + ", " + val + ", " + test);
            sizes[0] = train;
            sizes[1] = val;
            sizes[2] = test;
            return this;
        }

        /** Input and target frames per sample. */
        public Builder frames(int in, int out) {
            if (in < 1 || out < 1) throw new IllegalArgumentException("moving-digits: frames must be >= 1, got in=" + in + ", out=" + out);
            inFrames = in;
            outFrames = out;
            return this;
        }

        /** Side of the square frame and of the square glyph mask, in pixels. */
        public Builder size(int frameSize, int glyphSize) {
            if (glyphSize < 4 || frameSize < glyphSize) {
                throw new IllegalArgumentException("moving-digits: need 4 <= glyph size <= frame size, got glyph " + glyphSize + ", frame " + frameSize);
            }
            frame = frameSize;
            glyph = glyphSize;
            return this;
        }

        /** Digits per sequence. */
        public Builder digits(int n) {
            if (n < 1) throw new IllegalArgumentException("moving-digits: digits must be >= 1, got " + n);
            digits = n;
            return this;
        }

        /** Speed range in pixels per frame (the direction is uniform). */
        public Builder speed(double min, double max) {
            if (!(min >= 0 && max >= min && Double.isFinite(max))) throw new IllegalArgumentException("moving-digits: need 0 <= min <= max speed, got " + min + ", " + max);
            minSpeed = min;
            maxSpeed = max;
            return this;
        }

        /** The data set of {@code split} ("train", "val" or "test") for {@code seed}. */
        public MovingDigits build(String split, long seed) {
            return new MovingDigits(this, split, seed);
        }
    }
}
