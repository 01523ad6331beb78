package org.pdr4j.nn.layers;

import java.util.SplittableRandom;
import org.pdr4j.autograd.Var;
import org.pdr4j.nn.Layer;
import org.pdr4j.nn.Module;
import org.pdr4j.tensor.Tensor;

/**
 * Stochastic depth (timm's DropPath): in training, each sample's branch is zeroed with
 * probability p and the kept ones scaled by 1/(1-p); identity in eval or when p == 0. The mask
 * comes from a generator reseeded through {@link Module#reseed}, so runs are reproducible.
 */
public class DropPath extends Module implements Layer {
    private final double p;
    private SplittableRandom rng = new SplittableRandom(0);

    public DropPath(double p) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("drop probability must be in [0, 1), got " + p);
        this.p = p;
    }

    public double p() { return p; }

    @Override protected void onReseed(long seed) { rng = new SplittableRandom(seed); }

    /** The mask's shape for input {@code x}: per sample here, per element in {@link Dropout}. */
    protected int[] maskShape(int[] x) {
        int[] s = new int[x.length];
        java.util.Arrays.fill(s, 1);
        s[0] = x[0];
        return s;
    }

    @Override public Var forward(Var x) {
        if (!isTraining() || p == 0) return x;
        int[] s = maskShape(x.shape().toArray());
        int n = 1;
        for (int d : s) n *= d;
        float[] m = new float[n];
        float keep = (float) (1 / (1 - p));
        for (int i = 0; i < n; i++) m[i] = rng.nextDouble() < p ? 0f : keep;
        return x.mul(Var.constant(Tensor.of(m, s).to(x.dtype())));
    }
}
