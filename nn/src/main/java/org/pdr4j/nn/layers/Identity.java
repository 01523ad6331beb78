package org.pdr4j.nn.layers;

import org.pdr4j.autograd.Var;
import org.pdr4j.nn.Layer;
import org.pdr4j.nn.Module;

/** torch.nn.Identity: returns its input. */
public final class Identity extends Module implements Layer {
    @Override public Var forward(Var x) { return x; }
}
