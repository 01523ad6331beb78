package org.pdr4j.tensor.backend.cpu.conv;

import static org.pdr4j.tensor.backend.cpu.simd.SimdSpecies.F;
import static org.pdr4j.tensor.backend.cpu.simd.SimdSpecies.LANES;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import org.pdr4j.tensor.Parallel;
import org.pdr4j.tensor.backend.cpu.simd.Sgemm;

/**
 * Float32 convolution as matrix products: per sample and group, {@code y = W_g @ col(x)} where
 * {@code col} is the im2col matrix {@code [cinG*kh*kw, oh*ow]}; the input gradient is
 * {@code col2im(W_g^T @ gy)} and the weight gradient {@code sum_n gy_n @ col(x_n)^T}. A 1x1
 * stride-1 unpadded convolution skips im2col: the sample itself is the matrix.
 *
 * <p>Parallel over samples when there are at least as many samples as threads (each sample's
 * outputs are written by one task, the products then run inline); otherwise the samples run in
 * turn and {@link Sgemm} splits each product. The weight gradient is accumulated over samples in
 * index order. Either way every output element is summed in one fixed order, whatever the thread
 * count.
 */
final class GemmConv {
    private GemmConv() {}

    /** Per-thread im2col buffer, grown on demand. */
    private static final ThreadLocal<float[][]> COL = ThreadLocal.withInitial(() -> new float[1][0]);

    private static float[] col(int size) {
        float[][] h = COL.get();
        if (h[0].length < size) h[0] = new float[size];
        return h[0];
    }

    /** Minimum multiply-adds of one sample for the sample-parallel split to pay for a fork. */
    private static final long SAMPLE_PARALLEL_FLOPS = 1L << 18;

    private static void overSamples(ConvSpec s, Parallel.RangeBody body) {
        long perSample = (long) s.cout() * s.oh() * s.ow() * s.kdim();
        if (s.n() >= Parallel.threads() && perSample >= SAMPLE_PARALLEL_FLOPS) {
            Parallel.forRange(s.n(), 1, body);
        } else {
            body.run(0, s.n());
        }
    }

    static void forward(float[] x, float[] w, float[] bias, float[] y, ConvSpec s) {
        int ohw = s.oh() * s.ow(), hw = s.h() * s.w(), coutG = s.coutG(), cinG = s.cinG(), k = s.kdim();
        boolean pw = s.isPointwise();
        overSamples(s, (n0, n1) -> {
            float[] col = pw ? null : col(k * ohw);
            for (int n = n0; n < n1; n++) {
                for (int g = 0; g < s.groups(); g++) {
                    int yOff = (n * s.cout() + g * coutG) * ohw;
                    int xOff = (n * s.cin() + g * cinG) * hw;
                    if (pw) {
                        Sgemm.sgemm(false, false, coutG, ohw, k, 1f, w, g * coutG * k, k, x, xOff, hw, 0f, y, yOff, ohw);
                    } else {
                        im2col(x, xOff, col, s, 0, cinG);
                        Sgemm.sgemm(false, false, coutG, ohw, k, 1f, w, g * coutG * k, k, col, 0, ohw, 0f, y, yOff, ohw);
                    }
                }
                if (bias != null) {
                    for (int c = 0; c < s.cout(); c++) {
                        float b = bias[c];
                        int off = (n * s.cout() + c) * ohw;
                        for (int i = 0; i < ohw; i++) y[off + i] += b;
                    }
                }
            }
        });
    }

