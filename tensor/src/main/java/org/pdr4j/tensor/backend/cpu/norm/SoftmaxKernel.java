package org.pdr4j.tensor.backend.cpu.norm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.pdr4j.tensor.Parallel;
import org.pdr4j.tensor.backend.cpu.simd.SimdReduce;
import org.pdr4j.tensor.backend.cpu.simd.SimdSpecies;

/**
 * Softmax and log-softmax over the middle axis of {@code [outer, D, inner]}, stable (the row's
 * maximum is subtracted first). Rows of the last axis ({@code inner == 1}) run in vectors;
 * other layouts element by element. Parallel over {@code outer}; each row's sums have a fixed order.
 */
public final class SoftmaxKernel {
    private SoftmaxKernel() {}

    private static final VectorSpecies<Float> F = SimdSpecies.F;
    private static final int L = SimdSpecies.LANES;

    private static int grain(int perRow) {
        return Math.max(1, 16384 / Math.max(1, perRow));
    }

    /** {@code y = softmax(x)} or, when {@code log}, {@code log_softmax(x)}. */
    public static void forward(float[] x, int outer, int D, int inner, boolean log, float[] y) {
        Parallel.forRange(outer, grain(D * inner), (o0, o1) -> {
            for (int o = o0; o < o1; o++) {
                int base = o * D * inner;
                if (inner == 1) row(x, base, D, log, y);
                else for (int i = 0; i < inner; i++) strided(x, base + i, D, inner, log, y);
            }
        });
    }

    private static void row(float[] x, int off, int D, boolean log, float[] y) {
        int d = 0;
        float m = Float.NEGATIVE_INFINITY;
        if (D >= L) {
            FloatVector vm = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
            for (int bound = F.loopBound(D); d < bound; d += L) vm = vm.max(FloatVector.fromArray(F, x, off + d));
            m = vm.reduceLanes(VectorOperators.MAX); // max is order-free
        }
        for (; d < D; d++) m = Math.max(m, x[off + d]);
        if (m == Float.NEGATIVE_INFINITY) m = 0; // an all -inf row: avoid inf - inf
        FloatVector vmax = FloatVector.broadcast(F, m), acc = FloatVector.zero(F);
        d = 0;
        for (int bound = F.loopBound(D); d < bound; d += L) {
            FloatVector e = FloatVector.fromArray(F, x, off + d).sub(vmax).lanewise(VectorOperators.EXP);
            if (!log) e.intoArray(y, off + d);
            acc = acc.add(e);
        }
        float s = SimdReduce.sum(acc);
        for (; d < D; d++) {
            float e = (float) Math.exp(x[off + d] - m);
            if (!log) y[off + d] = e;
            s += e;
        }
        if (log) {
            float shift = m + (float) Math.log(s);
            FloatVector vs = FloatVector.broadcast(F, shift);
            d = 0;
            for (int bound = F.loopBound(D); d < bound; d += L) FloatVector.fromArray(F, x, off + d).sub(vs).intoArray(y, off + d);
            for (; d < D; d++) y[off + d] = x[off + d] - shift;
        } else {
            float inv = 1 / s;
            d = 0;
            for (int bound = F.loopBound(D); d < bound; d += L) FloatVector.fromArray(F, y, off + d).mul(inv).intoArray(y, off + d);
            for (; d < D; d++) y[off + d] *= inv;
        }
    }

    private static void strided(float[] x, int off, int D, int st, boolean log, float[] y) {
        float m = Float.NEGATIVE_INFINITY;
        for (int d = 0; d < D; d++) m = Math.max(m, x[off + d * st]);
        if (m == Float.NEGATIVE_INFINITY) m = 0;
        double s = 0;
        for (int d = 0; d < D; d++) {
            float e = (float) Math.exp(x[off + d * st] - m);
            if (!log) y[off + d * st] = e;
            s += e;
        }
        if (log) {
            float shift = m + (float) Math.log(s);
            for (int d = 0; d < D; d++) y[off + d * st] = x[off + d * st] - shift;
        } else {
            float inv = (float) (1 / s);
            for (int d = 0; d < D; d++) y[off + d * st] *= inv;
        }
    }

