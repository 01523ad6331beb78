package org.pdr4j.nn;

import org.pdr4j.tensor.Tensor;

/**
 * A non-trainable tensor in a module's state (BatchNorm's running statistics): saved and loaded
 * with the state dict, never touched by optimisers. Updated in place.
 */
public final class Buffer {
    private Tensor value;

    public Buffer(Tensor init) { this.value = init.copy(); }

    public Tensor value() { return value; }

    /** Copies {@code src} (same shape) into the buffer in place. */
    public void set(Tensor src) {
        if (!src.shape().equals(value.shape()))
            throw new IllegalArgumentException("buffer of shape " + value.shape() + " cannot take " + src.shape());
        value.assign(src);
    }
}
