package org.pdr4j.tensor.backend.cpu.conv;

import static org.pdr4j.tensor.backend.cpu.simd.SimdSpecies.F;
import static org.pdr4j.tensor.backend.cpu.simd.SimdSpecies.LANES;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import org.pdr4j.tensor.Parallel;

/**
 * Direct float32 weight gradient for stride-1, ungrouped convolutions with few output channels
 * (the SimVP encoder and decoder: 3x3, 16 channels, on 32x32..64x64 frames). There im2col +
 * GEMM computes {@code dW^T [cin*9, 16]}, a 16-column product against a 32-column microkernel,
 * and streams a 9x larger matrix through memory. Measured on the digits config (160 frames,
 * 2 threads): 16 -> 16 at 64x64 48 vs 67 ms, at 32x32 16 vs 18 ms, 1 -> 16 at 64x64 4 vs 12 ms;
 * at 64 output channels GEMM wins (27 vs 61 ms), so those stay on it. (A direct forward was
 * tried too and lost to im2col + GEMM at every shape here.)
 *
 * <p>Each sample is first copied into a zero-padded buffer, so the inner loop has no bounds
 * tests. Per sample, input channel c and kernel row a, {@value #CO} x kw vector accumulators
 * gather {@code gy[co][i][j] * xpad[c][i + a*dh][j + b*dw]} over all output pixels. Samples run
 * in {@link GemmConv#WEIGHT_CHUNKS} fixed runs whose lane partials are added in order, so every
 * weight is summed in an order fixed by the shape, whatever the thread count.
 */
final class DirectConv {
    private DirectConv() {}

    /** Output channels per register tile. */
    static final int CO = 8;
    /** Widest kernel row the weight gradient's accumulators cover. */
    static final int MAX_KW = 3;

    /** Most output channels this path takes (above, GEMM's shapes are good: see the class comment). */
    static final int MAX_COUT = 32;

    /**
     * Stride 1, one group, not 1x1, {@value #CO} to {@value #MAX_COUT} output channels in
     * multiples of {@value #CO}, kernel rows of at most {@value #MAX_KW} taps, output rows of
     * whole vectors.
     */
    static boolean supports(ConvSpec s) {
        return s.strideH() == 1 && s.strideW() == 1 && s.groups() == 1 && !(s.kh() == 1 && s.kw() == 1)
                && s.cout() % CO == 0 && s.cout() <= MAX_COUT && s.kw() <= MAX_KW && s.ow() % LANES == 0;
    }

    /**
     * Padded-buffer geometry of one sample: rows {@code h + 2ph}, row pitch {@code w + 2pw}. At
     * stride 1 the last tap of the last output vector reads column {@code ow - 1 + (kw-1)*dw =
     * w + 2pw - 1}, so no slack is needed.
     */
    private record Padded(int rows, int pitch, int size) {
        static Padded of(ConvSpec s) {
            int rows = s.h() + 2 * s.padH(), pitch = s.w() + 2 * s.padW();
            return new Padded(rows, pitch, s.cin() * rows * pitch);
        }
    }

    private static final ThreadLocal<float[][]> PAD = ThreadLocal.withInitial(() -> new float[1][0]);

    private static float[] padBuffer(int size) {
        float[][] h = PAD.get();
        if (h[0].length < size) h[0] = new float[size];
        return h[0];
    }

    /** Copies sample {@code n} of {@code x} into {@code xp} with zero borders. */
    private static void pad(float[] x, int n, ConvSpec s, Padded p, float[] xp) {
        Arrays.fill(xp, 0, p.size(), 0f);
        int hw = s.h() * s.w();
        for (int c = 0; c < s.cin(); c++) {
            int src = (n * s.cin() + c) * hw, dst = (c * p.rows() + s.padH()) * p.pitch() + s.padW();
            for (int i = 0; i < s.h(); i++) System.arraycopy(x, src + i * s.w(), xp, dst + i * p.pitch(), s.w());
        }
    }

