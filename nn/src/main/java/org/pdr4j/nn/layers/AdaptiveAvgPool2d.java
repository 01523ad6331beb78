package org.pdr4j.nn.layers;

import org.pdr4j.autograd.Var;
import org.pdr4j.autograd.ops.ConvOps;
import org.pdr4j.nn.Layer;
import org.pdr4j.nn.Module;

/** {@code torch.nn.AdaptiveAvgPool2d((outH, outW))}: PyTorch's floor/ceil windows. */
public final class AdaptiveAvgPool2d extends Module implements Layer {
    private final int outH, outW;

    /** Square output {@code size x size}. */
    public AdaptiveAvgPool2d(int size) {
        this(size, size);
    }

    public AdaptiveAvgPool2d(int outH, int outW) {
        if (outH < 1 || outW < 1) throw new IllegalArgumentException("AdaptiveAvgPool2d: output size must be >= 1, got [" + outH + ", " + outW + "]");
        this.outH = outH;
        this.outW = outW;
    }

    @Override
    public Var forward(Var x) {
        return ConvOps.adaptiveAvgPool2d(x, outH, outW);
    }
}
