package org.pdr4j.nn;

import org.pdr4j.autograd.Var;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Tensor;

/**
 * A trainable tensor owned by a {@link Module}. It wraps one leaf {@link Var} for the life of
 * the module: optimisers and {@link Module#loadStateDict} write into its value in place, so
 * graphs built later see the new numbers and nothing has to re-register.
 */
public final class Parameter {
    private final Var var;

    /** A parameter holding {@code init} (float32, contiguous; copied if it is not). */
    public Parameter(Tensor init) {
        Tensor t = init.dtype() == DType.F32 && init.isContiguous() && init.offset() == 0 ? init : init.to(DType.F32).copy();
        this.var = Var.param(t);
    }

    /** The leaf to use in forward passes. */
    public Var var() { return var; }

    /** The current value (contiguous float32; mutate only through {@link #set} or an optimiser). */
    public Tensor value() { return var.value(); }

    /** The gradient accumulated by the last backward pass, or null. */
    public Tensor grad() { return var.grad(); }

    public void zeroGrad() { var.zeroGrad(); }

    /** The value's backing array (row-major, offset 0), for optimisers. */
    public float[] data() { return ((org.pdr4j.tensor.Storage.F32) var.value().storage()).array(); }

    public int numel() { return (int) var.value().numel(); }

    /** Copies {@code src} (same shape, any dtype) into the value in place. */
    public void set(Tensor src) {
        if (!src.shape().equals(value().shape()))
            throw new IllegalArgumentException("parameter of shape " + value().shape() + " cannot take " + src.shape());
        value().assign(src);
    }
}
