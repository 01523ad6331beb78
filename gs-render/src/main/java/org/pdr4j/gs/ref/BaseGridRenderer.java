package org.pdr4j.gs.ref;

import org.pdr4j.gs.GaussianGrads;
import org.pdr4j.gs.Gaussians;
import org.pdr4j.gs.RenderSpec;
import org.pdr4j.gs.Renderer;
import org.pdr4j.tensor.Parallel;
import org.pdr4j.tensor.Tensor;

/**
 * {@code base_grid}: Algorithm 1 of the PDR paper taken literally ({@code render_base_grid} in
 * {@code reference/predgsplat_ref.py}). Every Gaussian's patch is padded onto its own H x W canvas
 * ({@code [P*N, C, H, W]}), sampled with {@code grid_sample} at {@code base_grid + coords}
 * ({@code [P*N, H, W, 2]}), and the sampled canvases are summed over N.
 *
 * <p>A speed baseline (the paper's Table 9), float32 only; it materialises everything PyTorch
 * does, so its memory grows as P*N*C*H*W.
 */
public final class BaseGridRenderer implements Renderer {
    @Override
    public String name() {
        return "base_grid";
    }

    /** {@inheritDoc} Float32 only. */
    @Override
    public Tensor forward(Gaussians g, RenderSpec spec) {
        GridSample.requireF32(g, name());
        int p = g.frames(), n = g.count(), c = g.channels(), h = spec.height(), w = spec.width(), m = p * n;
        float[] kernels = GridSample.kernels(g.scale().toFloatArray(), g.rotation().toFloatArray(), m, spec.kernel());
        float[] padded = GridSample.padded(kernels, g.amplitudes().toFloatArray(), m, c, spec);   // [P*N, C, H, W]
        float[] grid = samplingGrid(g.coords().toFloatArray(), m, h, w);                          // [P*N, H, W, 2]
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
        float[] grid = samplingGrid(g.coords().toFloatArray(), m, h, w);

        float[] gradPadded = new float[GridSample.numel("the padded stack", m, c, h, w)];
        float[] gradGrid = new float[GridSample.numel("the sampling grid", m, h, w, 2)];
        GridSample.sampleBackward(gradImage.toFloatArray(), Math.max(n, 1), padded, grid, m, c, h, w, h, w, gradPadded, gradGrid);
        float[] gradCoords = samplingGridBackward(gradGrid, m, h, w);

        float[] gradKernels = new float[m * k * k], gradAmplitudes = new float[m * c];
        GridSample.paddedBackward(gradPadded, kernels, amplitudes, m, c, spec, gradKernels, gradAmplitudes);
        float[] gradScale = new float[2 * m], gradRotation = new float[m];
        GridSample.kernelsBackward(gradKernels, kernels, scale, rotation, m, k, gradScale, gradRotation);
        return new GaussianGrads(GridSample.wrap(gradCoords, p, n, 2), GridSample.wrap(gradScale, p, n, 2),
                GridSample.wrap(gradRotation, p, n), GridSample.wrap(gradAmplitudes, p, n, c));
    }

    /**
     * {@code base_grid(H, W) + coords.reshape(P*N, 1, 1, 2)}.
     *
     * @param coords [M, 2]
     * @return [M, H, W, 2]
     */
    static float[] samplingGrid(float[] coords, int m, int h, int w) {
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
     * The adjoint of {@link #samplingGrid} with respect to coords: the sum over H and W.
     *
     * @param gradGrid [M, H, W, 2]
     * @return [M, 2]
     */
    static float[] samplingGridBackward(float[] gradGrid, int m, int h, int w) {
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
