package org.pdr4j.tensor.backend.cpu.conv;

import static org.pdr4j.tensor.backend.cpu.simd.SimdSpecies.F;
import static org.pdr4j.tensor.backend.cpu.simd.SimdSpecies.LANES;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import org.pdr4j.tensor.Parallel;

/**
 * Float32 depthwise convolution (one input and one output channel per group) at stride 1, any
 * kernel, padding and dilation, computed directly on the Vector API: each plane is copied into a
 * zero-bordered buffer so the inner loops run whole vectors along output rows with no bounds
 * checks. The input gradient is the same correlation of the border-padded output gradient with
 * the flipped kernel; the weight gradient sums {@code gy * shifted x} per tap.
 *
 * <p>Forward and input gradient are parallel over the {@code n * c} planes; the weight gradient
 * is parallel over channels and sums the batch in index order, so results do not depend on the
 * thread count. Each output element (and each tap sum) is accumulated in one fixed order, the
 * same in the vector body and the scalar tail.
 */
final class DepthwiseConv {
    private DepthwiseConv() {}

    /** Rows computed together: independent accumulators hide the FMA latency and share each weight broadcast. */
    private static final int ROWS = 4;

    private static final ThreadLocal<float[][]> BUF = ThreadLocal.withInitial(() -> new float[2][0]);

    private static float[] buf(int which, int size) {
        float[][] h = BUF.get();
        if (h[which].length < size) h[which] = new float[size];
        return h[which];
    }

    /** Whether this kernel handles {@code s}. */
    static boolean supports(ConvSpec s) {
        return s.isDepthwise() && s.strideH() == 1 && s.strideW() == 1;
    }

    private static int grain(ConvSpec s) {
        long perPlane = (long) s.oh() * s.ow() * s.kh() * s.kw();
        return (int) Math.max(1, (1 << 16) / Math.max(1, perPlane));
    }

    static void forward(float[] x, float[] w, float[] bias, float[] y, ConvSpec s) {
        int h = s.h(), wd = s.w(), oh = s.oh(), ow = s.ow(), c = s.cin(), kk = s.kh() * s.kw();
        int hp = h + 2 * s.padH(), wp = wd + 2 * s.padW();
        Parallel.forRange(s.n() * c, grain(s), (p0, p1) -> {
            float[] xp = buf(0, hp * wp);
            float[] wt = new float[kk];
            for (int p = p0; p < p1; p++) {
                int ch = p % c;
                pad(x, p * h * wd, h, wd, xp, s.padH(), s.padW(), wp, hp);
                System.arraycopy(w, ch * kk, wt, 0, kk);
                correlate(xp, wp, 0, 0, wt, s.kh(), s.kw(), s.dilH(), s.dilW(), y, p * oh * ow, oh, ow,
                        bias == null ? 0f : bias[ch]);
            }
        });
    }

    static void backwardInput(float[] gy, float[] w, float[] dx, ConvSpec s) {
        int h = s.h(), wd = s.w(), oh = s.oh(), ow = s.ow(), c = s.cin(), kh = s.kh(), kw = s.kw(), kk = kh * kw;
        // gy framed by (k-1)*d zeros on every side: then dx is a plain correlation with the flipped kernel
        int ah = (kh - 1) * s.dilH(), aw = (kw - 1) * s.dilW();
        int gh = oh + 2 * ah, gw = ow + 2 * aw;
        Parallel.forRange(s.n() * c, grain(s), (p0, p1) -> {
            float[] gp = buf(1, gh * gw);
            float[] wt = new float[kk];
            for (int p = p0; p < p1; p++) {
                int ch = p % c;
                pad(gy, p * oh * ow, oh, ow, gp, ah, aw, gw, gh);
                for (int t = 0; t < kk; t++) wt[t] = w[ch * kk + kk - 1 - t];
                correlate(gp, gw, s.padH(), s.padW(), wt, kh, kw, s.dilH(), s.dilW(), dx, p * h * wd, h, wd, 0f);
            }
        });
    }

