package org.pdr4j.gs.ref;

import org.pdr4j.gs.GaussianGrads;
import org.pdr4j.gs.Gaussians;
import org.pdr4j.gs.RenderSpec;
import org.pdr4j.gs.Renderer;
import org.pdr4j.tensor.Tensor;

/**
 * The pipeline both Table 9 baselines share: pad every Gaussian's patch onto its own canvas
 * ({@code [P*N, C, H, W]}), {@code grid_sample} each canvas at a per-Gaussian grid
 * ({@code [P*N, H, W, 2]}), sum over N; and its adjoint. The baselines differ only in how the
 * grid is built from the coords, and so in that step's adjoint.
 *
 * <p>Float32 only; it materialises everything PyTorch does, so its memory grows as P*N*C*H*W.
 */
abstract class GridSampleRenderer implements Renderer {
    /** The sampling grid [M, H, W, 2] for coords [M, 2]. */
    abstract float[] grid(float[] coords, int m, int h, int w);

    /** The adjoint of {@link #grid} with respect to coords: [M, H, W, 2] to [M, 2]. */
    abstract float[] gradCoords(float[] gradGrid, int m, int h, int w);

    /** {@inheritDoc} Float32 only. */
    @Override
    public final Tensor forward(Gaussians g, RenderSpec spec) {
        GridSample.requireF32(g, name());
        int p = g.frames(), n = g.count(), c = g.channels(), h = spec.height(), w = spec.width(), m = p * n;
        float[] kernels = GridSample.kernels(g.scale().toFloatArray(), g.rotation().toFloatArray(), m, spec.kernel());
        float[] padded = GridSample.padded(kernels, g.amplitudes().toFloatArray(), m, c, spec);   // [P*N, C, H, W]
        float[] grid = grid(g.coords().toFloatArray(), m, h, w);                                  // [P*N, H, W, 2]
        float[] sampled = GridSample.sample(padded, grid, m, c, h, w, h, w);                      // [P*N, C, H, W]
        return GridSample.wrap(GridSample.sumOverGaussians(sampled, p, n, c * h * w), p, c, h, w);
    }

    /** {@inheritDoc} Float32 only; {@code gradImage} may be F32 or F64. */
    @Override
    public final GaussianGrads backward(Gaussians g, RenderSpec spec, Tensor gradImage) {
        GridSample.requireF32(g, name());
        Renderer.checkGradImage(g, spec, gradImage);
        int p = g.frames(), n = g.count(), c = g.channels(), h = spec.height(), w = spec.width(), k = spec.kernel(), m = p * n;
        float[] scale = g.scale().toFloatArray(), rotation = g.rotation().toFloatArray(), amplitudes = g.amplitudes().toFloatArray();
        float[] kernels = GridSample.kernels(scale, rotation, m, k);
        float[] padded = GridSample.padded(kernels, amplitudes, m, c, spec);
        float[] grid = grid(g.coords().toFloatArray(), m, h, w);

        float[] gradPadded = new float[GridSample.numel("the padded stack", m, c, h, w)];
        float[] gradGrid = new float[GridSample.numel("the sampling grid", m, h, w, 2)];
        GridSample.sampleBackward(gradImage.toFloatArray(), Math.max(n, 1), padded, grid, m, c, h, w, h, w, gradPadded, gradGrid);
        float[] gradCoords = gradCoords(gradGrid, m, h, w);

        float[] gradKernels = new float[m * k * k], gradAmplitudes = new float[m * c];
        GridSample.paddedBackward(gradPadded, kernels, amplitudes, m, c, spec, gradKernels, gradAmplitudes);
        float[] gradScale = new float[2 * m], gradRotation = new float[m];
        GridSample.kernelsBackward(gradKernels, kernels, scale, rotation, m, k, gradScale, gradRotation);
        return new GaussianGrads(GridSample.wrap(gradCoords, p, n, 2), GridSample.wrap(gradScale, p, n, 2),
                GridSample.wrap(gradRotation, p, n), GridSample.wrap(gradAmplitudes, p, n, c));
    }
}
