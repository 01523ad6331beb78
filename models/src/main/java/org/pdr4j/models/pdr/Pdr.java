package org.pdr4j.models.pdr;

import java.util.List;
import java.util.SplittableRandom;
import org.pdr4j.autograd.Var;
import org.pdr4j.models.VideoModel;
import org.pdr4j.models.simvp.Encoder;
import org.pdr4j.models.simvp.SimVP;
import org.pdr4j.nn.Module;
import org.pdr4j.nn.layers.Conv2d;

/**
 * PDR: a SimVP-family predictor ({@code backbone}, TAU in the paper) whose coarse prediction is
 * fused with a PredGS rendering of its own decoder features: concatenate the two on channels and
 * apply a 1x1 convolution ({@code fuse}).
 */
public final class Pdr extends Module implements VideoModel {
    private final SimVP backbone;
    private final PredGS predgs;
    private final Conv2d fuse;
    private final int channels;

    public Pdr(SimVP.Spec backboneSpec, PredGS.Spec gs, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        backbone = module("backbone", new SimVP(backboneSpec, rng.nextLong()));
        channels = backboneSpec.channels();
        predgs = module("predgs", new PredGS(rng, gs, backboneSpec.hidS(), backboneSpec.height(), backboneSpec.width(),
                channels, backboneSpec.height(), backboneSpec.width()));
        fuse = module("fuse", new Conv2d(2 * channels, channels, 1, 1, 0, 1, 1, true, rng.nextLong()));
        assert Encoder.downsampling(backboneSpec.nS()) >= 1;
    }

    public SimVP backbone() { return backbone; }

    public PredGS predgs() { return predgs; }

    @Override public String kind() { return "pdr"; }

    /** The fused prediction, the coarse one and the rendering, each [B, T, C, H, W]. */
    public record Out(Var prediction, Var coarse, Var rendering) {}

    public Out forwardAll(Var x) {
        SimVP.Out o = backbone.forwardWithFeatures(x);
        int[] s = o.prediction().shape().toArray();
        Var coarse = o.prediction().reshape(s[0] * s[1], s[2], s[3], s[4]);
        Var img = predgs.forward(o.features());
        Var y = fuse.forward(Var.concat(List.of(coarse, img), 1));
        return new Out(y.reshape(s), o.prediction(), img.reshape(s));
    }

    @Override public Var forward(Var x) { return forwardAll(x).prediction(); }
}
