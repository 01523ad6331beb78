package org.pdr4j.nn.init;

import java.util.SplittableRandom;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Storage;
import org.pdr4j.tensor.Tensor;

/**
 * Initialisers that write in place into a contiguous float32 tensor, with PyTorch's
 * distributions (not its random stream: no JVM can reproduce that). Each draws from the
 * caller's {@link SplittableRandom}, so a model is a pure function of its seed.
 */
public final class Init {
    private Init() {}

    private static float[] data(Tensor t) {
        if (t.dtype() != DType.F32 || !t.isContiguous() || t.offset() != 0)
            throw new IllegalArgumentException("initialisers write contiguous float32 tensors, got " + t.dtype() + " " + t.shape());
        return ((Storage.F32) t.storage()).array();
    }

    public static void constant(Tensor t, double v) { java.util.Arrays.fill(data(t), (float) v); }

    public static void zeros(Tensor t) { constant(t, 0); }

    public static void ones(Tensor t) { constant(t, 1); }

    public static void uniform(Tensor t, double lo, double hi, SplittableRandom rng) {
        float[] a = data(t);
        for (int i = 0; i < a.length; i++) a[i] = (float) (lo + (hi - lo) * rng.nextDouble());
    }

    /** Gaussian by Box-Muller (two draws per pair, one used: simple and stream-stable). */
    private static double gauss(SplittableRandom rng) {
        double u = 1.0 - rng.nextDouble(), v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    public static void normal(Tensor t, double mean, double std, SplittableRandom rng) {
        float[] a = data(t);
        for (int i = 0; i < a.length; i++) a[i] = (float) (mean + std * gauss(rng));
    }

    /** timm's {@code trunc_normal_(std)}: N(0, std) redrawn outside the absolute bounds [-2, 2]. */
    public static void truncNormal(Tensor t, double std, SplittableRandom rng) {
        float[] a = data(t);
        for (int i = 0; i < a.length; i++) {
            double x;
            do { x = std * gauss(rng); } while (x < -2 || x > 2);
            a[i] = (float) x;
        }
    }

    /** PyTorch's fan_in of a weight: size(1) times the receptive field (dims 2..). */
    public static int fanIn(Tensor w) {
        int f = w.rank() > 1 ? w.size(1) : w.size(0);
        for (int d = 2; d < w.rank(); d++) f *= w.size(d);
        return f;
    }

    /**
     * PyTorch's default for Linear and Conv: kaiming_uniform(a = sqrt 5), which is
     * U(-1/sqrt(fan_in), 1/sqrt(fan_in)), and the bias from the same range. Weight first.
     */
    public static void kaimingUniformDefault(Tensor w, Tensor bias, SplittableRandom rng) {
        double bound = 1 / Math.sqrt(Math.max(1, fanIn(w)));
        uniform(w, -bound, bound, rng);
        if (bias != null) uniform(bias, -bound, bound, rng);
    }
}