    /**
     * {@code dw [cout, cin, kh, kw]} from {@code gy [n, cout, oh, ow]} and {@code x}: for each
     * sample, input channel c and kernel row a, the accumulators {@code acc[r][b]} gather
     * {@code gy[co + r][i][j] * xpad[c][i + a*dh][j + b*dw]} over all output pixels.
     */
    static void backwardWeight(float[] gy, float[] x, float[] dw, ConvSpec s) {
        int kh = s.kh(), kw = s.kw(), cin = s.cin(), blocks = s.cout() / CO;
        int runs = Math.min(s.n(), GemmConv.WEIGHT_CHUNKS);
        // Per run: lanes of every (co, c, a, b) accumulator, reduced across lanes only at the end.
        int entries = s.cout() * cin * kh * MAX_KW;
        float[][] part = new float[runs][entries * LANES];
        Padded p = Padded.of(s);
        Parallel.forRange(runs, 1, (r0, r1) -> {
            float[] xp = padBuffer(p.size());
            for (int r = r0; r < r1; r++) {
                int n0 = (int) ((long) s.n() * r / runs), n1 = (int) ((long) s.n() * (r + 1) / runs);
                for (int n = n0; n < n1; n++) {
                    pad(x, n, s, p, xp);
                    for (int cb = 0; cb < blocks; cb++) {
                        for (int c = 0; c < cin; c++) {
                            for (int a = 0; a < kh; a++) weightRow(gy, xp, p, s, n, cb, c, a, part[r]);
                        }
                    }
                }
            }
        });
        for (int co = 0; co < s.cout(); co++) {
            for (int c = 0; c < cin; c++) {
                for (int a = 0; a < kh; a++) {
                    for (int b = 0; b < kw; b++) {
                        int e = ((co * cin + c) * kh + a) * MAX_KW + b;
                        float sum = 0f;
                        for (float[] pr : part) {
                            float lanes = 0f;
                            for (int l = 0; l < LANES; l++) lanes += pr[e * LANES + l];
                            sum += lanes;
                        }
                        dw[((co * cin + c) * kh + a) * kw + b] = sum;
                    }
                }
            }
        }
    }

