package org.pdr4j.models.simvp;

import java.util.SplittableRandom;
import org.pdr4j.autograd.Var;
import org.pdr4j.nn.Layer;
import org.pdr4j.nn.Module;
import org.pdr4j.nn.Sequential;
import org.pdr4j.nn.layers.Conv2d;

/**
 * The translator of SimVPv2 and TAU (OpenSTL {@code MidMetaNet}): N_T {@link MetaBlock}s on the
 * frames stacked along channels, [B, T*C, H, W]; the first maps T*C to hid_T channels, the last
 * maps back. Drop-path rates rise linearly from 1e-2 to {@code dropPath}; the last block uses
 * {@code dropPath} itself, as OpenSTL does.
 */
public final class MidMetaNet extends Module {
    private final Sequential enc;

    public MidMetaNet(SplittableRandom rng, int channelIn, int channelHid, int nT, boolean temporal, double mlpRatio, double dropPath) {
        if (nT < 2) throw new IllegalArgumentException("N_T must be >= 2, got " + nT);
        MetaBlock[] blocks = new MetaBlock[nT];
        for (int i = 0; i < nT; i++) {
            double dpr = nT == 1 ? 1e-2 : 1e-2 + (dropPath - 1e-2) * i / (nT - 1);
            int in = i == 0 ? channelIn : channelHid;
            int out = i == nT - 1 ? channelIn : channelHid;
            blocks[i] = new MetaBlock(rng, in, out, temporal, mlpRatio, i == nT - 1 ? dropPath : dpr);
        }
        enc = module("enc", new Sequential(blocks));
    }

    /** [B, T, C, H, W] to the same shape. */
    public Var forward(Var z) {
        int[] s = z.shape().toArray();
        return enc.forward(z.reshape(s[0], s[1] * s[2], s[3], s[4])).reshape(s);
    }

    /** OpenSTL {@code MetaBlock}: a gSTA or TAU block, then a 1x1 {@code reduction} when in != out. */
    static final class MetaBlock extends Module implements Layer {
        private final GaSubBlock block;
        private final Conv2d reduction;

        MetaBlock(SplittableRandom rng, int in, int out, boolean temporal, double mlpRatio, double dropPath) {
            block = module("block", new GaSubBlock(rng, in, mlpRatio, dropPath, temporal));
            reduction = in == out ? null : module("reduction", Layers.conv1x1(rng, in, out));
        }

        @Override public Var forward(Var x) {
            Var z = block.forward(x);
            return reduction == null ? z : reduction.forward(z);
        }
    }
}
