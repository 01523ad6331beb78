package org.pdr4j.autograd;

import org.pdr4j.tensor.Tensor;

/**
 * One differentiable op: {@link #forward} computes the output from input values and keeps
 * what its {@link #backward} needs in fields; {@link #backward} maps the output's gradient to
 * the inputs' gradients. A new instance is made per call, so the fields are the op's saved
 * context; the graph drops the instance once backward has run (unless the graph is retained).
 *
 * <p>{@code backward} returns {@code null} for every input whose {@code needsGrad} is false,
 * and for inputs that are not differentiable (an index, a condition). It never returns a zero
 * placeholder for a gradient that exists.
 */
public abstract class Function {
    /** The output value for the input values (called with gradients recording off). */
    protected abstract Tensor forward(Tensor... inputs);

    /**
     * Gradients of the inputs given {@code grad}, the gradient of the output (its shape).
     * Entry i must have input i's shape, or be null when {@code needsGrad[i]} is false.
     */
    protected abstract Tensor[] backward(Tensor grad, boolean[] needsGrad);

    /** The op's name in error messages (the class name by default). */
    public String name() {
        return getClass().getSimpleName();
    }

    /** Runs this op on {@code inputs} and records it when any input requires a gradient. */
    public final Var apply(Var... inputs) {
        Tensor[] values = new Tensor[inputs.length];
        boolean record = false;
        for (int i = 0; i < inputs.length; i++) {
            values[i] = inputs[i].value();
            record |= inputs[i].requiresGrad();
        }
        record &= Grad.isEnabled();
        Tensor out;
        if (Profiler.on()) {
            long t0 = System.nanoTime();
            out = forward(values);
            Profiler.record(name() + ".forward", System.nanoTime() - t0);
        } else {
            out = forward(values);
        }
        return record ? Var.node(out, this, inputs) : Var.constant(out);
    }
}
