package org.pdr4j.models.simvp;

import java.util.SplittableRandom;
import org.pdr4j.autograd.Var;
import org.pdr4j.nn.Layer;
import org.pdr4j.nn.Module;
import org.pdr4j.nn.layers.Activation;
import org.pdr4j.nn.layers.Conv2d;

/** gSTA's convolutional MLP (OpenSTL {@code MixMlp}): 1x1 up, depthwise 3x3, GELU, 1x1 down. */
public final class MixMlp extends Module implements Layer {
    private final Conv2d fc1, fc2;
    private final DwConv dwconv;
    private final Layer act = Activation.gelu();

    public MixMlp(SplittableRandom rng, int in, int hidden) {
        fc1 = module("fc1", Layers.conv1x1(rng, in, hidden));
        dwconv = module("dwconv", new DwConv(rng, hidden));
        fc2 = module("fc2", Layers.conv1x1(rng, hidden, in));
    }

    @Override public Var forward(Var x) {
        return fc2.forward(act.forward(dwconv.forward(fc1.forward(x))));
    }

    /** OpenSTL's {@code DWConv}: a module holding one depthwise 3x3 conv, also named dwconv. */
    static final class DwConv extends Module implements Layer {
        private final Conv2d dwconv;

        DwConv(SplittableRandom rng, int dim) { dwconv = module("dwconv", Layers.conv(rng, dim, dim, 3, 1, 1, 1, dim)); }

        @Override public Var forward(Var x) { return dwconv.forward(x); }
    }
}
