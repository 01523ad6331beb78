package org.pdr4j.gs.kernel.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import org.pdr4j.gs.RenderSpec;
import org.pdr4j.tensor.Parallel;
import org.pdr4j.tensor.backend.cpu.simd.SimdReduce;

/**
 * The fused backward pass, paired with {@link SplatFwd}. Each Gaussian's gradients depend
 * only on the output gradient over its own footprint, so the work is split over Gaussians
 * with no shared writes. Per Gaussian: G = sum_c amp_c dL/dout_c over the footprint gives
 * the amplitude and shift (coords) gradients, and its adjoint through the bilinear shift
 * gives dL/dkernel, which flows into scale and rotation.
 */
public final class SplatBwd {
    private SplatBwd() {}

    private static final int L = SplatKernel.L;

    /**
     * @param gout [P, C, H, W] gradient of the loss w.r.t. the image
     * @param gCo  [P, N, 2] out: dL/dcoords (others likewise; every entry is written)
     */
    public static void backward(float[] co, float[] sc, float[] ro, float[] am, int p, int n, int c, RenderSpec spec,
                                float[] gout, float[] gCo, float[] gSc, float[] gRo, float[] gAm) {
        Parallel.forRange(p * n, 8, (s, e) -> {
            SplatKernel kern = new SplatKernel(spec.kernel());
            kern.clearBorders();
            int k = spec.kernel(), gs = k + 2 + L;
            float[] g = new float[(k + 1) * gs + L];
            float[] ampAcc = new float[c * L];
            for (int j = s; j < e; j++) one(kern, g, ampAcc, co, sc, ro, am, j, n, c, spec, gout, gCo, gSc, gRo, gAm);
        });
    }

    private static void one(SplatKernel kern, float[] g, float[] ampAcc, float[] co, float[] sc, float[] ro, float[] am,
                            int j, int n, int c, RenderSpec spec, float[] gout,
                            float[] gCo, float[] gSc, float[] gRo, float[] gAm) {
        gCo[2 * j] = gCo[2 * j + 1] = gSc[2 * j] = gSc[2 * j + 1] = gRo[j] = 0;
        Arrays.fill(gAm, j * c, j * c + c, 0f);
        if (!kern.load(co, sc, ro, j, spec)) return;
        int k = spec.kernel(), h = spec.height(), w = spec.width(), ks = kern.ks, gs = k + 2 + L, f = j / n;
        int y0 = kern.y0, x0 = kern.x0;
        int rs = Math.max(Math.max(0, -y0), kern.aLo), re = Math.min(Math.min(k + 1, h - y0), kern.aHi + 1);
        int qs = Math.max(0, -x0), qe = Math.min(k + 1, w - x0);
        if (rs >= re || qs >= qe) return;
        kern.rows(rs - 1, re);
        float[] kp = kern.kpad;
        float wx = kern.wx, wy = kern.wy;
        float w00 = (1 - wy) * (1 - wx), w01 = (1 - wy) * wx, w10 = wy * (1 - wx), w11 = wy * wx;
        var sp = SplatKernel.F;
        FloatVector v00 = FloatVector.broadcast(sp, w00), v01 = FloatVector.broadcast(sp, w01);
        FloatVector v10 = FloatVector.broadcast(sp, w10), v11 = FloatVector.broadcast(sp, w11);
        FloatVector accX = FloatVector.zero(sp), accY = FloatVector.zero(sp);
        FloatVector ac0 = accX, ac1 = accX, ac2 = accX, ac3 = accX;
        Arrays.fill(g, 0f);
        Arrays.fill(ampAcc, 0f);
        for (int r = rs; r < re; r++) {
            int lo = Math.max(qs, kern.spanLo[r]), hi = Math.min(qe, kern.spanHi[r]);
            if (lo >= hi) continue;
            int top = r * ks, bot = top + ks, rowBase = (y0 + r) * w + x0;
            for (int q = lo; q < hi; q += L) {
                // Lanes past hi see kpad zeros (sh = dsh = 0), so they add nothing; the G they store
                // lies outside every live kernel sample's reach or in the padding. Only a vector
                // crossing the frame's right edge needs a mask.
                boolean whole = x0 + q + L <= w;
                VectorMask<Float> m = sp.indexInRange(q, Math.min(hi, w - x0));
                FloatVector a = FloatVector.fromArray(sp, kp, top + q), b = FloatVector.fromArray(sp, kp, top + q + 1);
                FloatVector cc = FloatVector.fromArray(sp, kp, bot + q), d = FloatVector.fromArray(sp, kp, bot + q + 1);
                FloatVector sh = a.mul(v00).add(b.mul(v01)).add(cc.mul(v10)).add(d.mul(v11));
                FloatVector gsum = FloatVector.zero(sp);
                int o = f * c * h * w + rowBase + q;
                // Up to four channels accumulate in registers; more go through ampAcc.
                if (c >= 1) {
                    FloatVector gv = load(gout, o, whole, m);
                    ac0 = gv.fma(sh, ac0);
                    gsum = gv.mul(am[j * c]);
                }
                if (c >= 2) {
                    FloatVector gv = load(gout, o + h * w, whole, m);
                    ac1 = gv.fma(sh, ac1);
                    gsum = gv.fma(FloatVector.broadcast(sp, am[j * c + 1]), gsum);
                }
                if (c >= 3) {
                    FloatVector gv = load(gout, o + 2 * h * w, whole, m);
                    ac2 = gv.fma(sh, ac2);
                    gsum = gv.fma(FloatVector.broadcast(sp, am[j * c + 2]), gsum);
                }
                if (c >= 4) {
                    FloatVector gv = load(gout, o + 3 * h * w, whole, m);
                    ac3 = gv.fma(sh, ac3);
                    gsum = gv.fma(FloatVector.broadcast(sp, am[j * c + 3]), gsum);
                }
                for (int ch = 4; ch < c; ch++) {
                    FloatVector gv = load(gout, o + ch * h * w, whole, m);
                    FloatVector.fromArray(sp, ampAcc, ch * L).add(gv.mul(sh)).intoArray(ampAcc, ch * L);
                    gsum = gv.fma(FloatVector.broadcast(sp, am[j * c + ch]), gsum);
                }
                if (whole) gsum.intoArray(g, r * gs + q);
                else gsum.intoArray(g, r * gs + q, m);
                // d sh / d wx and d sh / d wy
                FloatVector dwx = b.sub(a).mul(1 - wy).add(d.sub(cc).mul(wy));
                FloatVector dwy = cc.mul(1 - wx).add(d.mul(wx)).sub(a.mul(1 - wx).add(b.mul(wx)));
                accX = gsum.fma(dwx, accX);
                accY = gsum.fma(dwy, accY);
            }
        }
        if (c >= 1) gAm[j * c] = SimdReduce.sum(ac0);
        if (c >= 2) gAm[j * c + 1] = SimdReduce.sum(ac1);
        if (c >= 3) gAm[j * c + 2] = SimdReduce.sum(ac2);
        if (c >= 4) gAm[j * c + 3] = SimdReduce.sum(ac3);
        for (int ch = 4; ch < c; ch++) gAm[j * c + ch] = SimdReduce.sum(FloatVector.fromArray(sp, ampAcc, ch * L));
        gCo[2 * j] = SimdReduce.sum(accX) * (w * 0.5f);
        gCo[2 * j + 1] = SimdReduce.sum(accY) * (h * 0.5f);
        kernelAdjoint(kern, g, gs, Math.max(rs - 1, kern.aLo), Math.min(re, kern.aHi), w00, w01, w10, w11, j, gSc, gRo);
    }

