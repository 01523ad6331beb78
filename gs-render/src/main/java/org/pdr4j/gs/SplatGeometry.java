package org.pdr4j.gs;

/**
 * Where one Gaussian lands: the shift {@code d = coords * (W/2, H/2)} pixels split into an
 * integer part and bilinear weights, and the top-left corner of its (K+1) x (K+1) footprint.
 * Shared by every implementation so they agree to the bit on placement.
 */
public final class SplatGeometry {
    private SplatGeometry() {}

    /** Clamp applied to both scales before use (GaussianSR's epsilon). */
    public static final double MIN_SCALE = 1e-6;

    /** Half-extent of the local grid: samples span [-5, 5]. */
    public static final double GRID_EXTENT = 5.0;

    /**
     * Local grid coordinate of sample {@code i} of {@code k}: linspace(-5, 5, k) evaluated
     * symmetrically, so both ends and (for odd k) the centre are exact. torch 1.13's float32
     * linspace misses the centre by an ulp, which matters at tiny scales; the golden fixtures
     * are made with exact grid values (see gs-render/scripts/make_golden_render.py).
     */
    public static double gridCoord(int i, int k) {
        if (k == 1) return -GRID_EXTENT;
        double step = 2 * GRID_EXTENT / (k - 1);
        return i < k / 2 ? -GRID_EXTENT + step * i : GRID_EXTENT - step * (k - 1 - i);
    }

    /** The K grid coordinates. */
    public static double[] grid(int k) {
        double[] g = new double[k];
        for (int i = 0; i < k; i++) g[i] = gridCoord(i, k);
        return g;
    }

    /**
     * Footprint origin along one axis: {@code start - floor(d) - 1}, where start is the patch's
     * left (or top) and {@code d = coord * size / 2}. Returned as a double so that coordinates
     * far off the frame never overflow an int; callers test it against the frame first.
     */
    public static double origin(int start, double floorD) {
        return start - floorD - 1;
    }

    /** True when a footprint starting at {@code origin} (length K+1) misses [0, size). */
    public static boolean misses(double origin, int k, int size) {
        return origin >= size || origin + k + 1 <= 0;
    }
}
