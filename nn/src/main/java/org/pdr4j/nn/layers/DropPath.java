package org.pdr4j.nn.layers;

import java.util.SplittableRandom;
import org.pdr4j.autograd.Var;
import org.pdr4j.nn.Layer;
import org.pdr4j.nn.Module;
import org.pdr4j.tensor.Tensor;

/**
 * Stochastic depth (timm's DropPath): in training, each sample of [N, ...] is kept with
 * probability 1-p and scaled by 1/(1-p), else zeroed; identity in eval or when p is 0.
 */
public final class DropPath extends Module implements Layer {
    private final double p;
    private SplittableRandom rng = new SplittableRandom(0);

    public DropPath(double p) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("DropPath: p must be in [0, 1), got " + p);
        this.p = p;
    }

    public double p() { return p; }

    @Override protected void onReseed(long seed) { rng = new SplittableRandom(seed); }

    @Override public Var forward(Var x) {
        if (!isTraining() || p == 0) return x;
        if (x.rank() < 1) throw new IllegalArgumentException("DropPath: input needs a batch dim, got " + x.shape());
        int n = x.size(0);
        float scale = (float) (1 / (1 - p));
        float[] m = new float[n];
        for (int i = 0; i < n; i++) m[i] = rng.nextDouble() < p ? 0f : scale;
        int[] ms = new int[x.rank()];
        java.util.Arrays.fill(ms, 1);
        ms[0] = n;
        return x.mul(Var.constant(Tensor.of(m, ms).to(x.dtype())));
    }
}
