package org.pdr4j.tensor.backend.cpu.norm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.pdr4j.tensor.Parallel;
import org.pdr4j.tensor.backend.cpu.simd.SimdReduce;
import org.pdr4j.tensor.backend.cpu.simd.SimdSpecies;

/**
 * Normalisation over contiguous blocks: the input is {@code [B, K, S]} and each block
 * {@code b} (its {@code K * S} values) is normalised by its own mean and biased variance, then
 * scaled and shifted per {@code k} by {@code w[p]}, {@code bias[p]} with
 * {@code p = (b % period) * K + k}.
 *
 * <ul>
 *   <li>GroupNorm on {@code [N, C, spatial]} with G groups: {@code B = N*G, K = C/G,
 *       S = spatial, period = G}.
 *   <li>LayerNorm over the last dims (D values) of R rows: {@code B = R, K = D, S = 1,
 *       period = 1}.
 * </ul>
 *
 * Blocks run in parallel; every sum has an order fixed by the sizes alone, so results do not
 * depend on the thread count. Float32 accumulates in vectors over chunks of {@link #CHUNK}
 * values, each chunk then added in double, and centres the values on the block's first one
 * before squaring (the shift keeps E[x^2] - E[x]^2 from cancelling when |mean| >> std).
 * Float64 is scalar and two-pass.
 */
public final class GroupNormKernel {
    private GroupNormKernel() {}

    private static final VectorSpecies<Float> F = SimdSpecies.F;
    private static final int L = SimdSpecies.LANES;
    /** Values summed in float vectors before the partial sum moves to double. */
    static final int CHUNK = 2048;

    private static int grain(int blockSize) {
        return Math.max(1, 32768 / Math.max(1, blockSize));
    }

    // ---------------------------------------------------------------- float32

