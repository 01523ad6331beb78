package org.pdr4j.nn.layers;

import org.pdr4j.autograd.Var;
import org.pdr4j.autograd.ops.NormOps;
import org.pdr4j.nn.Layer;
import org.pdr4j.nn.Module;
import org.pdr4j.nn.Parameter;
import org.pdr4j.tensor.Tensor;

/**
 * torch.nn.LayerNorm over the trailing dims {@code normalizedShape}, with elementwise "weight"
 * (init 1) and "bias" (init 0) of that shape.
 */
public final class LayerNorm extends Module implements Layer {
    private final int[] normalizedShape;
    private final double eps;
    private final Parameter weight, bias;

    /** Affine LayerNorm with eps 1e-5. */
    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5, true);
    }

    public LayerNorm(int[] normalizedShape, double eps, boolean affine) {
        if (normalizedShape.length == 0) throw new IllegalArgumentException("LayerNorm: normalizedShape must not be empty");
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.weight = affine ? param("weight", Tensor.ones(normalizedShape)) : null;
        this.bias = affine ? param("bias", Tensor.zeros(normalizedShape)) : null;
    }

    @Override
    public Var forward(Var x) {
        return NormOps.layerNorm(x, normalizedShape, weight == null ? null : weight.var(), bias == null ? null : bias.var(), eps);
    }
}
