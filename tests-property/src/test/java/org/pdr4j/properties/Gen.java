package org.pdr4j.properties;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import org.pdr4j.autograd.GradCheck;
import org.pdr4j.autograd.Var;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Tensor;

/**
 * Shared generators and checks for the property classes.
 *
 * <p>Shapes come from jqwik (so they shrink); values, axes and masks come from a
 * {@link SplittableRandom} seeded by a jqwik {@code long}, and every failure message prints
 * the shapes and values in full so that it is a reproducer on its own.
 */
final class Gen {
    private Gen() {}

    /** Most elements in one gradient-checked input: central differences cost two forward passes per element. */
    static final int GRAD_CAP = 48;

    /** Central-difference step of every gradient check. */
    static final double EPS = 1e-6;
    /** Absolute tolerance of every gradient check: |analytic - numeric| <= ATOL + RTOL * |numeric|. */
    static final double ATOL = 1e-5;
    /** Relative tolerance of every gradient check. */
    static final double RTOL = 1e-4;

    // ---------------------------------------------------------------- shapes

    static int numel(int[] s) {
        long n = 1;
        for (int d : s) n *= d;
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    /** Shapes of rank {@code [minRank, maxRank]}, dims {@code [1, maxDim]}, at most {@code maxNumel} elements. */
    static Arbitrary<int[]> shapes(int minRank, int maxRank, int maxDim, int maxNumel) {
        return Arbitraries.integers().between(1, maxDim).array(int[].class).ofMinSize(minRank).ofMaxSize(maxRank)
                .filter(s -> numel(s) <= maxNumel);
    }

    /** Shapes for gradient checks: rank {@code [minRank, maxRank]}, dims 1..4, at most {@link #GRAD_CAP} elements. */
    static Arbitrary<int[]> gradShapes(int minRank, int maxRank) {
        return shapes(minRank, maxRank, 4, GRAD_CAP);
    }

    /**
     * {@code count} shapes that broadcast together, derived from {@code base}: each operand
     * keeps a dimension or sets it to 1 (so different operands may broadcast in different
     * directions), then drops a random number of leading dimensions.
     */
    static int[][] broadcastable(SplittableRandom r, int[] base, int count) {
        int[][] out = new int[count][];
        for (int k = 0; k < count; k++) {
            int[] s = base.clone();
            for (int i = 0; i < s.length; i++) if (r.nextInt(3) == 0) s[i] = 1;
            int drop = r.nextInt(3) == 0 ? r.nextInt(s.length + 1) : 0;
            out[k] = Arrays.copyOfRange(s, drop, s.length);
        }
        return out;
    }

    /** The broadcast of shapes that {@link #broadcastable} made. */
    static int[] broadcastShape(int[]... shapes) {
        int r = 0;
        for (int[] s : shapes) r = Math.max(r, s.length);
        int[] out = new int[r];
        Arrays.fill(out, 1);
        for (int[] s : shapes) {
            for (int i = 0; i < s.length; i++) {
                int j = r - s.length + i;
                if (s[i] != 1) out[j] = s[i];
            }
        }
        return out;
    }

    static int[] permutation(SplittableRandom r, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    static int[] inverse(int[] p) {
        int[] inv = new int[p.length];
        for (int i = 0; i < p.length; i++) inv[p[i]] = i;
        return inv;
    }

    /** A random subset of the axes of a rank-{@code rank} tensor, shuffled, each written as a or a - rank. */
    static int[] axes(SplittableRandom r, int rank) {
        int[] p = permutation(r, rank);
        int n = rank == 0 ? 0 : r.nextInt(rank + 1);
        int[] out = Arrays.copyOf(p, n);
        for (int i = 0; i < n; i++) if (r.nextBoolean()) out[i] -= rank;
        return out;
    }

    /** A random shape with {@code numel} elements (rank 0..4, size-1 dims included), possibly with one -1. */
    static int[] factorShape(SplittableRandom r, int numel, boolean allowInfer) {
        int rank = numel == 1 && r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(4);
        if (rank == 0) return new int[0];
        int[] d = new int[rank];
        Arrays.fill(d, 1);
        int n = numel;
        for (int p = 2; n > 1; ) {
            if (n % p == 0) {
                d[r.nextInt(rank)] *= p;
                n /= p;
            } else {
                p++;
            }
        }
        if (allowInfer && r.nextInt(3) == 0) d[r.nextInt(rank)] = -1;
        return d;
    }

    // ---------------------------------------------------------------- values (float64 unless said)

    /** Uniform values in {@code [lo, hi)}. */
    static Tensor uniform(SplittableRandom r, int[] shape, double lo, double hi) {
        double[] v = new double[numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = r.nextDouble(lo, hi);
        return Tensor.of(v, shape);
    }

    /** Values with |x| in {@code [lo, hi)} and a random sign: keeps away from kinks at 0. */
    static Tensor signedAway(SplittableRandom r, int[] shape, double lo, double hi) {
        double[] v = new double[numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = (r.nextBoolean() ? 1 : -1) * r.nextDouble(lo, hi);
        return Tensor.of(v, shape);
    }

    /**
     * Values on a lattice of spacing 0.05 with a jitter below 0.01: parity 0 uses even multiples,
     * parity 1 odd ones, so a parity-0 and a parity-1 value always differ by more than 0.03.
     */
    static double lattice(SplittableRandom r, int parity) {
        return (2 * r.nextInt(-20, 21) + parity) * 0.05 + r.nextDouble(0, 0.01);
    }

    static Tensor lattice(SplittableRandom r, int[] shape, int parity) {
        double[] v = new double[numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = lattice(r, parity);
        return Tensor.of(v, shape);
    }

    /** Pairwise distinct values (gaps above 0.04), in random order: no ties for max/min. */
    static Tensor distinct(SplittableRandom r, int[] shape) {
        int n = numel(shape);
        int[] p = permutation(r, n);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (p[i] - n / 2.0) * 0.05 + r.nextDouble(0, 0.01);
        return Tensor.of(v, shape);
    }

    /** An index tensor (integral float32 values in {@code [0, bound)}). */
    static Tensor index(SplittableRandom r, int[] shape, int bound) {
        float[] v = new float[numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = r.nextInt(bound);
        return Tensor.of(v, shape);
    }

    /** A float32 copy of {@code t} seen through a non-contiguous layout of the same shape and values. */
    static Tensor strided(SplittableRandom r, Tensor t) {
        Tensor f = t.to(DType.F32).contiguous();
        int rank = f.rank();
        switch (rank == 0 ? 0 : r.nextInt(4)) {
            case 1 -> {
                // Laid out in a random dimension order, then permuted back.
                int[] p = permutation(r, rank);
                return f.permute(p).contiguous().permute(inverse(p));
            }
            case 2 -> {
                // Every other element of a twice-as-long dimension, at an offset.
                int d = r.nextInt(rank);
                int[] big = f.shape().toArray();
                big[d] = 2 * big[d] + 1;
                Tensor host = Tensor.randn(r.nextLong(), big);
                return host.sliceScatter(f, d, 1, big[d], 2).slice(d, 1, big[d], 2);
            }
            case 3 -> {
                // A window into a padded tensor.
                int[] pads = new int[2 * rank];
                for (int i = 0; i < pads.length; i++) pads[i] = r.nextInt(3);
                Tensor host = f.pad(pads, 7.0);
                Tensor v = host;
                for (int i = 0; i < rank; i++) v = v.narrow(rank - 1 - i, pads[2 * i], f.size(rank - 1 - i));
                return v;
            }
            default -> {
                return f;
            }
        }
    }

    // ---------------------------------------------------------------- checks

    static String describe(Tensor t) {
        double[] v = t.toDoubleArray();
        String vals = v.length <= 64 ? Arrays.toString(v) : Arrays.toString(Arrays.copyOf(v, 64)) + "...";
        return t.shape() + " " + t.dtype() + " strides " + Arrays.toString(t.strides()) + " offset " + t.offset() + " " + vals;
    }

    static String describe(Tensor... ts) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ts.length; i++) sb.append("\n  input ").append(i).append(": ").append(describe(ts[i]));
        return sb.toString();
    }

    /** Analytic gradient equals float64 central differences within {@link #ATOL}/{@link #RTOL}, all inputs checked. */
    static void assertGrad(String what, Function<Var[], Var> fn, Tensor... inputs) {
        assertGrad(what, fn, inputs, null);
    }

    static void assertGrad(String what, Function<Var[], Var> fn, Tensor[] inputs, boolean[] differentiable) {
        GradCheck.Result res = GradCheck.check(fn, inputs, differentiable, EPS, ATOL, RTOL);
        if (!res.passed()) throw new AssertionError("gradcheck " + what + ": " + res + describe(inputs));
    }

    /** Element-wise |actual - expected| <= atol + rtol * |expected| with NaN matching NaN and infinities exact. */
    static void assertClose(String what, Tensor actual, Tensor expected, double rtol, double atol) {
        if (!actual.shape().equals(expected.shape())) {
            throw new AssertionError(what + ": shape " + actual.shape() + ", expected " + expected.shape());
        }
        double[] a = actual.toDoubleArray(), e = expected.toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            if (!close(a[i], e[i], rtol, atol)) {
                throw new AssertionError(what + ": element " + i + " is " + a[i] + ", expected " + e[i]
                        + " (|diff| " + Math.abs(a[i] - e[i]) + " > " + (atol + rtol * Math.abs(e[i])) + ")");
            }
        }
    }

    static boolean close(double a, double e, double rtol, double atol) {
        if (Double.isNaN(a) || Double.isNaN(e)) return Double.isNaN(a) && Double.isNaN(e);
        if (Double.isInfinite(a) || Double.isInfinite(e)) return a == e;
        return Math.abs(a - e) <= atol + rtol * Math.abs(e);
    }

    /** Same shape and equal values (NaN matches NaN, -0 equals 0): for ops that only move or copy data. */
    static void assertSame(String what, Tensor actual, Tensor expected) {
        assertClose(what, actual, expected, 0, 0);
    }
}