    /**
     * Forward: {@code y = (x - mean_b) * rstd_b * w[p] + bias[p]}; writes each block's mean and
     * {@code rstd = 1 / sqrt(var + eps)} into {@code mean[b]}, {@code rstd[b]}.
     */
    public static void forward(float[] x, int B, int K, int S, int period, float[] w, float[] bias, double eps,
                               float[] y, double[] mean, double[] rstd) {
        int M = K * S;
        Parallel.forRange(B, grain(M), (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                int off = b * M;
                stats(x, off, M, eps, mean, rstd, b);
                float mu = (float) mean[b], rs = (float) rstd[b];
                int p0 = (b % period) * K;
                if (S == 1) {
                    FloatVector vm = FloatVector.broadcast(F, mu), vr = FloatVector.broadcast(F, rs);
                    int k = 0;
                    for (int bound = F.loopBound(K); k < bound; k += L) {
                        FloatVector v = FloatVector.fromArray(F, x, off + k).sub(vm).mul(vr);
                        v.fma(FloatVector.fromArray(F, w, p0 + k), FloatVector.fromArray(F, bias, p0 + k)).intoArray(y, off + k);
                    }
                    for (; k < K; k++) y[off + k] = (x[off + k] - mu) * rs * w[p0 + k] + bias[p0 + k];
                } else {
                    for (int k = 0; k < K; k++) {
                        float a = rs * w[p0 + k], sh = bias[p0 + k] - mu * a;
                        affine(x, y, off + k * S, S, a, sh);
                    }
                }
            }
        });
    }

    /** {@code y[o+i] = x[o+i] * a + sh} for i in [0, n). */
    static void affine(float[] x, float[] y, int o, int n, float a, float sh) {
        FloatVector va = FloatVector.broadcast(F, a), vs = FloatVector.broadcast(F, sh);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) FloatVector.fromArray(F, x, o + i).fma(va, vs).intoArray(y, o + i);
        for (; i < n; i++) y[o + i] = x[o + i] * a + sh;
    }

    /** Mean and rstd of {@code x[off, off+M)}, shifted by the first value. */
    static void stats(float[] x, int off, int M, double eps, double[] mean, double[] rstd, int at) {
        float pivot = x[off];
        FloatVector pv = FloatVector.broadcast(F, pivot);
        double s1 = 0, s2 = 0;
        for (int c0 = 0; c0 < M; c0 += CHUNK) {
            int c1 = Math.min(M, c0 + CHUNK), i = c0;
            FloatVector a1 = FloatVector.zero(F), a2 = FloatVector.zero(F);
            for (; i + L <= c1; i += L) {
                FloatVector v = FloatVector.fromArray(F, x, off + i).sub(pv);
                a1 = a1.add(v);
                a2 = v.fma(v, a2);
            }
            float t1 = SimdReduce.sum(a1), t2 = SimdReduce.sum(a2);
            for (; i < c1; i++) {
                float d = x[off + i] - pivot;
                t1 += d;
                t2 += d * d;
            }
            s1 += t1;
            s2 += t2;
        }
        double md = s1 / M, var = Math.max(0, s2 / M - md * md);
        mean[at] = pivot + md;
        rstd[at] = 1 / Math.sqrt(var + eps);
    }

    /**
     * Backward. With {@code xhat = (x - mean) * rstd} and {@code g = dy * w}:
     * {@code dx = rstd * (g - mean(g) - xhat * mean(g * xhat))} over each block. Per (b, k) it
     * writes {@code dwPart = sum_s dy * xhat} and {@code dbPart = sum_s dy} ({@code [B*K]});
     * {@link #reduceParts} folds them into the parameters' gradients. Null outputs are skipped.
     */
    public static void backward(float[] x, float[] dy, int B, int K, int S, int period, float[] w,
                                double[] mean, double[] rstd, float[] dx, float[] dwPart, float[] dbPart) {
        int M = K * S;
        Parallel.forRange(B, grain(M), (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                int off = b * M, p0 = (b % period) * K;
                float mu = (float) mean[b], rs = (float) rstd[b];
                FloatVector vm = FloatVector.broadcast(F, mu), vr = FloatVector.broadcast(F, rs);
                double sumG = 0, sumGx = 0;
                if (S == 1) {
                    FloatVector aG = FloatVector.zero(F), aGx = FloatVector.zero(F);
                    int k = 0;
                    for (int bound = F.loopBound(K); k < bound; k += L) {
                        FloatVector d = FloatVector.fromArray(F, dy, off + k);
                        FloatVector xh = FloatVector.fromArray(F, x, off + k).sub(vm).mul(vr);
                        FloatVector g = d.mul(FloatVector.fromArray(F, w, p0 + k));
                        if (dbPart != null) d.intoArray(dbPart, off + k);
                        if (dwPart != null) d.mul(xh).intoArray(dwPart, off + k);
                        aG = aG.add(g);
                        aGx = g.fma(xh, aGx);
                    }
                    sumG = SimdReduce.sum(aG);
                    sumGx = SimdReduce.sum(aGx);
                    for (; k < K; k++) {
                        float d = dy[off + k], xh = (x[off + k] - mu) * rs, g = d * w[p0 + k];
                        if (dbPart != null) dbPart[off + k] = d;
                        if (dwPart != null) dwPart[off + k] = d * xh;
                        sumG += g;
                        sumGx += g * xh;
                    }
                } else {
                    for (int k = 0; k < K; k++) {
                        int o = off + k * S;
                        FloatVector aD = FloatVector.zero(F), aDx = FloatVector.zero(F);
                        int i = 0;
                        for (int bound = F.loopBound(S); i < bound; i += L) {
                            FloatVector d = FloatVector.fromArray(F, dy, o + i);
                            aD = aD.add(d);
                            aDx = d.fma(FloatVector.fromArray(F, x, o + i).sub(vm), aDx);
                        }
                        float sd = SimdReduce.sum(aD), sdx = SimdReduce.sum(aDx);
                        for (; i < S; i++) {
                            sd += dy[o + i];
                            sdx += dy[o + i] * (x[o + i] - mu);
                        }
                        double sdxh = sdx * (double) rs;
                        if (dbPart != null) dbPart[b * K + k] = sd;
                        if (dwPart != null) dwPart[b * K + k] = (float) sdxh;
                        sumG += w[p0 + k] * (double) sd;
                        sumGx += w[p0 + k] * sdxh;
                    }
                }
                if (dx == null) continue;
                // dx = dy * (rs * w) + x * c2 + c3, with c2 = -rs^2 mean(g xhat), c3 = rs (mu rs mean(g xhat) - mean(g)).
                double mG = sumG / M, mGx = sumGx / M;
                float c2 = (float) (-rs * (double) rs * mGx), c3 = (float) (rs * (mu * (double) rs * mGx - mG));
                if (S == 1) {
                    FloatVector v2 = FloatVector.broadcast(F, c2), v3 = FloatVector.broadcast(F, c3);
                    int k = 0;
                    for (int bound = F.loopBound(K); k < bound; k += L) {
                        FloatVector t = FloatVector.fromArray(F, x, off + k).fma(v2, v3);
                        FloatVector.fromArray(F, dy, off + k).mul(FloatVector.fromArray(F, w, p0 + k)).fma(vr, t).intoArray(dx, off + k);
                    }
                    for (; k < K; k++) dx[off + k] = dy[off + k] * w[p0 + k] * rs + x[off + k] * c2 + c3;
                } else {
                    FloatVector v2 = FloatVector.broadcast(F, c2), v3 = FloatVector.broadcast(F, c3);
                    for (int k = 0; k < K; k++) {
                        int o = off + k * S;
                        float c1 = rs * w[p0 + k];
                        FloatVector v1 = FloatVector.broadcast(F, c1);
                        int i = 0;
                        for (int bound = F.loopBound(S); i < bound; i += L) {
                            FloatVector t = FloatVector.fromArray(F, x, o + i).fma(v2, v3);
                            FloatVector.fromArray(F, dy, o + i).fma(v1, t).intoArray(dx, o + i);
                        }
                        for (; i < S; i++) dx[o + i] = dy[o + i] * c1 + x[o + i] * c2 + c3;
                    }
                }
            }
        });
    }

    /**
     * {@code out[g*K + k] = sum over b = g, g+period, ... of part[b*K + k]} in double, b ascending
     * (parallel over k, so the order is fixed): folds per-block partials into [period*K].
     */
    public static double[] reduceParts(float[] part, int B, int K, int period) {
        double[] out = new double[period * K];
        Parallel.forRange(K, 64, (k0, k1) -> {
            for (int b = 0; b < B; b++) {
                int g = b % period, src = b * K, dst = g * K;
                for (int k = k0; k < k1; k++) out[dst + k] += part[src + k];
            }
        });
        return out;
    }

    // ---------------------------------------------------------------- float64

    /** Float64 {@link #forward(float[], int, int, int, int, float[], float[], double, float[], double[], double[])}, two-pass. */
    public static void forward(double[] x, int B, int K, int S, int period, double[] w, double[] bias, double eps,
                               double[] y, double[] mean, double[] rstd) {
        int M = K * S;
        Parallel.forRange(B, grain(M), (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                int off = b * M, p0 = (b % period) * K;
                double s = 0;
                for (int i = 0; i < M; i++) s += x[off + i];
                double mu = s / M, v = 0;
                for (int i = 0; i < M; i++) {
                    double d = x[off + i] - mu;
                    v += d * d;
                }
                double rs = 1 / Math.sqrt(v / M + eps);
                mean[b] = mu;
                rstd[b] = rs;
                for (int k = 0; k < K; k++) {
                    double a = rs * w[p0 + k], sh = bias[p0 + k];
                    for (int i = off + k * S, e = i + S; i < e; i++) y[i] = (x[i] - mu) * a + sh;
                }
            }
        });
    }

    /** Float64 {@link #backward(float[], float[], int, int, int, int, float[], double[], double[], float[], float[], float[])}. */
    public static void backward(double[] x, double[] dy, int B, int K, int S, int period, double[] w,
                                double[] mean, double[] rstd, double[] dx, double[] dwPart, double[] dbPart) {
        int M = K * S;
        Parallel.forRange(B, grain(M), (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                int off = b * M, p0 = (b % period) * K;
                double mu = mean[b], rs = rstd[b], sumG = 0, sumGx = 0;
                for (int k = 0; k < K; k++) {
                    double sd = 0, sdx = 0;
                    for (int i = off + k * S, e = i + S; i < e; i++) {
                        sd += dy[i];
                        sdx += dy[i] * (x[i] - mu) * rs;
                    }
                    if (dbPart != null) dbPart[b * K + k] = sd;
                    if (dwPart != null) dwPart[b * K + k] = sdx;
                    sumG += w[p0 + k] * sd;
                    sumGx += w[p0 + k] * sdx;
                }
                if (dx == null) continue;
                double mG = sumG / M, mGx = sumGx / M;
                for (int k = 0; k < K; k++) {
                    double wk = w[p0 + k];
                    for (int i = off + k * S, e = i + S; i < e; i++) dx[i] = rs * (dy[i] * wk - mG - (x[i] - mu) * rs * mGx);
                }
            }
        });
    }

    /** Float64 {@link #reduceParts(float[], int, int, int)}. */
    public static double[] reduceParts(double[] part, int B, int K, int period) {
        double[] out = new double[period * K];
        Parallel.forRange(K, 64, (k0, k1) -> {
            for (int b = 0; b < B; b++) {
                int g = b % period, src = b * K, dst = g * K;
                for (int k = k0; k < k1; k++) out[dst + k] += part[src + k];
            }
        });
        return out;
    }
}
