package org.pdr4j.gs;

import org.pdr4j.tensor.Tensor;

/**
 * A predgsplat renderer: the exact semantics of DESIGN.md and {@code reference/predgsplat_ref.py}.
 * Every implementation produces the same image; they differ in speed (and in memory: the
 * baselines materialise a [P*N, C, H, W] stack).
 */
public interface Renderer {
    /** Short name: {@code fused}, {@code base}, {@code base_grid}, {@code ref}, {@code cuda}. */
    String name();

    /** The rendered frames, {@code [P, C, H, W]}, in the Gaussians' dtype. */
    Tensor forward(Gaussians g, RenderSpec spec);

    /** Gradients of each input given {@code gradImage} {@code [P, C, H, W]}, the loss gradient of the output. */
    GaussianGrads backward(Gaussians g, RenderSpec spec, Tensor gradImage);

    /** Checks that a gradient image matches the output of {@code g} under {@code spec}. */
    static void checkGradImage(Gaussians g, RenderSpec spec, Tensor gradImage) {
        org.pdr4j.tensor.Shape want = org.pdr4j.tensor.Shape.of(g.frames(), g.channels(), spec.height(), spec.width());
        if (!gradImage.shape().equals(want)) {
            throw new org.pdr4j.tensor.ShapeException("gradImage must be [P, C, H, W] = " + want + ", got " + gradImage.shape());
        }
    }
}
