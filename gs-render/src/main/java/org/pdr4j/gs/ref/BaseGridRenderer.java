package org.pdr4j.gs.ref;

import org.pdr4j.tensor.Parallel;

/**
 * {@code base_grid}: Algorithm 1 of the PDR paper taken literally ({@code render_base_grid} in
 * {@code reference/predgsplat_ref.py}). Every Gaussian's patch is padded onto its own H x W canvas
 * ({@code [P*N, C, H, W]}), sampled with {@code grid_sample} at {@code base_grid + coords}
 * ({@code [P*N, H, W, 2]}), and the sampled canvases are summed over N.
 *
 * <p>A speed baseline (the paper's Table 9), float32 only; it materialises everything PyTorch
 * does, so its memory grows as P*N*C*H*W.
 */
public final class BaseGridRenderer extends GridSampleRenderer {
    @Override
    public String name() {
        return "base_grid";
    }

    /**
     * {@code base_grid(H, W) + coords.reshape(P*N, 1, 1, 2)}.
     *
     * @param coords [M, 2]
     * @return [M, H, W, 2]
     */
    @Override
    float[] grid(float[] coords, int m, int h, int w) {
        float[] base = GridSample.baseGrid(h, w);
        float[] grid = new float[GridSample.numel("the sampling grid", m, h, w, 2)];
        int len = base.length;
        Parallel.forRange(m, 1, (s, e) -> {
            for (int b = s; b < e; b++) {
                float x = coords[2 * b], y = coords[2 * b + 1];
                int o = b * len;
                for (int q = 0; q < len; q += 2) {
                    grid[o + q] = base[q] + x;
                    grid[o + q + 1] = base[q + 1] + y;
                }
            }
        });
        return grid;
    }

    /**
     * The adjoint of {@link #grid} with respect to coords: the sum over H and W.
     *
     * @param gradGrid [M, H, W, 2]
     * @return [M, 2]
     */
    @Override
    float[] gradCoords(float[] gradGrid, int m, int h, int w) {
        float[] gradCoords = new float[2 * m];
        int len = 2 * h * w;
        Parallel.forRange(m, 1, (s, e) -> {
            for (int b = s; b < e; b++) {
                double gx = 0, gy = 0;
                for (int q = b * len, end = q + len; q < end; q += 2) {
                    gx += gradGrid[q];
                    gy += gradGrid[q + 1];
                }
                gradCoords[2 * b] = (float) gx;
                gradCoords[2 * b + 1] = (float) gy;
            }
        });
        return gradCoords;
    }
}
