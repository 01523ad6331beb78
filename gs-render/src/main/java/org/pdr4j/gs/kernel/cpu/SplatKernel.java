package org.pdr4j.gs.kernel.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.pdr4j.gs.RenderSpec;
import org.pdr4j.gs.SplatGeometry;
import org.pdr4j.tensor.backend.cpu.simd.SimdSpecies;

/**
 * Per-thread scratch for one Gaussian at a time: its placement, and its K x K kernel written
 * into a zero-bordered buffer of K+2 rows so the bilinear shift reads neighbours without
 * bounds checks. Rows are padded with L more zeros, so whole vectors can run past a row's
 * last live column and read (or write) only zeros there: no masked memory ops, which the
 * Vector API range-checks lane by lane. Shared by {@link SplatFwd} and {@link SplatBwd}.
 *
 * <p>Kernel samples below {@code 2^-40} ({@code q > }{@link #NEGLIGIBLE_Q}) are skipped: each row
 * is evaluated only over the columns where the Gaussian's ellipse exceeds that (plus one
 * sample of margin). A skipped sample changes a pixel by at most {@code 2^-40 |amp|}, so an
 * image stays within 1e-6 of the exact one unless the amplitudes reaching one pixel sum to
 * more than 10^6 in magnitude; in return narrow Gaussians cost a fraction of K^2.
 */
final class SplatKernel {
    static final VectorSpecies<Float> F = SimdSpecies.F;
    static final int L = SimdSpecies.LANES;

    /** Exponent above which {@code exp(-q/2) < 2^-40}: the sample is skipped. */
    static final double NEGLIGIBLE_Q = 80 * Math.log(2);

    final int k, ks;
    final float[] gx;
    /** Kernel at [(a+1) * ks + (b+1)], ks = K + 2 + L; borders and padding stay zero. */
    final float[] kpad;
    /** Columns [bLo[a], bHi[a]) of kernel row a that may be non-zero. */
    final int[] bLo, bHi;

    // The current Gaussian.
    float cos, sin, is1, is2, wx, wy;
    boolean s1Live, s2Live;
    int x0, y0;
    /** Kernel rows [aLo, aHi) that may be non-zero. */
    int aLo, aHi;

    SplatKernel(int k) {
        this.k = k;
        this.ks = k + 2 + L;
        double[] g = SplatGeometry.grid(k);
        gx = new float[k + L];
        for (int i = 0; i < k; i++) gx[i] = (float) g[i];
        kpad = new float[(k + 2) * ks + L];
        bLo = new int[k];
        bHi = new int[k];
        spanLo = new int[k + 1];
        spanHi = new int[k + 1];
    }

    /**
     * Loads Gaussian {@code j}; false when its footprint misses the frame entirely (then
     * nothing else is set).
     */
    boolean load(float[] co, float[] sc, float[] ro, int j, RenderSpec spec) {
        float dx = co[2 * j] * (spec.width() * 0.5f), dy = co[2 * j + 1] * (spec.height() * 0.5f);
        double fx = Math.floor(dx), fy = Math.floor(dy);
        double ox = SplatGeometry.origin(spec.left(), fx), oy = SplatGeometry.origin(spec.top(), fy);
        if (SplatGeometry.misses(ox, k, spec.width()) || SplatGeometry.misses(oy, k, spec.height())) return false;
        x0 = (int) ox;
        y0 = (int) oy;
        wx = (float) (dx - fx);
        wy = (float) (dy - fy);
        float s1raw = sc[2 * j], s2raw = sc[2 * j + 1];
        s1Live = s1raw >= SplatGeometry.MIN_SCALE;
        s2Live = s2raw >= SplatGeometry.MIN_SCALE;
        float s1 = Math.max(s1raw, (float) SplatGeometry.MIN_SCALE), s2 = Math.max(s2raw, (float) SplatGeometry.MIN_SCALE);
        is1 = 1f / s1;
        is2 = 1f / s2;
        cos = (float) Math.cos(ro[j]);
        sin = (float) Math.sin(ro[j]);
        support(s1, s2);
        spans();
        return true;
    }