    /**
     * Gradient from the forward output {@code y}: softmax {@code dx = y * (g - sum(g * y))};
     * log-softmax {@code dx = g - exp(y) * sum(g)}.
     */
    public static void backward(float[] y, float[] g, int outer, int D, int inner, boolean log, float[] dx) {
        Parallel.forRange(outer, grain(D * inner), (o0, o1) -> {
            for (int o = o0; o < o1; o++) {
                int base = o * D * inner;
                if (inner == 1) {
                    rowBackward(y, g, base, D, log, dx);
                    continue;
                }
                for (int i = 0; i < inner; i++) {
                    int off = base + i;
                    double s = 0;
                    for (int d = 0; d < D; d++) s += log ? g[off + d * inner] : g[off + d * inner] * y[off + d * inner];
                    float fs = (float) s;
                    for (int d = 0; d < D; d++) {
                        int j = off + d * inner;
                        dx[j] = log ? g[j] - (float) Math.exp(y[j]) * fs : y[j] * (g[j] - fs);
                    }
                }
            }
        });
    }

    private static void rowBackward(float[] y, float[] g, int off, int D, boolean log, float[] dx) {
        FloatVector acc = FloatVector.zero(F);
        int d = 0;
        for (int bound = F.loopBound(D); d < bound; d += L) {
            FloatVector gv = FloatVector.fromArray(F, g, off + d);
            acc = log ? acc.add(gv) : gv.fma(FloatVector.fromArray(F, y, off + d), acc);
        }
        float s = SimdReduce.sum(acc);
        for (; d < D; d++) s += log ? g[off + d] : g[off + d] * y[off + d];
        FloatVector vs = FloatVector.broadcast(F, s);
        d = 0;
        for (int bound = F.loopBound(D); d < bound; d += L) {
            FloatVector gv = FloatVector.fromArray(F, g, off + d), yv = FloatVector.fromArray(F, y, off + d);
            FloatVector r = log ? gv.sub(yv.lanewise(VectorOperators.EXP).mul(vs)) : yv.mul(gv.sub(vs));
            r.intoArray(dx, off + d);
        }
        for (; d < D; d++) dx[off + d] = log ? g[off + d] - (float) Math.exp(y[off + d]) * s : y[off + d] * (g[off + d] - s);
    }

    // ---------------------------------------------------------------- float64

    /** Float64 {@link #forward(float[], int, int, int, boolean, float[])}. */
    public static void forward(double[] x, int outer, int D, int inner, boolean log, double[] y) {
        Parallel.forRange(outer, grain(D * inner), (o0, o1) -> {
            for (int o = o0; o < o1; o++) {
                for (int i = 0; i < inner; i++) {
                    int off = o * D * inner + i;
                    double m = Double.NEGATIVE_INFINITY;
                    for (int d = 0; d < D; d++) m = Math.max(m, x[off + d * inner]);
                    if (m == Double.NEGATIVE_INFINITY) m = 0;
                    double s = 0;
                    for (int d = 0; d < D; d++) {
                        double e = Math.exp(x[off + d * inner] - m);
                        if (!log) y[off + d * inner] = e;
                        s += e;
                    }
                    double shift = m + Math.log(s);
                    for (int d = 0; d < D; d++) {
                        int j = off + d * inner;
                        y[j] = log ? x[j] - shift : y[j] / s;
                    }
                }
            }
        });
    }

    /** Float64 {@link #backward(float[], float[], int, int, int, boolean, float[])}. */
    public static void backward(double[] y, double[] g, int outer, int D, int inner, boolean log, double[] dx) {
        Parallel.forRange(outer, grain(D * inner), (o0, o1) -> {
            for (int o = o0; o < o1; o++) {
                for (int i = 0; i < inner; i++) {
                    int off = o * D * inner + i;
                    double s = 0;
                    for (int d = 0; d < D; d++) s += log ? g[off + d * inner] : g[off + d * inner] * y[off + d * inner];
                    for (int d = 0; d < D; d++) {
                        int j = off + d * inner;
                        dx[j] = log ? g[j] - Math.exp(y[j]) * s : y[j] * (g[j] - s);
                    }
                }
            }
        });
    }
}
