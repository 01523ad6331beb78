package org.pdr4j.gs.ref;

import org.pdr4j.gs.GaussianGrads;
import org.pdr4j.gs.Gaussians;
import org.pdr4j.gs.RenderSpec;
import org.pdr4j.gs.Renderer;
import org.pdr4j.tensor.Tensor;

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
public final class BaseRenderer implements Renderer {
    @Override
    public String name() {
        return "base";
    }

    /** {@inheritDoc} Float32 only. */
    @Override
    public Tensor forward(Gaussians g, RenderSpec spec) {
        GridSample.requireF32(g, name());
        int p = g.frames(), n = g.count(), c = g.channels(), h = spec.height(), w = spec.width(), m = p * n;
        float[] kernels = GridSample.kernels(g.scale().toFloatArray(), g.rotation().toFloatArray(), m, spec.kernel());
        float[] padded = GridSample.padded(kernels, g.amplitudes().toFloatArray(), m, c, spec);   // [P*N, C, H, W]
        float[] grid = GridSample.affineGrid(theta(g.coords().toFloatArray(), m), m, h, w);      // [P*N, H, W, 2]
        float[] sampled = GridSample.sample(padded, grid, m, c, h, w, h, w);                      // [P*N, C, H, W]
        return GridSample.wrap(GridSample.sumOverGaussians(sampled, p, n, c * h * w), p, c, h, w);
    }

    /** {@inheritDoc} Float32 only; {@code gradImage} may be F32 or F64. */
    @Override
    public GaussianGrads backward(Gaussians g, RenderSpec spec, Tensor gradImage) {
        GridSample.requireF32(g, name());
        Renderer.checkGradImage(g, spec, gradImage);
        int p = g.frames(), n = g.count(), c = g.channels(), h = spec.height(), w = spec.width(), k = spec.kernel(), m = p * n;
        float[] scale = g.scale().toFloatArray(), rotation = g.rotation().toFloatArray(), amplitudes = g.amplitudes().toFloatArray();
        float[] kernels = GridSample.kernels(scale, rotation, m, k);
        float[] padded = GridSample.padded(kernels, amplitudes, m, c, spec);
        float[] grid = GridSample.affineGrid(theta(g.coords().toFloatArray(), m), m, h, w);

        float[] gradPadded = new float[GridSample.numel("the padded stack", m, c, h, w)];
        float[] gradGrid = new float[GridSample.numel("the sampling grid", m, h, w, 2)];
        GridSample.sampleBackward(gradImage.toFloatArray(), Math.max(n, 1), padded, grid, m, c, h, w, h, w, gradPadded, gradGrid);
        float[] gradTheta = GridSample.affineGridBackward(gradGrid, m, h, w);                     // [P*N, 2, 3]
        float[] gradCoords = new float[2 * m];
        for (int b = 0; b < m; b++) {
            gradCoords[2 * b] = gradTheta[6 * b + 2];
            gradCoords[2 * b + 1] = gradTheta[6 * b + 5];
        }

        float[] gradKernels = new float[m * k * k], gradAmplitudes = new float[m * c];
        GridSample.paddedBackward(gradPadded, kernels, amplitudes, m, c, spec, gradKernels, gradAmplitudes);
        float[] gradScale = new float[2 * m], gradRotation = new float[m];
        GridSample.kernelsBackward(gradKernels, kernels, scale, rotation, m, k, gradScale, gradRotation);
        return new GaussianGrads(GridSample.wrap(gradCoords, p, n, 2), GridSample.wrap(gradScale, p, n, 2),
                GridSample.wrap(gradRotation, p, n), GridSample.wrap(gradAmplitudes, p, n, c));
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
