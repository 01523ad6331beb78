package org.pdr4j.nn;

import org.pdr4j.autograd.Var;

/** Layers applied in order, registered as children "0", "1", ... as torch.nn.Sequential names them. */
public final class Sequential extends Module implements Layer {
    private final Layer[] layers;

    public Sequential(Layer... layers) {
        this.layers = layers.clone();
        for (int i = 0; i < layers.length; i++) {
            if (!(layers[i] instanceof Module m)) throw new IllegalArgumentException("Sequential takes modules; got " + layers[i]);
            module(Integer.toString(i), m);
        }
    }

    public int size() { return layers.length; }

    public Layer get(int i) { return layers[i]; }

    @Override public Var forward(Var x) {
        for (Layer l : layers) x = l.forward(x);
        return x;
    }
}
