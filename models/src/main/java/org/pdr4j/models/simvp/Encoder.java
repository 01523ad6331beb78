package org.pdr4j.models.simvp;

import java.util.SplittableRandom;
import org.pdr4j.autograd.Var;
import org.pdr4j.nn.Module;
import org.pdr4j.nn.Sequential;

/**
 * SimVP's encoder: N_S {@link ConvSC} blocks under {@code enc}, every second one downsampling
 * (OpenSTL's {@code sampling_generator}: False, True, False, True, ...). Returns the latent and
 * the first block's output, which the decoder adds back before its last block.
 */
public final class Encoder extends Module {
    private final Sequential enc;

    public Encoder(SplittableRandom rng, int cIn, int cHid, int nS, int kernel) {
        boolean[] down = samplings(nS, false);
        ConvSC[] blocks = new ConvSC[nS];
        for (int i = 0; i < nS; i++) blocks[i] = new ConvSC(rng, i == 0 ? cIn : cHid, cHid, kernel, down[i], false);
        enc = module("enc", new Sequential(blocks));
    }

    /** The latent and the skip (output of the first block). */
    public record Out(Var latent, Var skip) {}

    public Out forward(Var x) {
        Var skip = enc.get(0).forward(x);
        Var z = skip;
        for (int i = 1; i < enc.size(); i++) z = enc.get(i).forward(z);
        return new Out(z, skip);
    }

    /** [False, True] repeated, cut to n; reversed for the decoder. */
    static boolean[] samplings(int n, boolean reverse) {
        boolean[] s = new boolean[n];
        for (int i = 0; i < n; i++) s[i] = i % 2 == 1 && i < (n / 2) * 2;
        if (reverse) for (int i = 0; i < n / 2; i++) { boolean t = s[i]; s[i] = s[n - 1 - i]; s[n - 1 - i] = t; }
        return s;
    }

    /** Spatial downsampling factor of N_S blocks: 2^(N_S/2). */
    public static int downsampling(int nS) { return 1 << (nS / 2); }
}
