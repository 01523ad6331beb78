package org.pdr4j.gs.kernel.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import org.pdr4j.gs.RenderSpec;
import org.pdr4j.tensor.Parallel;

/**
 * The fused forward pass, O(N K^2 C) per frame: each Gaussian's kernel is evaluated once,
 * shifted with its one pair of bilinear weights and added into its (K+1) x (K+1) footprint.
 * Work is split over frames (each task owns its frames' pixels, no races); with fewer frames
 * than threads, over groups of Gaussians rendering into private images that are then added
 * in group order. Every pixel sums in a fixed order, so the bits depend only on the thread count.
 */
public final class SplatFwd {
    private SplatFwd() {}

    private static final int L = SplatKernel.L;

    /**
     * Renders into {@code out}, which must be zero-filled.
     *
     * @param co  [P, N, 2] coords, contiguous
     * @param sc  [P, N, 2] scale
     * @param ro  [P, N] rotation
     * @param am  [P, N, C] amplitudes
     * @param out [P, C, H, W]
     */
    public static void forward(float[] co, float[] sc, float[] ro, float[] am, int p, int n, int c, RenderSpec spec, float[] out) {
        int h = spec.height(), w = spec.width(), plane = c * h * w;
        int threads = Parallel.threads();
        // Fewer frames than threads: split each frame's Gaussians into groups; group 0 renders into
        // out, the others into private images added afterwards in group order (same bits every run).
        int groups = p >= threads ? 1 : Math.min(Math.max(1, n / 16), (threads + p - 1) / p);
        float[] partial = groups > 1 ? new float[p * (groups - 1) * plane] : null;
        Parallel.forRange(p * groups, 1, (s, e) -> {
            SplatKernel kern = new SplatKernel(spec.kernel());
            kern.clearBorders();
            for (int t = s; t < e; t++) {
                int f = t / groups, grp = t % groups;
                int i0 = (int) ((long) n * grp / groups), i1 = (int) ((long) n * (grp + 1) / groups);
                float[] dst = grp == 0 ? out : partial;
                int dstOff = grp == 0 ? f * plane : (f * (groups - 1) + grp - 1) * plane;
                render(kern, co, sc, ro, am, f, n, i0, i1, c, spec, dst, dstOff);
            }
        });
        if (partial != null) {
            Parallel.forRange(p * plane, 1 << 14, (s, e) -> {
                for (int i = s; i < e; i++) {
                    int f = i / plane, px = i % plane;
                    float v = out[i];
                    for (int grp = 1; grp < groups; grp++) v += partial[(f * (groups - 1) + grp - 1) * plane + px];
                    out[i] = v;
                }
            });
        }
    }

    /** Adds Gaussians [i0, i1) of frame f into the [C, H, W] image at {@code out[off]}. */
    private static void render(SplatKernel kern, float[] co, float[] sc, float[] ro, float[] am, int f, int n, int i0, int i1,
                               int c, RenderSpec spec, float[] out, int off) {
        int k = spec.kernel(), h = spec.height(), w = spec.width(), ks = kern.ks;
        float[] kp = kern.kpad;
        for (int i = i0; i < i1; i++) {
            int j = f * n + i;
            if (!kern.load(co, sc, ro, j, spec)) continue;
            int y0 = kern.y0, x0 = kern.x0;
            // Footprint rows inside the frame, and only where a kernel row can be non-zero.
            int rs = Math.max(Math.max(0, -y0), kern.aLo), re = Math.min(Math.min(k + 1, h - y0), kern.aHi + 1);
            if (rs >= re) continue;
            int qs = Math.max(0, -x0), qe = Math.min(k + 1, w - x0);
            if (qs >= qe) continue;
            kern.rows(rs - 1, re);
            float wx = kern.wx, wy = kern.wy;
            float w00 = (1 - wy) * (1 - wx), w01 = (1 - wy) * wx, w10 = wy * (1 - wx), w11 = wy * wx;
            FloatVector v00 = FloatVector.broadcast(SplatKernel.F, w00), v01 = FloatVector.broadcast(SplatKernel.F, w01);
            FloatVector v10 = FloatVector.broadcast(SplatKernel.F, w10), v11 = FloatVector.broadcast(SplatKernel.F, w11);
            for (int r = rs; r < re; r++) {
                    int lo = Math.max(qs, kern.spanLo[r]), hi = Math.min(qe, kern.spanHi[r]);
                if (lo >= hi) continue;
                int top = r * ks, bot = top + ks;
                int y = y0 + r;
                int rowBase = y * w + x0;
                for (int q = lo; q < hi; q += L) {
                    FloatVector sh = FloatVector.fromArray(SplatKernel.F, kp, top + q).mul(v00)
                            .add(FloatVector.fromArray(SplatKernel.F, kp, top + q + 1).mul(v01))
                            .add(FloatVector.fromArray(SplatKernel.F, kp, bot + q).mul(v10))
                            .add(FloatVector.fromArray(SplatKernel.F, kp, bot + q + 1).mul(v11));
                    // Inside the row, lanes past hi add sh = +0 to pixels of this same row: a no-op.
                    // Only a vector that would cross the frame's right edge needs a mask.
                    int o = off + rowBase + q;
                    if (x0 + q + L <= w) {
                        for (int ch = 0; ch < c; ch++, o += h * w) {
                            sh.fma(FloatVector.broadcast(SplatKernel.F, am[j * c + ch]), FloatVector.fromArray(SplatKernel.F, out, o))
                                    .intoArray(out, o);
                        }
                    } else {
                        VectorMask<Float> m = SplatKernel.F.indexInRange(q, Math.min(hi, w - x0));
                        for (int ch = 0; ch < c; ch++, o += h * w) {
                            sh.fma(FloatVector.broadcast(SplatKernel.F, am[j * c + ch]), FloatVector.fromArray(SplatKernel.F, out, o, m))
                                    .intoArray(out, o, m);
                        }
                    }
                }
            }
        }
    }
}
