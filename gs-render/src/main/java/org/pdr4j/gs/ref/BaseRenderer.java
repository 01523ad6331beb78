package org.pdr4j.gs.ref;

/**
 * {@code base}: the GaussianSR-style renderer ({@code render_base} in
 * {@code reference/predgsplat_ref.py}). Every Gaussian's patch is padded onto its own H x W canvas
 * ({@code [P*N, C, H, W]}); a translation {@code theta = [[1, 0, x], [0, 1, y]]} per Gaussian
 * ({@code [P*N, 2, 3]}) goes through {@code affine_grid} to a sampling grid ({@code [P*N, H, W, 2]}),
 * {@code grid_sample} reads each canvas there, and the canvases are summed over N.
 *
 * <p>A speed baseline (the paper's Table 9), float32 only; it materialises everything PyTorch
 * does, so its memory grows as P*N*C*H*W.
 */
public final class BaseRenderer extends GridSampleRenderer {
    @Override
    public String name() {
        return "base";
    }

    @Override
    float[] grid(float[] coords, int m, int h, int w) {
        return GridSample.affineGrid(theta(coords, m), m, h, w);
    }

    /** The translation column of affine_grid's theta gradient. */
    @Override
    float[] gradCoords(float[] gradGrid, int m, int h, int w) {
        float[] gradTheta = GridSample.affineGridBackward(gradGrid, m, h, w);                     // [P*N, 2, 3]
        float[] gradCoords = new float[2 * m];
        for (int b = 0; b < m; b++) {
            gradCoords[2 * b] = gradTheta[6 * b + 2];
            gradCoords[2 * b + 1] = gradTheta[6 * b + 5];
        }
        return gradCoords;
    }

    /**
     * One translation per Gaussian: {@code theta[b] = [[1, 0, x_b], [0, 1, y_b]]}.
     *
     * @param coords [M, 2]
     * @return [M, 2, 3]
     */
    static float[] theta(float[] coords, int m) {
        float[] theta = new float[6 * m];
        for (int b = 0; b < m; b++) {
            theta[6 * b] = 1f;
            theta[6 * b + 2] = coords[2 * b];
            theta[6 * b + 4] = 1f;
            theta[6 * b + 5] = coords[2 * b + 1];
        }
        return theta;
    }
}