    static void backwardInput(float[] gy, float[] w, float[] dx, ConvSpec s) {
        int ohw = s.oh() * s.ow(), hw = s.h() * s.w(), coutG = s.coutG(), cinG = s.cinG(), k = s.kdim();
        boolean pw = s.isPointwise();
        // W_g^T stored [k, coutG] once: a plain product runs about twice as fast as a transposed-A one
        float[] wt = transposeGroups(w, s.groups(), coutG, k);
        overSamples(s, (n0, n1) -> {
            float[] col = pw ? null : col(k * ohw);
            for (int n = n0; n < n1; n++) {
                for (int g = 0; g < s.groups(); g++) {
                    int yOff = (n * s.cout() + g * coutG) * ohw;
                    int xOff = (n * s.cin() + g * cinG) * hw;
                    if (pw) {
                        Sgemm.sgemm(false, false, cinG, ohw, coutG, 1f, wt, g * coutG * k, coutG, gy, yOff, ohw, 0f, dx, xOff, hw);
                    } else {
                        Sgemm.sgemm(false, false, k, ohw, coutG, 1f, wt, g * coutG * k, coutG, gy, yOff, ohw, 0f, col, 0, ohw);
                        Arrays.fill(dx, xOff, xOff + cinG * hw, 0f);
                        col2im(col, dx, xOff, s);
                    }
                }
            }
        });
    }

    /**
     * Accumulates {@code dW_g^T [k, coutG] += col(x_n) gy_n^T} over samples in index order (the
     * transposed product has the long k side as rows, which the GEMM blocks better), then
     * transposes into {@code dw}.
     */
    static void backwardWeight(float[] gy, float[] x, float[] dw, ConvSpec s) {
        int ohw = s.oh() * s.ow(), hw = s.h() * s.w(), coutG = s.coutG(), cinG = s.cinG(), k = s.kdim();
        boolean pw = s.isPointwise();
        // Samples in WEIGHT_CHUNKS fixed runs, each summed in order into its own partial, the
        // partials then added in run order: parallel, and the same bits for any thread count.
        int runs = Math.min(s.n(), WEIGHT_CHUNKS);
        float[][] part = new float[runs][dw.length];
        Parallel.forRange(runs, 1, (r0, r1) -> {
            float[] col = pw ? null : col(k * ohw);
            for (int r = r0; r < r1; r++) {
                float[] dwt = part[r];
                int n0 = (int) ((long) s.n() * r / runs), n1 = (int) ((long) s.n() * (r + 1) / runs);
                for (int n = n0; n < n1; n++) {
                    float beta = n == n0 ? 0f : 1f;
                    for (int g = 0; g < s.groups(); g++) {
                        int yOff = (n * s.cout() + g * coutG) * ohw;
                        int xOff = (n * s.cin() + g * cinG) * hw;
                        if (pw) {
                            Sgemm.sgemm(false, true, k, coutG, ohw, 1f, x, xOff, hw, gy, yOff, ohw, beta, dwt, g * coutG * k, coutG);
                        } else {
                            im2col(x, xOff, col, s, 0, cinG);
                            Sgemm.sgemm(false, true, k, coutG, ohw, 1f, col, 0, ohw, gy, yOff, ohw, beta, dwt, g * coutG * k, coutG);
                        }
                    }
                }
            }
        });
        float[] dwt = part[0];
        for (int r = 1; r < runs; r++) {
            float[] p = part[r];
            for (int i = 0; i < dwt.length; i++) dwt[i] += p[i];
        }
        // dwt holds each group's [k, coutG] block: transposing the blocks back is the same map
        float[] back = transposeGroups(dwt, s.groups(), k, coutG);
        System.arraycopy(back, 0, dw, 0, dw.length);
    }

    /**
     * Runs of samples the weight gradient is split into. Fixed (not the thread count) so that
     * the summation order, and so the result, is the same on every machine; 8 keeps up to 8
     * cores busy at the price of 8 partial copies of the (small) weight.
     */
    static final int WEIGHT_CHUNKS = 8;

