package org.pdr4j.models.simvp;

import java.util.SplittableRandom;
import org.pdr4j.autograd.Var;
import org.pdr4j.nn.Layer;
import org.pdr4j.nn.Module;
import org.pdr4j.nn.Sequential;
import org.pdr4j.nn.layers.Activation;
import org.pdr4j.nn.layers.Linear;

/**
 * TAU's temporal attention (OpenSTL {@code TemporalAttentionModule}): static attention from the
 * same decomposed large kernel as gSTA (1x1 to C channels, no gate) times dynamic
 * squeeze-and-excitation over channels, times the input: {@code se(x) * f(x) * x}.
 *
 * <p>The SE bottleneck follows OpenSTL literally: {@code reduction = max(C / 16, 4)} and the
 * hidden width is {@code C / reduction} (so about 16 for any C >= 64).
 */
public final class TemporalAttentionModule extends Module implements Layer {
    private final AttentionModule lka;
    private final Sequential fc;
    private final int dim;

    public TemporalAttentionModule(SplittableRandom rng, int dim, int kernelSize) {
        this.dim = dim;
        // Shares the decomposition; registers conv0, conv_spatial, conv1 directly under this module.
        lka = new AttentionModule(rng, dim, kernelSize, 3, 1);
        module("conv0", lka.conv0);
        module("conv_spatial", lka.convSpatial);
        module("conv1", lka.conv1);
        int reduction = Math.max(dim / 16, 4);
        int hidden = dim / reduction;
        if (hidden < 1) throw new IllegalArgumentException("TAU attention needs at least 4 channels, got " + dim);
        fc = module("fc", new Sequential(new Linear(dim, hidden, false, rng.nextLong()), Activation.relu(),
                new Linear(hidden, dim, false, rng.nextLong()), Activation.sigmoid()));
    }

    @Override public Var forward(Var x) {
        int n = x.size(0);
        Var f = lka.large(x);
        Var se = fc.forward(x.mean(new int[] {2, 3}, false)).reshape(n, dim, 1, 1);
        return se.mul(f).mul(x);
    }
}
