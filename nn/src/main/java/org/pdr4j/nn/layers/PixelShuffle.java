package org.pdr4j.nn.layers;

import org.pdr4j.autograd.Var;
import org.pdr4j.autograd.ops.ConvOps;
import org.pdr4j.nn.Layer;
import org.pdr4j.nn.Module;

/** {@code torch.nn.PixelShuffle(r)}: {@code [N, C*r*r, H, W] -> [N, C, H*r, W*r]}; no parameters. */
public final class PixelShuffle extends Module implements Layer {
    private final int r;

    public PixelShuffle(int upscaleFactor) {
        if (upscaleFactor < 1) throw new IllegalArgumentException("PixelShuffle: upscale factor must be >= 1, got " + upscaleFactor);
        this.r = upscaleFactor;
    }

    @Override
    public Var forward(Var x) {
        return ConvOps.pixelShuffle(x, r);
    }

    public int upscaleFactor() { return r; }
}