    static void backwardWeight(float[] gy, float[] x, float[] dw, ConvSpec s) {
        int h = s.h(), wd = s.w(), oh = s.oh(), ow = s.ow(), c = s.cin(), kk = s.kh() * s.kw();
        int hp = h + 2 * s.padH(), wp = wd + 2 * s.padW();
        long perChannel = (long) s.n() * oh * ow * kk;
        Parallel.forRange(c, (int) Math.max(1, (1 << 16) / Math.max(1, perChannel)), (c0, c1) -> {
            float[] xp = buf(0, hp * wp);
            // per-tap lane accumulators over the whole batch (plus one spare slot for padded tap groups)
            float[] vacc = new float[(kk + 1) * LANES];
            float[] tail = new float[kk];
            for (int ch = c0; ch < c1; ch++) {
                Arrays.fill(vacc, 0f);
                Arrays.fill(tail, 0f);
                for (int n = 0; n < s.n(); n++) {
                    int p = n * c + ch;
                    pad(x, p * h * wd, h, wd, xp, s.padH(), s.padW(), wp, hp);
                    tapSums(gy, p * oh * ow, oh, ow, xp, wp, s.kh(), s.kw(), s.dilH(), s.dilW(), vacc, tail);
                }
                for (int t = 0; t < kk; t++) {
                    float sum = 0f;
                    for (int l = 0; l < LANES; l++) sum += vacc[t * LANES + l];
                    dw[ch * kk + t] = sum + tail[t];
                }
            }
        });
    }

    /** Copies the {@code h x w} plane at {@code off} into {@code dst} ({@code hp x wp}) at ({@code ph}, {@code pw}), zeros around it. */
    static void pad(float[] src, int off, int h, int w, float[] dst, int ph, int pw, int wp, int hp) {
        Arrays.fill(dst, 0, ph * wp, 0f);
        for (int i = 0; i < h; i++) {
            int r = (i + ph) * wp;
            Arrays.fill(dst, r, r + pw, 0f);
            System.arraycopy(src, off + i * w, dst, r + pw, w);
            Arrays.fill(dst, r + pw + w, r + wp, 0f);
        }
        Arrays.fill(dst, (h + ph) * wp, hp * wp, 0f);
    }

    /**
     * {@code out[i, j] = init + sum_{a,b} wt[a*kw + b] * src[(i + r0 + a*dh) * srcW + c0 + j + b*dw]}
     * for {@code i < outH, j < outW}, taps summed in (a, b) order with fused multiply-adds.
     */
    static void correlate(float[] src, int srcW, int r0, int c0, float[] wt, int kh, int kw, int dh, int dw,
            float[] out, int outOff, int outH, int outW, float init) {
        int jv = outW - outW % LANES;
        int i = 0;
        for (; i + ROWS <= outH; i += ROWS) {
            for (int j = 0; j < jv; j += LANES) {
                FloatVector a0 = FloatVector.broadcast(F, init), a1 = a0, a2 = a0, a3 = a0;
                for (int a = 0; a < kh; a++) {
                    int base = (i + r0 + a * dh) * srcW + c0 + j;
                    for (int b = 0; b < kw; b++) {
                        FloatVector wv = FloatVector.broadcast(F, wt[a * kw + b]);
                        int q = base + b * dw;
                        a0 = FloatVector.fromArray(F, src, q).fma(wv, a0);
                        a1 = FloatVector.fromArray(F, src, q + srcW).fma(wv, a1);
                        a2 = FloatVector.fromArray(F, src, q + 2 * srcW).fma(wv, a2);
                        a3 = FloatVector.fromArray(F, src, q + 3 * srcW).fma(wv, a3);
                    }
                }
                int o = outOff + i * outW + j;
                a0.intoArray(out, o);
                a1.intoArray(out, o + outW);
                a2.intoArray(out, o + 2 * outW);
                a3.intoArray(out, o + 3 * outW);
            }
        }
        for (; i < outH; i++) {
            for (int j = 0; j < jv; j += LANES) {
                FloatVector acc = FloatVector.broadcast(F, init);
                for (int a = 0; a < kh; a++) {
                    int base = (i + r0 + a * dh) * srcW + c0 + j;
                    for (int b = 0; b < kw; b++) {
                        acc = FloatVector.fromArray(F, src, base + b * dw).fma(FloatVector.broadcast(F, wt[a * kw + b]), acc);
                    }
                }
                acc.intoArray(out, outOff + i * outW + j);
            }
        }
        if (jv < outW) {
            for (i = 0; i < outH; i++) {
                for (int j = jv; j < outW; j++) {
                    float acc = init;
                    for (int a = 0; a < kh; a++) {
                        int base = (i + r0 + a * dh) * srcW + c0 + j;
                        for (int b = 0; b < kw; b++) acc = Math.fma(src[base + b * dw], wt[a * kw + b], acc);
                    }
                    out[outOff + i * outW + j] = acc;
                }
            }
        }
    }

