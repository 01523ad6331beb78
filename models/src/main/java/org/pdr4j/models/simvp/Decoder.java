package org.pdr4j.models.simvp;

import java.util.SplittableRandom;
import org.pdr4j.autograd.Var;
import org.pdr4j.nn.Module;
import org.pdr4j.nn.Sequential;
import org.pdr4j.nn.layers.Conv2d;

/**
 * SimVP's decoder: N_S {@link ConvSC} blocks under {@code dec} (upsampling mirrored from the
 * encoder), the encoder's skip added before the last one, and a 1x1 {@code readout}.
 */
public final class Decoder extends Module {
    private final Sequential dec;
    private final Conv2d readout;

    public Decoder(SplittableRandom rng, int cHid, int cOut, int nS, int kernel) {
        boolean[] up = Encoder.samplings(nS, true);
        ConvSC[] blocks = new ConvSC[nS];
        for (int i = 0; i < nS; i++) blocks[i] = new ConvSC(rng, cHid, cHid, kernel, false, up[i]);
        dec = module("dec", new Sequential(blocks));
        readout = module("readout", Layers.conv1x1(rng, cHid, cOut));
    }

    /** The features the read-out sees: [N, cHid, H, W] (PredGS's input). */
    public Var features(Var hid, Var skip) {
        for (int i = 0; i < dec.size() - 1; i++) hid = dec.get(i).forward(hid);
        return dec.get(dec.size() - 1).forward(hid.add(skip));
    }

    public Var readout(Var features) { return readout.forward(features); }

    public Var forward(Var hid, Var skip) { return readout(features(hid, skip)); }
}
