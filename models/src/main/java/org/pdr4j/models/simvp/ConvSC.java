package org.pdr4j.models.simvp;

import java.util.SplittableRandom;
import org.pdr4j.autograd.Var;
import org.pdr4j.nn.Layer;
import org.pdr4j.nn.Module;
import org.pdr4j.nn.Sequential;
import org.pdr4j.nn.init.Init;
import org.pdr4j.nn.layers.Activation;
import org.pdr4j.nn.layers.Conv2d;
import org.pdr4j.nn.layers.GroupNorm;
import org.pdr4j.nn.layers.PixelShuffle;

/**
 * SimVP's spatial block (OpenSTL {@code ConvSC} holding a {@code BasicConv2d} named {@code conv}):
 * a k x k convolution, stride 2 when downsampling, or a convolution to 4x the channels followed by
 * PixelShuffle(2) when upsampling; then GroupNorm(2) and SiLU. Names: {@code conv.conv.weight}
 * ({@code conv.conv.0.weight} when upsampling), {@code conv.norm.weight}.
 */
public final class ConvSC extends Module implements Layer {
    private final Basic conv;

    public ConvSC(SplittableRandom rng, int in, int out, int kernel, boolean downsampling, boolean upsampling) {
        int stride = downsampling ? 2 : 1;
        int padding = (kernel - stride + 1) / 2;
        conv = module("conv", new Basic(rng, in, out, kernel, stride, padding, upsampling));
    }

    @Override public Var forward(Var x) { return conv.forward(x); }

    /** OpenSTL's {@code BasicConv2d} with {@code act_norm=True}. */
    static final class Basic extends Module implements Layer {
        private final Layer conv;
        private final GroupNorm norm;
        private final Layer act = Activation.silu();

        Basic(SplittableRandom rng, int in, int out, int kernel, int stride, int padding, boolean upsampling) {
            Conv2d c;
            if (upsampling) {
                c = Layers.conv(rng, in, out * 4, kernel, 1, padding, 1, 1);
                conv = module("conv", new Sequential(c, new PixelShuffle(2)));
            } else {
                c = Layers.conv(rng, in, out, kernel, stride, padding, 1, 1);
                conv = module("conv", c);
            }
            // OpenSTL: trunc_normal_(std=.02) weights, zero bias.
            Init.truncNormal(c.weight().value(), 0.02, rng);
            Init.zeros(c.bias().value());
            norm = module("norm", new GroupNorm(2, out));
        }

        @Override public Var forward(Var x) { return act.forward(norm.forward(conv.forward(x))); }
    }
}
