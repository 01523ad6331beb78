package org.pdr4j.gs.kernel.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import org.pdr4j.gs.RenderSpec;
import org.pdr4j.tensor.Parallel;

/**
 * The fused forward pass, O(N K^2 C) per frame: each Gaussian's kernel is evaluated once,
 * shifted with its one pair of bilinear weights and added into its (K+1) x (K+1) footprint.
 * Work is split over (frame, horizontal band) pairs; a band owns its output rows, so there
 * are no races and each pixel sums its Gaussians in index order (deterministic).
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
        int h = spec.height();
        int threads = Parallel.threads();
        // Enough bands that every thread has work even for one frame; a band is at least 8 rows.
        int bands = p >= threads ? 1 : Math.max(1, Math.min(h / 8, 2 * ((threads + p - 1) / p)));
        int bandRows = (h + bands - 1) / bands;
        int tasks = p * bands;
        Parallel.forRange(tasks, 1, (s, e) -> {
            SplatKernel kern = new SplatKernel(spec.kernel());
            kern.clearBorders();
            for (int t = s; t < e; t++) {
                int f = t / bands, band = t % bands;
                int ys = band * bandRows, ye = Math.min(h, ys + bandRows);
                if (ys < ye) band(kern, co, sc, ro, am, f, n, c, spec, ys, ye, out);
            }
        });
    }

    private static void band(SplatKernel kern, float[] co, float[] sc, float[] ro, float[] am, int f, int n, int c,
                             RenderSpec spec, int ys, int ye, float[] out) {
        int k = spec.kernel(), h = spec.height(), w = spec.width(), ks = kern.ks;
        float[] kp = kern.kpad;
        for (int i = 0; i < n; i++) {
            int j = f * n + i;
            if (!kern.load(co, sc, ro, j, spec)) continue;
            int y0 = kern.y0, x0 = kern.x0;
            // Footprint rows inside this band, and only where a kernel row can be non-zero.
            int rs = Math.max(Math.max(0, ys - y0), kern.aLo), re = Math.min(Math.min(k + 1, ye - y0), kern.aHi + 1);
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
                    // Inside the row, lanes past hi add sh = +0 to pixels of this row (this band's own):
                    // a no-op. Only a vector that would cross the frame's right edge needs a mask.
                    boolean whole = x0 + q + L <= w;
                    VectorMask<Float> m = SplatKernel.F.indexInRange(q, Math.min(hi, w - x0));
                    for (int ch = 0; ch < c; ch++) {
                        int o = (f * c + ch) * h * w + rowBase + q;
                        FloatVector amp = FloatVector.broadcast(SplatKernel.F, am[j * c + ch]);
                        if (whole) sh.fma(amp, FloatVector.fromArray(SplatKernel.F, out, o)).intoArray(out, o);
                        else sh.fma(amp, FloatVector.fromArray(SplatKernel.F, out, o, m)).intoArray(out, o, m);
                    }
                }
            }
        }
    }
}
