package org.pdr4j.tensor.backend.cpu.norm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.pdr4j.tensor.Parallel;
import org.pdr4j.tensor.backend.cpu.simd.SimdSpecies;

/**
 * Separable 'valid' correlation of planes {@code [P, H, W]} with one 1-D kernel {@code k} (length
 * K) along both axes: {@code out [P, H-K+1, W-K+1]}, {@code out[i][j] = sum_a sum_b k[a] k[b]
 * x[i+a][j+b]}. The transpose (the backward) is the 'full' correlation with the flipped kernel,
 * computed as a valid one on the gradient padded by K-1 zeros on every side. Parallel over
 * planes; each output is one fixed sum.
 */
public final class BlurKernel {
    private BlurKernel() {}

    private static final VectorSpecies<Float> F = SimdSpecies.F;
    private static final int L = SimdSpecies.LANES;

    private static int grain(int planeSize) {
        return Math.max(1, 8192 / Math.max(1, planeSize));
    }

    /** Valid separable correlation of {@code x [P, H, W]} into {@code out [P, H-K+1, W-K+1]}. */
    public static void forward(float[] x, int P, int H, int W, float[] k, float[] out) {
        int K = k.length, Ho = H - K + 1, Wo = W - K + 1;
        Parallel.forRange(P, grain(H * W), (p0, p1) -> {
            float[] tmp = new float[H * Wo];
            for (int p = p0; p < p1; p++) {
                hpass(x, p * H * W, H, W, k, tmp);
                vpass(tmp, Wo, Ho, k, out, p * Ho * Wo);
            }
        });
    }

    /** The transpose of {@link #forward(float[], int, int, int, float[], float[])}: {@code g [P, Ho, Wo]} to {@code dx [P, H, W]}. */
    public static void backward(float[] g, int P, int H, int W, float[] k, float[] dx) {
        int K = k.length, Ho = H - K + 1, Wo = W - K + 1, Hp = H + K - 1, Wp = W + K - 1;
        float[] kf = new float[K];
        for (int i = 0; i < K; i++) kf[i] = k[K - 1 - i];
        Parallel.forRange(P, grain(H * W), (p0, p1) -> {
            float[] pad = new float[Hp * Wp], tmp = new float[Hp * W];
            for (int p = p0; p < p1; p++) {
                for (int i = 0; i < Ho; i++) System.arraycopy(g, (p * Ho + i) * Wo, pad, (i + K - 1) * Wp + K - 1, Wo);
                hpass(pad, 0, Hp, Wp, kf, tmp);
                vpass(tmp, W, H, kf, dx, p * H * W);
            }
        });
    }

    /** {@code dst[r][j] = sum_b src[off + r*w + j + b] k[b]} for r < rows, j < w-K+1. */
    private static void hpass(float[] src, int off, int rows, int w, float[] k, float[] dst) {
        int K = k.length, wo = w - K + 1;
        for (int r = 0; r < rows; r++) {
            int s = off + r * w, d = r * wo, j = 0;
            for (; j + L <= wo; j += L) {
                FloatVector acc = FloatVector.zero(F);
                for (int b = 0; b < K; b++) acc = FloatVector.fromArray(F, src, s + j + b).fma(FloatVector.broadcast(F, k[b]), acc);
                acc.intoArray(dst, d + j);
            }
            for (; j < wo; j++) {
                float acc = 0;
                for (int b = 0; b < K; b++) acc = Math.fma(src[s + j + b], k[b], acc);
                dst[d + j] = acc;
            }
        }
    }

    /** {@code dst[off + i*w + j] = sum_a src[(i+a)*w + j] k[a]} for i < rowsOut, j < w. */
    private static void vpass(float[] src, int w, int rowsOut, float[] k, float[] dst, int off) {
        int K = k.length;
        for (int i = 0; i < rowsOut; i++) {
            int d = off + i * w, j = 0;
            for (; j + L <= w; j += L) {
                FloatVector acc = FloatVector.zero(F);
                for (int a = 0; a < K; a++) acc = FloatVector.fromArray(F, src, (i + a) * w + j).fma(FloatVector.broadcast(F, k[a]), acc);
                acc.intoArray(dst, d + j);
            }
            for (; j < w; j++) {
                float acc = 0;
                for (int a = 0; a < K; a++) acc = Math.fma(src[(i + a) * w + j], k[a], acc);
                dst[d + j] = acc;
            }
        }
    }

    // ---------------------------------------------------------------- float64

    /** Float64 {@link #forward(float[], int, int, int, float[], float[])}. */
    public static void forward(double[] x, int P, int H, int W, double[] k, double[] out) {
        int K = k.length, Ho = H - K + 1, Wo = W - K + 1;
        Parallel.forRange(P, grain(H * W), (p0, p1) -> {
            double[] tmp = new double[H * Wo];
            for (int p = p0; p < p1; p++) {
                hpass(x, p * H * W, H, W, k, tmp);
                vpass(tmp, Wo, Ho, k, out, p * Ho * Wo);
            }
        });
    }

    /** Float64 {@link #backward(float[], int, int, int, float[], float[])}. */
    public static void backward(double[] g, int P, int H, int W, double[] k, double[] dx) {
        int K = k.length, Ho = H - K + 1, Wo = W - K + 1, Hp = H + K - 1, Wp = W + K - 1;
        double[] kf = new double[K];
        for (int i = 0; i < K; i++) kf[i] = k[K - 1 - i];
        Parallel.forRange(P, grain(H * W), (p0, p1) -> {
            double[] pad = new double[Hp * Wp], tmp = new double[Hp * W];
            for (int p = p0; p < p1; p++) {
                for (int i = 0; i < Ho; i++) System.arraycopy(g, (p * Ho + i) * Wo, pad, (i + K - 1) * Wp + K - 1, Wo);
                hpass(pad, 0, Hp, Wp, kf, tmp);
                vpass(tmp, W, H, kf, dx, p * H * W);
            }
        });
    }

    private static void hpass(double[] src, int off, int rows, int w, double[] k, double[] dst) {
        int K = k.length, wo = w - K + 1;
        for (int r = 0; r < rows; r++) {
            int s = off + r * w, d = r * wo;
            for (int j = 0; j < wo; j++) {
                double acc = 0;
                for (int b = 0; b < K; b++) acc += src[s + j + b] * k[b];
                dst[d + j] = acc;
            }
        }
    }

    private static void vpass(double[] src, int w, int rowsOut, double[] k, double[] dst, int off) {
        int K = k.length;
        for (int i = 0; i < rowsOut; i++) {
            int d = off + i * w;
            for (int j = 0; j < w; j++) {
                double acc = 0;
                for (int a = 0; a < K; a++) acc += src[(i + a) * w + j] * k[a];
                dst[d + j] = acc;
            }
        }
    }
}