    /** The rows and per-row columns where q = A gx^2 + 2B gx gy + C gy^2 can be below the underflow bound. */
    private void support(double s1, double s2) {
        if (k == 1) {
            aLo = 0;
            aHi = 1;
            bLo[0] = 0;
            bHi[0] = 1;
            return;
        }
        double c = cos, s = sin, i1 = 1 / (s1 * s1), i2 = 1 / (s2 * s2);
        double a = c * c * i1 + s * s * i2, b = c * s * (i1 - i2), cq = s * s * i1 + c * c * i2;
        double t = NEGLIGIBLE_Q, toIndex = (k - 1) / (2 * SplatGeometry.GRID_EXTENT);
        double det = i1 * i2;
        double yMax = Math.sqrt(t * a / det);
        aLo = clamp((int) Math.floor((-yMax + SplatGeometry.GRID_EXTENT) * toIndex) - 1);
        aHi = clamp((int) Math.ceil((yMax + SplatGeometry.GRID_EXTENT) * toIndex) + 1) + 1;
        aHi = Math.min(aHi, k);
        double e = SplatGeometry.GRID_EXTENT;
        if (k <= L) {
            // A row is one vector: column bounds would save no work.
            for (int row = aLo; row < aHi; row++) {
                bLo[row] = 0;
                bHi[row] = k;
            }
            return;
        }
        for (int row = aLo; row < aHi; row++) {
            double gy = gx[row];
            // q is convex in gx: below the bound at both ends of the grid means the whole row is live.
            double qc = cq * gy * gy - t, ql = a * e * e - 2 * b * e * gy + qc, qr = a * e * e + 2 * b * e * gy + qc;
            if (ql <= 0 && qr <= 0) {
                bLo[row] = 0;
                bHi[row] = k;
                continue;
            }
            double disc = b * b * gy * gy - a * (cq * gy * gy - t);
            if (disc < 0) {
                bLo[row] = 0;
                bHi[row] = 0;
                continue;
            }
            double r = Math.sqrt(disc);
            double lo = (-b * gy - r) / a, hi = (-b * gy + r) / a;
            bLo[row] = clamp((int) Math.floor((lo + SplatGeometry.GRID_EXTENT) * toIndex) - 1);
            bHi[row] = Math.min(k, clamp((int) Math.ceil((hi + SplatGeometry.GRID_EXTENT) * toIndex) + 1) + 1);
        }
    }

    private int clamp(int i) {
        return Math.max(0, Math.min(k - 1, i));
    }

    /** Writes kernel rows [from, to) (clipped to [0, K)) into kpad; rows outside the support become zero. */
    void rows(int from, int to) {
        int a0 = Math.max(from, 0), a1 = Math.min(to, k);
        FloatVector vc = FloatVector.broadcast(F, cos), vs = FloatVector.broadcast(F, sin);
        FloatVector v1 = FloatVector.broadcast(F, is1), v2 = FloatVector.broadcast(F, is2);
        for (int a = a0; a < a1; a++) {
            int base = (a + 1) * ks + 1;
            if (a < aLo || a >= aHi || bLo[a] >= bHi[a]) {
                Arrays.fill(kpad, base, base + k, 0f);
                continue;
            }
            int lo = bLo[a], hi = bHi[a];
            if (lo > 0) Arrays.fill(kpad, base, base + lo, 0f);
            // The last vector zeroes its lanes past hi; fill only what lies beyond it.
            int covered = lo + ((hi - lo + L - 1) / L) * L;
            if (covered < k) Arrays.fill(kpad, base + covered, base + k, 0f);
            float gy = gx[a];
            FloatVector vsy = FloatVector.broadcast(F, sin * gy), vcy = FloatVector.broadcast(F, cos * gy);
            int b = lo;
            for (; b + L <= hi; b += L) exp(vc, vs, vsy, vcy, v1, v2, b).intoArray(kpad, base + b);
            if (b < hi) {
                // Lanes past hi are dead columns, the border or padding: all must be zero.
                exp(vc, vs, vsy, vcy, v1, v2, b).blend(0f, F.indexInRange(b, hi).not()).intoArray(kpad, base + b);
            }
        }
    }

    /** exp(-((u/s1)^2 + (v/s2)^2) / 2) for the grid columns b..b+L of one row. */
    private FloatVector exp(FloatVector vc, FloatVector vs, FloatVector vsy, FloatVector vcy, FloatVector v1, FloatVector v2, int b) {
        FloatVector g = FloatVector.fromArray(F, gx, b);
        FloatVector u = g.fma(vc, vsy).mul(v1);          // (cos*gx + sin*gy) / s1
        FloatVector v = g.neg().fma(vs, vcy).mul(v2);    // (-sin*gx + cos*gy) / s2
        return u.fma(u, v.mul(v)).mul(-0.5f).lanewise(VectorOperators.EXP);
    }

    /** Footprint columns [spanLo[r], spanHi[r]) of row r that can be non-zero; set by {@link #load}. */
    final int[] spanLo, spanHi;

    /**
     * Footprint row r reads kernel rows r-1 and r; its columns that can be non-zero are
     * [min bLo, max bHi + 1) over those rows (empty when both are zero).
     */
    private void spans() {
        if (k <= L) {
            // Every live row is full width (see support): rows aLo..aHi of the footprint span all K+1 columns.
            for (int r = 0; r <= k; r++) {
                boolean live = r >= aLo && r <= aHi;
                spanLo[r] = 0;
                spanHi[r] = live ? k + 1 : 0;
            }
            return;
        }
        for (int r = 0; r <= k; r++) {
            int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE;
            for (int a = Math.max(r - 1, aLo); a <= r && a < aHi; a++) {
                if (bLo[a] >= bHi[a]) continue;
                lo = Math.min(lo, bLo[a]);
                hi = Math.max(hi, bHi[a] + 1);
            }
            spanLo[r] = lo > hi ? 0 : lo;
            spanHi[r] = lo > hi ? 0 : hi;
        }
    }

    /** Clears the border rows of kpad (done once per scratch; rows() never writes them). */
    void clearBorders() {
        Arrays.fill(kpad, 0f);
    }
}
