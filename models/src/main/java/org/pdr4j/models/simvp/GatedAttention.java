package org.pdr4j.models.simvp;

import java.util.SplittableRandom;
import org.pdr4j.autograd.Var;
import org.pdr4j.nn.Layer;
import org.pdr4j.nn.Module;
import org.pdr4j.nn.layers.Activation;
import org.pdr4j.nn.layers.Conv2d;

/**
 * The attention branch shared by gSTA and TAU (OpenSTL {@code SpatialAttention} /
 * {@code TemporalAttention}): 1x1, GELU, the gating unit, 1x1, plus the input (shortcut).
 */
public final class GatedAttention extends Module implements Layer {
    private final Conv2d proj1, proj2;
    private final Layer act = Activation.gelu();
    private final Layer gating;

    public GatedAttention(SplittableRandom rng, int dim, boolean temporal) {
        proj1 = module("proj_1", Layers.conv1x1(rng, dim, dim));
        Module unit = temporal ? new TemporalAttentionModule(rng, dim, 21) : new AttentionModule(rng, dim, 21, 3, 2);
        gating = module("spatial_gating_unit", unit) instanceof Layer l ? l : null;
        proj2 = module("proj_2", Layers.conv1x1(rng, dim, dim));
    }

    @Override public Var forward(Var x) {
        return proj2.forward(gating.forward(act.forward(proj1.forward(x)))).add(x);
    }
}
