package org.pdr4j.gs;

import org.pdr4j.autograd.Function;
import org.pdr4j.autograd.Var;
import org.pdr4j.tensor.Tensor;

/**
 * The renderer as an autograd op: inputs (coords, scale, rotation, amplitudes), output the
 * [P, C, H, W] image. Backward runs the renderer's paired backward once for all four inputs.
 */
public final class RenderFunction extends Function {
    private final Renderer renderer;
    private final RenderSpec spec;
    private Gaussians saved;

    public RenderFunction(Renderer renderer, RenderSpec spec) {
        this.renderer = renderer;
        this.spec = spec;
    }

    /** Renders differentiably with the renderer of the chosen device ({@link Renderers#current()}; {@code fused} on the CPU). */
    public static Var render(Var coords, Var scale, Var rotation, Var amplitudes, RenderSpec spec) {
        return render(Renderers.current(), coords, scale, rotation, amplitudes, spec);
    }

    /** Renders differentiably with the given renderer. */
    public static Var render(Renderer renderer, Var coords, Var scale, Var rotation, Var amplitudes, RenderSpec spec) {
        return new RenderFunction(renderer, spec).apply(coords, scale, rotation, amplitudes);
    }

    @Override
    public String name() {
        return "render_" + renderer.name();
    }

    @Override
    protected Tensor forward(Tensor... in) {
        saved = new Gaussians(in[0], in[1], in[2], in[3]);
        return renderer.forward(saved, spec);
    }

    @Override
    protected Tensor[] backward(Tensor grad, boolean[] needsGrad) {
        GaussianGrads g = renderer.backward(saved, spec, grad);
        return new Tensor[] {
            needsGrad[0] ? g.gradCoords() : null,
            needsGrad[1] ? g.gradScale() : null,
            needsGrad[2] ? g.gradRotation() : null,
            needsGrad[3] ? g.gradAmplitudes() : null
        };
    }
}