    /** Adds sample n's contribution to {@code dw[cb*CO .. +CO][c][a][0..kw)} (as lane partials) into {@code part}. */
    private static void weightRow(float[] gy, float[] xp, Padded p, ConvSpec s, int n, int cb, int c, int a, float[] part) {
        int oh = s.oh(), ow = s.ow(), ohw = oh * ow, pitch = p.pitch(), dh = s.dilH(), dw = s.dilW(), kw = s.kw();
        // Taps beyond kw read (in-bounds) padded values and are never stored.
        int d1 = kw > 1 ? dw : 0, d2 = kw > 2 ? 2 * dw : 0;
        FloatVector z = FloatVector.zero(F);
        FloatVector c00 = z, c01 = z, c02 = z, c10 = z, c11 = z, c12 = z, c20 = z, c21 = z, c22 = z, c30 = z, c31 = z, c32 = z,
                c40 = z, c41 = z, c42 = z, c50 = z, c51 = z, c52 = z, c60 = z, c61 = z, c62 = z, c70 = z, c71 = z, c72 = z;
        int g0 = (n * s.cout() + cb * CO) * ohw;
        for (int i = 0; i < oh; i++) {
            int xr = (c * p.rows() + i + a * dh) * pitch, gr = g0 + i * ow;
            for (int j = 0; j < ow; j += LANES) {
                FloatVector x0 = FloatVector.fromArray(F, xp, xr + j), x1 = FloatVector.fromArray(F, xp, xr + j + d1),
                        x2 = FloatVector.fromArray(F, xp, xr + j + d2);
                int gi = gr + j;
                FloatVector g;
                g = FloatVector.fromArray(F, gy, gi); c00 = g.fma(x0, c00); c01 = g.fma(x1, c01); c02 = g.fma(x2, c02);
                g = FloatVector.fromArray(F, gy, gi + ohw); c10 = g.fma(x0, c10); c11 = g.fma(x1, c11); c12 = g.fma(x2, c12);
                g = FloatVector.fromArray(F, gy, gi + 2 * ohw); c20 = g.fma(x0, c20); c21 = g.fma(x1, c21); c22 = g.fma(x2, c22);
                g = FloatVector.fromArray(F, gy, gi + 3 * ohw); c30 = g.fma(x0, c30); c31 = g.fma(x1, c31); c32 = g.fma(x2, c32);
                g = FloatVector.fromArray(F, gy, gi + 4 * ohw); c40 = g.fma(x0, c40); c41 = g.fma(x1, c41); c42 = g.fma(x2, c42);
                g = FloatVector.fromArray(F, gy, gi + 5 * ohw); c50 = g.fma(x0, c50); c51 = g.fma(x1, c51); c52 = g.fma(x2, c52);
                g = FloatVector.fromArray(F, gy, gi + 6 * ohw); c60 = g.fma(x0, c60); c61 = g.fma(x1, c61); c62 = g.fma(x2, c62);
                g = FloatVector.fromArray(F, gy, gi + 7 * ohw); c70 = g.fma(x0, c70); c71 = g.fma(x1, c71); c72 = g.fma(x2, c72);
            }
        }
        // Written out: a helper taking the accumulators as arguments makes C2 box them, and then
        // box them inside the loop above too (measured 3x slower).
        int step = s.cin() * s.kh() * MAX_KW * LANES, e = ((cb * CO * s.cin() + c) * s.kh() + a) * MAX_KW * LANES;
        FloatVector.fromArray(F, part, e).add(c00).intoArray(part, e);
        FloatVector.fromArray(F, part, e + step).add(c10).intoArray(part, e + step);
        FloatVector.fromArray(F, part, e + 2 * step).add(c20).intoArray(part, e + 2 * step);
        FloatVector.fromArray(F, part, e + 3 * step).add(c30).intoArray(part, e + 3 * step);
        FloatVector.fromArray(F, part, e + 4 * step).add(c40).intoArray(part, e + 4 * step);
        FloatVector.fromArray(F, part, e + 5 * step).add(c50).intoArray(part, e + 5 * step);
        FloatVector.fromArray(F, part, e + 6 * step).add(c60).intoArray(part, e + 6 * step);
        FloatVector.fromArray(F, part, e + 7 * step).add(c70).intoArray(part, e + 7 * step);
        if (kw > 1) {
            e += LANES;
            FloatVector.fromArray(F, part, e).add(c01).intoArray(part, e);
            FloatVector.fromArray(F, part, e + step).add(c11).intoArray(part, e + step);
            FloatVector.fromArray(F, part, e + 2 * step).add(c21).intoArray(part, e + 2 * step);
            FloatVector.fromArray(F, part, e + 3 * step).add(c31).intoArray(part, e + 3 * step);
            FloatVector.fromArray(F, part, e + 4 * step).add(c41).intoArray(part, e + 4 * step);
            FloatVector.fromArray(F, part, e + 5 * step).add(c51).intoArray(part, e + 5 * step);
            FloatVector.fromArray(F, part, e + 6 * step).add(c61).intoArray(part, e + 6 * step);
            FloatVector.fromArray(F, part, e + 7 * step).add(c71).intoArray(part, e + 7 * step);
        }
        if (kw > 2) {
            e += LANES;
            FloatVector.fromArray(F, part, e).add(c02).intoArray(part, e);
            FloatVector.fromArray(F, part, e + step).add(c12).intoArray(part, e + step);
            FloatVector.fromArray(F, part, e + 2 * step).add(c22).intoArray(part, e + 2 * step);
            FloatVector.fromArray(F, part, e + 3 * step).add(c32).intoArray(part, e + 3 * step);
            FloatVector.fromArray(F, part, e + 4 * step).add(c42).intoArray(part, e + 4 * step);
            FloatVector.fromArray(F, part, e + 5 * step).add(c52).intoArray(part, e + 5 * step);
            FloatVector.fromArray(F, part, e + 6 * step).add(c62).intoArray(part, e + 6 * step);
            FloatVector.fromArray(F, part, e + 7 * step).add(c72).intoArray(part, e + 7 * step);
        }
    }
}
