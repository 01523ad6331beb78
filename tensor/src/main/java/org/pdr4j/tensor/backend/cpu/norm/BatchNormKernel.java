package org.pdr4j.tensor.backend.cpu.norm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.pdr4j.tensor.Parallel;
import org.pdr4j.tensor.backend.cpu.simd.SimdReduce;
import org.pdr4j.tensor.backend.cpu.simd.SimdSpecies;

/**
 * BatchNorm over {@code x [N, C, S]}: per channel c, statistics over its N segments of S values.
 * Parallel over channels (each channel's sums run in one order fixed by the sizes). Float32
 * sums in vectors per chunk, each chunk added in double, values shifted by the channel's first
 * value; float64 is scalar and two-pass.
 */
public final class BatchNormKernel {
    private BatchNormKernel() {}

    private static final VectorSpecies<Float> F = SimdSpecies.F;
    private static final int L = SimdSpecies.LANES;

    private static int grain(long perChannel) {
        return (int) Math.max(1, 32768 / Math.max(1, perChannel));
    }

    // ---------------------------------------------------------------- float32

    /** Per-channel mean and biased variance of {@code x [N, C, S]} into {@code mean[c]}, {@code var[c]}. */
    public static void stats(float[] x, int N, int C, int S, double[] mean, double[] var) {
        int M = N * S;
        Parallel.forRange(C, grain(M), (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                float pivot = x[c * S];
                FloatVector pv = FloatVector.broadcast(F, pivot);
                double s1 = 0, s2 = 0;
                for (int n = 0; n < N; n++) {
                    int o = (n * C + c) * S;
                    for (int q0 = 0; q0 < S; q0 += GroupNormKernel.CHUNK) {
                        int q1 = Math.min(S, q0 + GroupNormKernel.CHUNK), i = q0;
                        FloatVector a1 = FloatVector.zero(F), a2 = FloatVector.zero(F);
                        for (; i + L <= q1; i += L) {
                            FloatVector v = FloatVector.fromArray(F, x, o + i).sub(pv);
                            a1 = a1.add(v);
                            a2 = v.fma(v, a2);
                        }
                        float t1 = SimdReduce.sum(a1), t2 = SimdReduce.sum(a2);
                        for (; i < q1; i++) {
                            float d = x[o + i] - pivot;
                            t1 += d;
                            t2 += d * d;
                        }
                        s1 += t1;
                        s2 += t2;
                    }
                }
                double md = s1 / M;
                mean[c] = pivot + md;
                var[c] = Math.max(0, s2 / M - md * md);
            }
        });
    }

    /** {@code y = (x - mean[c]) / sqrt(var[c] + eps) * w[c] + b[c]}. */
    public static void normalise(float[] x, int N, int C, int S, double[] mean, double[] var, double eps,
                                 float[] w, float[] b, float[] y) {
        Parallel.forRange(N * C, grain(S), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int c = r % C;
                double a = w[c] / Math.sqrt(var[c] + eps);
                GroupNormKernel.affine(x, y, r * S, S, (float) a, (float) (b[c] - mean[c] * a));
            }
        });
    }

    /**
     * Backward. Writes {@code dw[c] = sum dy * xhat}, {@code db[c] = sum dy} (nullable) and
     * {@code dx} (nullable): with batch statistics ({@code training}) the closed form
     * {@code dx = rstd * w * (dy - mean(dy) - xhat * mean(dy * xhat))}, else {@code dy * rstd * w}.
     */
    public static void backward(float[] x, float[] dy, int N, int C, int S, double[] mean, double[] var, double eps,
                                float[] w, boolean training, float[] dx, double[] dw, double[] db) {
        int M = N * S;
        Parallel.forRange(C, grain(M), (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                float mu = (float) mean[c];
                double rs = 1 / Math.sqrt(var[c] + eps);
                FloatVector vm = FloatVector.broadcast(F, mu);
                double sd = 0, sdx = 0;
                boolean needSums = dw != null || db != null || (dx != null && training);
                for (int n = 0; needSums && n < N; n++) {
                    int o = (n * C + c) * S;
                    for (int q0 = 0; q0 < S; q0 += GroupNormKernel.CHUNK) {
                        int q1 = Math.min(S, q0 + GroupNormKernel.CHUNK), i = q0;
                        FloatVector aD = FloatVector.zero(F), aDx = FloatVector.zero(F);
                        for (; i + L <= q1; i += L) {
                            FloatVector d = FloatVector.fromArray(F, dy, o + i);
                            aD = aD.add(d);
                            aDx = d.fma(FloatVector.fromArray(F, x, o + i).sub(vm), aDx);
                        }
                        float t1 = SimdReduce.sum(aD), t2 = SimdReduce.sum(aDx);
                        for (; i < q1; i++) {
                            t1 += dy[o + i];
                            t2 += dy[o + i] * (x[o + i] - mu);
                        }
                        sd += t1;
                        sdx += t2;
                    }
                }
                double sdxh = sdx * rs;
                if (dw != null) dw[c] = sdxh;
                if (db != null) db[c] = sd;
                if (dx == null) continue;
                double c1d = rs * w[c];
                float k1 = (float) c1d, k2 = 0, k3 = 0;
                if (training) {
                    double mD = sd / M, mDx = sdxh / M;
                    k2 = (float) (-c1d * rs * mDx);
                    k3 = (float) (c1d * (mu * rs * mDx - mD));
                }
                FloatVector v1 = FloatVector.broadcast(F, k1), v2 = FloatVector.broadcast(F, k2), v3 = FloatVector.broadcast(F, k3);
                for (int n = 0; n < N; n++) {
                    int o = (n * C + c) * S, i = 0;
                    for (int bound = F.loopBound(S); i < bound; i += L) {
                        FloatVector t = FloatVector.fromArray(F, x, o + i).fma(v2, v3);
                        FloatVector.fromArray(F, dy, o + i).fma(v1, t).intoArray(dx, o + i);
                    }
                    for (; i < S; i++) dx[o + i] = dy[o + i] * k1 + x[o + i] * k2 + k3;
                }
            }
        });
    }

    // ---------------------------------------------------------------- float64

    /** Float64 {@link #stats(float[], int, int, int, double[], double[])}, two-pass. */
    public static void stats(double[] x, int N, int C, int S, double[] mean, double[] var) {
        int M = N * S;
        Parallel.forRange(C, grain(M), (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                double s = 0;
                for (int n = 0; n < N; n++) for (int i = (n * C + c) * S, e = i + S; i < e; i++) s += x[i];
                double mu = s / M, v = 0;
                for (int n = 0; n < N; n++) {
                    for (int i = (n * C + c) * S, e = i + S; i < e; i++) {
                        double d = x[i] - mu;
                        v += d * d;
                    }
                }
                mean[c] = mu;
                var[c] = v / M;
            }
        });
    }

    /** Float64 {@link #normalise(float[], int, int, int, double[], double[], double, float[], float[], float[])}. */
    public static void normalise(double[] x, int N, int C, int S, double[] mean, double[] var, double eps,
                                 double[] w, double[] b, double[] y) {
        Parallel.forRange(N * C, grain(S), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int c = r % C;
                double rs = 1 / Math.sqrt(var[c] + eps), mu = mean[c];
                for (int i = r * S, e = i + S; i < e; i++) y[i] = (x[i] - mu) * rs * w[c] + b[c];
            }
        });
    }

    /** Float64 {@link #backward(float[], float[], int, int, int, double[], double[], double, float[], boolean, float[], double[], double[])}. */
    public static void backward(double[] x, double[] dy, int N, int C, int S, double[] mean, double[] var, double eps,
                                double[] w, boolean training, double[] dx, double[] dw, double[] db) {
        int M = N * S;
        Parallel.forRange(C, grain(M), (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                double mu = mean[c], rs = 1 / Math.sqrt(var[c] + eps), sd = 0, sdx = 0;
                for (int n = 0; n < N; n++) {
                    for (int i = (n * C + c) * S, e = i + S; i < e; i++) {
                        sd += dy[i];
                        sdx += dy[i] * (x[i] - mu) * rs;
                    }
                }
                if (dw != null) dw[c] = sdx;
                if (db != null) db[c] = sd;
                if (dx == null) continue;
                double mD = training ? sd / M : 0, mDx = training ? sdx / M : 0;
                for (int n = 0; n < N; n++) {
                    for (int i = (n * C + c) * S, e = i + S; i < e; i++) dx[i] = rs * w[c] * (dy[i] - mD - (x[i] - mu) * rs * mDx);
                }
            }
        });
    }
}
