package org.pdr4j.nn.init;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.pdr4j.tensor.Storage;
import org.pdr4j.tensor.Tensor;

/**
 * PyTorch-style initialisers that overwrite a tensor in place. Nobody can reproduce torch's
 * random stream, so these match its distributions, drawing from a {@link SplittableRandom}.
 */
public final class Init {
    private Init() {}

    public static void zeros(Tensor t) { constant(t, 0); }

    public static void ones(Tensor t) { constant(t, 1); }

    public static void constant(Tensor t, double v) { t.assign(Tensor.full(t.dtype(), t.shape(), v)); }

    /** U(lo, hi). */
    public static void uniform(Tensor t, double lo, double hi, SplittableRandom rng) {
        if (!(hi >= lo)) throw new IllegalArgumentException("uniform: need lo <= hi, got " + lo + ", " + hi);
        fill(t, () -> lo + (hi - lo) * rng.nextDouble());
    }

    /** N(mean, std^2). */
    public static void normal(Tensor t, double mean, double std, SplittableRandom rng) {
        if (!(std >= 0)) throw new IllegalArgumentException("normal: std must be >= 0, got " + std);
        fill(t, () -> mean + std * gaussian(rng));
    }

    /**
     * N(0, std^2) truncated to the absolute interval [-2, 2], as timm's {@code trunc_normal_}
     * defaults (a=-2, b=2 are bounds on the value, not multiples of std); out-of-range draws are
     * redrawn.
     */
    public static void truncNormal(Tensor t, double std, SplittableRandom rng) {
        if (!(std > 0)) throw new IllegalArgumentException("truncNormal: std must be > 0, got " + std);
        fill(t, () -> {
            while (true) {
                double v = std * gaussian(rng);
                if (v >= -2 && v <= 2) return v;
            }
        });
    }

    /**
     * PyTorch's default Linear/Conv init: kaiming_uniform(a = sqrt 5) on the weight, which is
     * U(+-1/sqrt(fan_in)), and the bias U(+-1/sqrt(fan_in)); fan_in = size(1) * prod(size(2..)).
     */
    public static void kaimingUniformDefault(Tensor w, Tensor biasOrNull, SplittableRandom rng) {
        int fanIn = fanIn(w);
        double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
        uniform(w, -bound, bound, rng);
        if (biasOrNull != null) uniform(biasOrNull, -bound, bound, rng);
    }

    /** PyTorch's fan_in: dim 1 times the receptive field (the product of dims 2..). */
    public static int fanIn(Tensor w) {
        if (w.rank() < 2) throw new IllegalArgumentException("fan_in needs a tensor of rank >= 2, got " + w.shape());
        int f = w.size(1);
        for (int i = 2; i < w.rank(); i++) f *= w.size(i);
        return f;
    }

    private static double gaussian(SplittableRandom rng) {
        // Box-Muller; SplittableRandom has no nextGaussian before JDK 17's RandomGenerator default,
        // and spelling it out keeps the stream fixed across JDKs.
        double u1 = 1 - rng.nextDouble(), u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static void fill(Tensor t, DoubleSupplier gen) {
        if (t.isContiguous() && t.offset() == 0 && t.storage() instanceof Storage.F32 s) {
            float[] a = s.array();
            for (int i = 0, n = t.numel(); i < n; i++) a[i] = (float) gen.getAsDouble();
            return;
        }
        double[] v = new double[t.numel()];
        for (int i = 0; i < v.length; i++) v[i] = gen.getAsDouble();
        t.assign(Tensor.of(v, t.shape().toArray()));
    }
}
