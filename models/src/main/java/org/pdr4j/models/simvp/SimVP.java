package org.pdr4j.models.simvp;

import java.util.SplittableRandom;
import org.pdr4j.autograd.Var;
import org.pdr4j.models.VideoModel;
import org.pdr4j.nn.Module;

/**
 * The SimVP family (OpenSTL {@code SimVP_Model}): a per-frame spatial {@link Encoder}, a
 * translator over all frames stacked on channels, and a per-frame {@link Decoder} with a skip
 * from the encoder's first block. The translator is {@link MidIncepNet} (SimVP), or
 * {@link MidMetaNet} with gSTA blocks (SimVPv2) or TAU blocks. Names match OpenSTL
 * ({@code enc.*}, {@code hid.*}, {@code dec.*}), so OpenSTL state dicts load.
 */
public final class SimVP extends Module implements VideoModel {
    /** Which translator. */
    public enum Translator { INCEPU, GSTA, TAU }

    /** Shape and size of a SimVP model, as OpenSTL names them. */
    public record Spec(int frames, int channels, int height, int width, int hidS, int hidT, int nS, int nT,
                       Translator translator, double mlpRatio, double dropPath, int kernelEnc, int kernelDec) {
        public Spec {
            if (nS < 2 || nS % 2 != 0) throw new IllegalArgumentException("N_S must be even and >= 2, got " + nS);
            int f = Encoder.downsampling(nS);
            if (height % f != 0 || width % f != 0)
                throw new IllegalArgumentException("frame size " + height + "x" + width + " is not divisible by 2^(N_S/2) = " + f);
            if (frames < 1 || channels < 1 || hidS < 2 || hidS % 2 != 0 || hidT < 2)
                throw new IllegalArgumentException("bad SimVP sizes: T=" + frames + " C=" + channels + " hid_S=" + hidS + " hid_T=" + hidT);
        }
    }

    private final Spec spec;
    private final Encoder enc;
    private final Module hid;
    private final Decoder dec;

    public SimVP(Spec spec, long seed) {
        this.spec = spec;
        SplittableRandom rng = new SplittableRandom(seed);
        enc = module("enc", new Encoder(rng, spec.channels(), spec.hidS(), spec.nS(), spec.kernelEnc()));
        dec = module("dec", new Decoder(rng, spec.hidS(), spec.channels(), spec.nS(), spec.kernelDec()));
        int cin = spec.frames() * spec.hidS();
        hid = module("hid", switch (spec.translator()) {
            case INCEPU -> new MidIncepNet(rng, cin, spec.hidT(), spec.nT());
            case GSTA -> new MidMetaNet(rng, cin, spec.hidT(), spec.nT(), false, spec.mlpRatio(), spec.dropPath());
            case TAU -> new MidMetaNet(rng, cin, spec.hidT(), spec.nT(), true, spec.mlpRatio(), spec.dropPath());
        });
    }

    public Spec spec() { return spec; }

    @Override public String kind() {
        return switch (spec.translator()) { case INCEPU -> "simvp"; case GSTA -> "gsta"; case TAU -> "tau"; };
    }

    /** The prediction and the decoder features it was read out from ([B*T, hid_S, H, W]). */
    public record Out(Var prediction, Var features) {}

    public Out forwardWithFeatures(Var x) {
        int[] s = x.shape().toArray();
        if (s.length != 5 || s[1] != spec.frames() || s[2] != spec.channels() || s[3] != spec.height() || s[4] != spec.width())
            throw new IllegalArgumentException("SimVP expects [B, " + spec.frames() + ", " + spec.channels() + ", " + spec.height()
                    + ", " + spec.width() + "], got " + x.shape());
        int b = s[0], t = s[1];
        Encoder.Out e = enc.forward(x.reshape(b * t, s[2], s[3], s[4]));
        int[] z = e.latent().shape().toArray();
        Var h = e.latent().reshape(b, t, z[1], z[2], z[3]);
        h = hid instanceof MidMetaNet m ? m.forward(h) : ((MidIncepNet) hid).forward(h);
        Var feats = dec.features(h.reshape(b * t, z[1], z[2], z[3]), e.skip());
        Var y = dec.readout(feats).reshape(b, t, s[2], s[3], s[4]);
        return new Out(y, feats);
    }

    @Override public Var forward(Var x) { return forwardWithFeatures(x).prediction(); }
}
