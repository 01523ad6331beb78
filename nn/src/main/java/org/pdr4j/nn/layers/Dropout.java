package org.pdr4j.nn.layers;

/** Element-wise dropout with inverted scaling, as torch.nn.Dropout; identity in eval. */
public final class Dropout extends DropPath {
    public Dropout(double p) { super(p); }

    @Override protected int[] maskShape(int[] x) { return x.clone(); }
}
