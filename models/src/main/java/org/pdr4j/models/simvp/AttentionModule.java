package org.pdr4j.models.simvp;

import java.util.List;
import java.util.SplittableRandom;
import org.pdr4j.autograd.Var;
import org.pdr4j.nn.Layer;
import org.pdr4j.nn.Module;
import org.pdr4j.nn.layers.Conv2d;

/**
 * gSTA's large-kernel attention (OpenSTL {@code AttentionModule}): a 21x21 receptive field
 * decomposed into a depthwise 5x5, a depthwise 7x7 with dilation 3, and a 1x1 to 2C channels
 * split into a value f and a gate g; returns sigmoid(g) * f.
 */
public final class AttentionModule extends Module implements Layer {
    final Conv2d conv0, convSpatial, conv1;
    private final int dim;

    public AttentionModule(SplittableRandom rng, int dim, int kernelSize, int dilation, int outFactor) {
        this.dim = dim;
        int dk = 2 * dilation - 1, dp = (dk - 1) / 2;
        int ddk = kernelSize / dilation + ((kernelSize / dilation) % 2 - 1), ddp = dilation * (ddk - 1) / 2;
        conv0 = module("conv0", Layers.conv(rng, dim, dim, dk, 1, dp, 1, dim));
        convSpatial = module("conv_spatial", Layers.conv(rng, dim, dim, ddk, 1, ddp, dilation, dim));
        conv1 = module("conv1", Layers.conv1x1(rng, dim, outFactor * dim));
    }

    /** conv1(conv_spatial(conv0(x))): [N, outFactor*C, H, W]. */
    Var large(Var x) { return conv1.forward(convSpatial.forward(conv0.forward(x))); }

    @Override public Var forward(Var x) {
        List<Var> fg = large(x).split(new int[] {dim, dim}, 1);
        return fg.get(1).sigmoid().mul(fg.get(0));
    }
}