    private static FloatVector load(float[] a, int off, boolean whole, VectorMask<Float> m) {
        return whole ? FloatVector.fromArray(SplatKernel.F, a, off) : FloatVector.fromArray(SplatKernel.F, a, off, m);
    }

    /** dL/dk(a, b) from G, then through k = exp(-(U^2 + V^2)/2) into scale and rotation. */
    private static void kernelAdjoint(SplatKernel kern, float[] g, int gs, int aFrom, int aTo,
                                      float w00, float w01, float w10, float w11, int j, float[] gSc, float[] gRo) {
        var sp = SplatKernel.F;
        float[] kp = kern.kpad, gx = kern.gx;
        int ks = kern.ks;
        float cos = kern.cos, sin = kern.sin, is1 = kern.is1, is2 = kern.is2;
        FloatVector a1 = FloatVector.zero(sp), a2 = a1, at = a1;
        FloatVector vcos = FloatVector.broadcast(sp, cos), vsin = FloatVector.broadcast(sp, sin);
        for (int a = aFrom; a < aTo; a++) {
            int lo = kern.bLo[a], hi = kern.bHi[a];
            if (lo >= hi) continue;
            float gy = gx[a], sy = sin * gy, cy = cos * gy;
            int up = a * gs, dn = up + gs, kr = (a + 1) * ks + 1;
            for (int b = lo; b < hi; b += L) {
                FloatVector gk = FloatVector.fromArray(sp, g, dn + b + 1).mul(w00)
                        .add(FloatVector.fromArray(sp, g, dn + b).mul(w01))
                        .add(FloatVector.fromArray(sp, g, up + b + 1).mul(w10))
                        .add(FloatVector.fromArray(sp, g, up + b).mul(w11));
                FloatVector gkk = gk.mul(FloatVector.fromArray(sp, kp, kr + b)); // kpad is 0 past hi
                FloatVector x = FloatVector.fromArray(sp, gx, b);
                FloatVector u = x.fma(vcos, FloatVector.broadcast(sp, sy)).mul(is1);
                FloatVector v = x.neg().fma(vsin, FloatVector.broadcast(sp, cy)).mul(is2);
                a1 = gkk.mul(u).fma(u, a1);
                a2 = gkk.mul(v).fma(v, a2);
                at = gkk.mul(u).fma(v, at);
            }
        }
        float s1 = 1f / is1, s2 = 1f / is2;
        // dk/ds1 = k U^2 / s1, dk/ds2 = k V^2 / s2, dk/dtheta = k U V (s1/s2 - s2/s1), with U = u/s1, V = v/s2.
        gSc[2 * j] = kern.s1Live ? SimdReduce.sum(a1) * is1 : 0f;
        gSc[2 * j + 1] = kern.s2Live ? SimdReduce.sum(a2) * is2 : 0f;
        gRo[j] = SimdReduce.sum(at) * (s1 / s2 - s2 / s1);
    }
}
