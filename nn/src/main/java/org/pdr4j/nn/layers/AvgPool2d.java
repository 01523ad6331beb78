package org.pdr4j.nn.layers;

import org.pdr4j.autograd.Var;
import org.pdr4j.autograd.ops.ConvOps;
import org.pdr4j.nn.Layer;
import org.pdr4j.nn.Module;
import org.pdr4j.tensor.backend.cpu.conv.ConvSpec;

/** {@code torch.nn.AvgPool2d(kernel, stride)} without padding, floor mode; stride defaults to the kernel. */
public final class AvgPool2d extends Module implements Layer {
    private final int[] kernel, stride;

    /** Square kernel, stride = kernel (PyTorch's default). */
    public AvgPool2d(int kernel) {
        this(new int[] {kernel}, new int[] {kernel});
    }

    public AvgPool2d(int kernel, int stride) {
        this(new int[] {kernel}, new int[] {stride});
    }

    /** (height, width) pairs; a single value means both. */
    public AvgPool2d(int[] kernel, int[] stride) {
        this.kernel = ConvSpec.pair("AvgPool2d kernel", kernel);
        this.stride = ConvSpec.pair("AvgPool2d stride", stride);
    }

    @Override
    public Var forward(Var x) {
        return ConvOps.avgPool2d(x, kernel, stride);
    }
}
