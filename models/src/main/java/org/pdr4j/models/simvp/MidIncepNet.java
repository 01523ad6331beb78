package org.pdr4j.models.simvp;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.pdr4j.autograd.Var;
import org.pdr4j.nn.Layer;
import org.pdr4j.nn.Module;
import org.pdr4j.nn.Sequential;
import org.pdr4j.nn.layers.Activation;
import org.pdr4j.nn.layers.Conv2d;
import org.pdr4j.nn.layers.GroupNorm;

/**
 * The original SimVP translator (OpenSTL {@code MidIncepNet}, model type "incepu"): a U-Net of
 * N_T Inception blocks each way ({@code enc}, {@code dec}); decoder blocks after the first take
 * the matching encoder output concatenated on channels.
 */
public final class MidIncepNet extends Module {
    private static final int[] KERNELS = {3, 5, 7, 11};
    private static final int GROUPS = 8;
    private final Sequential enc, dec;
    private final int n;

    public MidIncepNet(SplittableRandom rng, int channelIn, int channelHid, int nT) {
        if (nT < 2) throw new IllegalArgumentException("N_T must be >= 2, got " + nT);
        this.n = nT;
        int half = channelHid / 2;
        Inception[] e = new Inception[nT], d = new Inception[nT];
        for (int i = 0; i < nT; i++) e[i] = new Inception(rng, i == 0 ? channelIn : channelHid, half, channelHid);
        for (int i = 0; i < nT; i++) d[i] = new Inception(rng, i == 0 ? channelHid : 2 * channelHid, half, i == nT - 1 ? channelIn : channelHid);
        enc = module("enc", new Sequential(e));
        dec = module("dec", new Sequential(d));
    }

    /** [B, T, C, H, W] to the same shape. */
    public Var forward(Var x) {
        int[] s = x.shape().toArray();
        Var z = x.reshape(s[0], s[1] * s[2], s[3], s[4]);
        List<Var> skips = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            z = enc.get(i).forward(z);
            if (i < n - 1) skips.add(z);
        }
        z = dec.get(0).forward(z);
        for (int i = 1; i < n; i++) z = dec.get(i).forward(Var.concat(List.of(z, skips.get(n - 1 - i)), 1));
        return z.reshape(s);
    }

    /** OpenSTL {@code gInception_ST}: a 1x1 {@code conv1}, then the sum of grouped k x k branches. */
    static final class Inception extends Module implements Layer {
        private final Conv2d conv1;
        private final Sequential layers;

        Inception(SplittableRandom rng, int in, int hid, int out) {
            conv1 = module("conv1", Layers.conv1x1(rng, in, hid));
            GroupConv[] g = new GroupConv[KERNELS.length];
            for (int i = 0; i < g.length; i++) g[i] = new GroupConv(rng, hid, out, KERNELS[i], GROUPS);
            layers = module("layers", new Sequential(g));
        }

        @Override public Var forward(Var x) {
            Var h = conv1.forward(x);
            Var y = null;
            for (int i = 0; i < layers.size(); i++) {
                Var b = layers.get(i).forward(h);
                y = y == null ? b : y.add(b);
            }
            return y;
        }
    }

    /** OpenSTL {@code GroupConv2d} with act_norm: grouped conv, GroupNorm(groups), LeakyReLU(0.2). */
    static final class GroupConv extends Module implements Layer {
        private final Conv2d conv;
        private final GroupNorm norm;
        private final Layer act = Activation.leakyRelu(0.2);

        GroupConv(SplittableRandom rng, int in, int out, int k, int groups) {
            if (in % groups != 0) groups = 1; // as OpenSTL
            conv = module("conv", Layers.conv(rng, in, out, k, 1, k / 2, 1, groups));
            norm = module("norm", new GroupNorm(groups, out));
        }

        @Override public Var forward(Var x) { return act.forward(norm.forward(conv.forward(x))); }
    }
}