    /** Each of {@code groups} consecutive row-major {@code [rows, cols]} blocks transposed to {@code [cols, rows]}. */
    static float[] transposeGroups(float[] a, int groups, int rows, int cols) {
        float[] t = new float[a.length];
        for (int g = 0; g < groups; g++) {
            int off = g * rows * cols;
            for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) t[off + c * rows + r] = a[off + r * cols + c];
        }
        return t;
    }

    /**
     * Rows {@code [c0*kh*kw, c1*kh*kw)} of the im2col matrix of the channels at {@code xOff}:
     * {@code col[(c*kh + a)*kw + b][i*ow + j] = x[c, i*sh - ph + a*dh, j*sw - pw + b*dw]}, zero outside.
     */
    static void im2col(float[] x, int xOff, float[] col, ConvSpec s, int c0, int c1) {
        int h = s.h(), w = s.w(), oh = s.oh(), ow = s.ow(), ohw = oh * ow;
        int sh = s.strideH(), sw = s.strideW(), ph = s.padH(), pw = s.padW(), dh = s.dilH(), dw = s.dilW();
        for (int c = c0; c < c1; c++) {
            int xc = xOff + c * h * w;
            for (int a = 0; a < s.kh(); a++) {
                for (int b = 0; b < s.kw(); b++) {
                    int row = ((c * s.kh() + a) * s.kw() + b) * ohw;
                    int shift = b * dw - pw;
                    // output columns j whose input column j*sw + shift lies in [0, w)
                    int j0 = shift >= 0 ? 0 : Math.min(ow, (-shift + sw - 1) / sw);
                    int j1 = Math.max(j0, Math.min(ow, (w - 1 - shift) / sw + 1));
                    if (w - 1 - shift < 0) j1 = j0;
                    for (int i = 0; i < oh; i++) {
                        int ih = i * sh - ph + a * dh;
                        int o = row + i * ow;
                        if (ih < 0 || ih >= h) {
                            Arrays.fill(col, o, o + ow, 0f);
                            continue;
                        }
                        int xr = xc + ih * w + shift;
                        if (j0 > 0) Arrays.fill(col, o, o + j0, 0f);
                        if (sw == 1) {
                            // (guarded: an empty range may start before the array)
                            if (j1 > j0) System.arraycopy(x, xr + j0, col, o + j0, j1 - j0);
                        } else {
                            for (int j = j0; j < j1; j++) col[o + j] = x[xr + j * sw];
                        }
                        if (j1 < ow) Arrays.fill(col, o + j1, o + ow, 0f);
                    }
                }
            }
        }
    }

    /** Adds the im2col-shaped {@code col} back onto the channels at {@code dxOff} (the adjoint of {@link #im2col}). */
    static void col2im(float[] col, float[] dx, int dxOff, ConvSpec s) {
        int h = s.h(), w = s.w(), oh = s.oh(), ow = s.ow(), ohw = oh * ow;
        int sh = s.strideH(), sw = s.strideW(), ph = s.padH(), pw = s.padW(), dh = s.dilH(), dw = s.dilW();
        for (int c = 0; c < s.cinG(); c++) {
            int xc = dxOff + c * h * w;
            for (int a = 0; a < s.kh(); a++) {
                for (int b = 0; b < s.kw(); b++) {
                    int row = ((c * s.kh() + a) * s.kw() + b) * ohw;
                    int shift = b * dw - pw;
                    int j0 = shift >= 0 ? 0 : Math.min(ow, (-shift + sw - 1) / sw);
                    int j1 = Math.max(j0, Math.min(ow, (w - 1 - shift) / sw + 1));
                    if (w - 1 - shift < 0) j1 = j0;
                    for (int i = 0; i < oh; i++) {
                        int ih = i * sh - ph + a * dh;
                        if (ih < 0 || ih >= h) continue;
                        int o = row + i * ow, xr = xc + ih * w + shift;
                        if (sw == 1) {
                            int j = j0;
                            for (; j + LANES <= j1; j += LANES) {
                                FloatVector.fromArray(F, dx, xr + j).add(FloatVector.fromArray(F, col, o + j)).intoArray(dx, xr + j);
                            }
                            for (; j < j1; j++) dx[xr + j] += col[o + j];
                        } else {
                            for (int j = j0; j < j1; j++) dx[xr + j * sw] += col[o + j];
                        }
                    }
                }
            }
        }
    }
}
