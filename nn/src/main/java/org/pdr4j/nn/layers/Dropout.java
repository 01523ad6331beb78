package org.pdr4j.nn.layers;

import java.util.SplittableRandom;
import org.pdr4j.autograd.Var;
import org.pdr4j.nn.Layer;
import org.pdr4j.nn.Module;
import org.pdr4j.tensor.Tensor;

/**
 * torch.nn.Dropout: in training, zeroes each element with probability p and scales the rest
 * by 1/(1-p); identity in eval or when p is 0. The mask comes from a generator reseeded by
 * {@link Module#reseed}, so runs are reproducible.
 */
public final class Dropout extends Module implements Layer {
    private final double p;
    private SplittableRandom rng = new SplittableRandom(0);

    public Dropout(double p) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("Dropout: p must be in [0, 1), got " + p);
        this.p = p;
    }

    public double p() { return p; }

    @Override protected void onReseed(long seed) { rng = new SplittableRandom(seed); }

    @Override public Var forward(Var x) {
        if (!isTraining() || p == 0) return x;
        float scale = (float) (1 / (1 - p));
        float[] m = new float[x.value().numel()];
        for (int i = 0; i < m.length; i++) m[i] = rng.nextDouble() < p ? 0f : scale;
        return x.mul(Var.constant(Tensor.of(m, x.shape().toArray()).to(x.dtype())));
    }
}