    /**
     * Adds, per tap {@code t = a*kw + b}, the products {@code gy[i, j] * xp[i + a*dh, j + b*dw]} of one
     * plane: the vector part lane-wise into {@code vacc[t*LANES ..]}, the scalar tail columns into
     * {@code tail[t]}. Taps go in groups of up to four that share each gy load (a group of three
     * carries a spare tap into the slot after the last one).
     */
    static void tapSums(float[] gy, int gyOff, int oh, int ow, float[] xp, int wp, int kh, int kw, int dh, int dwStep,
            float[] vacc, float[] tail) {
        int jv = ow - ow % LANES, spare = kh * kw;
        for (int a = 0; a < kh; a++) {
            for (int b0 = 0; b0 < kw; b0 += 4) {
                int nb = Math.min(4, kw - b0), t0 = a * kw + b0, shift = a * dh * wp + b0 * dwStep;
                if (jv == 0) break;
                if (nb >= 3) {
                    int t3 = nb == 4 ? t0 + 3 : spare, d3 = nb == 4 ? 3 * dwStep : 0;
                    group4(gy, gyOff, oh, ow, jv, xp, wp, shift, dwStep, d3, vacc, t0, t3);
                } else {
                    for (int k = 0; k < nb; k++) group1(gy, gyOff, oh, ow, jv, xp, wp, shift + k * dwStep, vacc, t0 + k);
                }
            }
        }
        if (jv < ow) {
            for (int a = 0; a < kh; a++) {
                for (int b = 0; b < kw; b++) {
                    int shift = a * dh * wp + b * dwStep;
                    float sum = tail[a * kw + b];
                    for (int i = 0; i < oh; i++) {
                        for (int j = jv; j < ow; j++) sum = Math.fma(gy[gyOff + i * ow + j], xp[i * wp + j + shift], sum);
                    }
                    tail[a * kw + b] = sum;
                }
            }
        }
    }

    /** Taps t0, t0+1, t0+2 (columns shift, +d, +2d) and t3 (column shift + d3) against one gy load each. */
    private static void group4(float[] gy, int gyOff, int oh, int ow, int jv, float[] xp, int wp, int shift, int d, int d3,
            float[] vacc, int t0, int t3) {
        FloatVector s0 = FloatVector.fromArray(F, vacc, t0 * LANES), s1 = FloatVector.fromArray(F, vacc, (t0 + 1) * LANES);
        FloatVector s2 = FloatVector.fromArray(F, vacc, (t0 + 2) * LANES), s3 = FloatVector.fromArray(F, vacc, t3 * LANES);
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < jv; j += LANES) {
                FloatVector g = FloatVector.fromArray(F, gy, gyOff + i * ow + j);
                int q = i * wp + j + shift;
                s0 = g.fma(FloatVector.fromArray(F, xp, q), s0);
                s1 = g.fma(FloatVector.fromArray(F, xp, q + d), s1);
                s2 = g.fma(FloatVector.fromArray(F, xp, q + 2 * d), s2);
                s3 = g.fma(FloatVector.fromArray(F, xp, q + d3), s3);
            }
        }
        s0.intoArray(vacc, t0 * LANES);
        s1.intoArray(vacc, (t0 + 1) * LANES);
        s2.intoArray(vacc, (t0 + 2) * LANES);
        s3.intoArray(vacc, t3 * LANES);
    }

    /** One tap; even and odd rows in two accumulators, added at the end. */
    private static void group1(float[] gy, int gyOff, int oh, int ow, int jv, float[] xp, int wp, int shift, float[] vacc, int t) {
        FloatVector s0 = FloatVector.fromArray(F, vacc, t * LANES), s1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 <= oh; i += 2) {
            for (int j = 0; j < jv; j += LANES) {
                int g = gyOff + i * ow + j, q = i * wp + j + shift;
                s0 = FloatVector.fromArray(F, gy, g).fma(FloatVector.fromArray(F, xp, q), s0);
                s1 = FloatVector.fromArray(F, gy, g + ow).fma(FloatVector.fromArray(F, xp, q + wp), s1);
            }
        }
        for (; i < oh; i++) {
            for (int j = 0; j < jv; j += LANES) {
                s0 = FloatVector.fromArray(F, gy, gyOff + i * ow + j).fma(FloatVector.fromArray(F, xp, i * wp + j + shift), s0);
            }
        }
        s0.add(s1).intoArray(vacc, t * LANES);
    }
}
