package org.pdr4j.models.data;

import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.Storage;
import org.pdr4j.tensor.Tensor;

/**
 * A video-prediction data set: {@link #size()} samples, each an input clip of {@link #inFrames()}
 * frames and a target clip of the {@link #outFrames()} frames that follow, every frame
 * {@code [C, H, W]}. Values are in [0, 1] unless {@link #scale()} says otherwise (WeatherBench is
 * z-scored), and {@link #scale()} maps them back to physical units for metrics.
 *
 * <p>Contract for implementations:
 * <ul>
 *   <li><b>Deterministic:</b> {@code fill(i, ...)} writes the same values every time it is called
 *       with the same {@code i}, in any order, on any thread.
 *   <li><b>Thread-safe reads:</b> several threads may call {@link #fill} at once (a loader prefetches
 *       on a background thread while the trainer reads); implementations keep no mutable per-call
 *       state in fields.
 *   <li><b>Caller-owned memory:</b> {@link #fill} overwrites every element of its two destination
 *       ranges (no need to clear them first) and touches nothing outside them, so a batch is filled
 *       in place without allocating per sample.
 * </ul>
 */
public interface Dataset {
    /** A short name, e.g. {@code "moving-digits/train"}. */
    String name();

    /** Number of samples; valid indices are {@code 0..size()-1}. */
    int size();

    /** Frames per input clip (Tin). */
    int inFrames();

    /** Frames per target clip (Tout). */
    int outFrames();

    /** Channels per frame (C). */
    int channels();

    /** Frame height in pixels (H). */
    int height();

    /** Frame width in pixels (W). */
    int width();

    /**
     * Writes sample {@code index}: its input {@code [Tin, C, H, W]} into {@code input} from
     * {@code inOff} and its target {@code [Tout, C, H, W]} into {@code target} from {@code tgtOff},
     * row-major, in this data set's {@link #scale() scale}.
     *
     * @throws IllegalArgumentException if {@code index} is out of range or an array is too short
     */
    void fill(int index, float[] input, int inOff, float[] target, int tgtOff);

    /** How stored values map to physical ones; {@link ValueScale#UNIT_INTERVAL} for image data. */
    default ValueScale scale() {
        return ValueScale.UNIT_INTERVAL;
    }

    /**
     * Where the samples come from, one line per file or folder (what {@code pdr data check} prints),
     * e.g. {@code "mnist_test_seq.npy: uint8 [20, 10000, 64, 64]"}.
     */
    default java.util.List<String> sources() {
        return java.util.List.of(name());
    }

    /** Elements of one input clip: {@code Tin * C * H * W}. */
    default int inputLength() {
        return inFrames() * channels() * height() * width();
    }

    /** Elements of one target clip: {@code Tout * C * H * W}. */
    default int targetLength() {
        return outFrames() * channels() * height() * width();
    }

    /** Sample {@code index} as two new float32 tensors, {@code [Tin, C, H, W]} and {@code [Tout, C, H, W]}. */
    default Sample get(int index) {
        float[] in = new float[inputLength()], tgt = new float[targetLength()];
        fill(index, in, 0, tgt, 0);
        return new Sample(
                Tensor.wrap(new Storage.F32(in), Shape.of(inFrames(), channels(), height(), width())),
                Tensor.wrap(new Storage.F32(tgt), Shape.of(outFrames(), channels(), height(), width())));
    }

    /** Checks the arguments of {@link #fill} against this data set's sizes; for implementations. */
    default void checkFill(int index, float[] input, int inOff, float[] target, int tgtOff) {
        if (index < 0 || index >= size()) {
            throw new IllegalArgumentException(name() + ": index " + index + " out of range [0, " + size() + ")");
        }
        if (inOff < 0 || (long) inOff + inputLength() > input.length) {
            throw new IllegalArgumentException(name() + ": input needs " + inputLength() + " floats from offset " + inOff + ", array has " + input.length);
        }
        if (tgtOff < 0 || (long) tgtOff + targetLength() > target.length) {
            throw new IllegalArgumentException(name() + ": target needs " + targetLength() + " floats from offset " + tgtOff + ", array has " + target.length);
        }
    }

    /** One sample: input {@code [Tin, C, H, W]} and target {@code [Tout, C, H, W]}. */
    record Sample(Tensor input, Tensor target) {}
}
