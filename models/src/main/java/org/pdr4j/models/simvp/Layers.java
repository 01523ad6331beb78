package org.pdr4j.models.simvp;

import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.pdr4j.nn.Module;
import org.pdr4j.nn.Parameter;
import org.pdr4j.nn.init.Init;
import org.pdr4j.nn.layers.Conv2d;
import org.pdr4j.nn.layers.Linear;

/**
 * The few layer constructors and initialisers the SimVP family uses, in one place, so each block
 * reads like its OpenSTL counterpart. Every layer draws its initial weights from the caller's
 * {@link SplittableRandom}, so a model is a pure function of its seed.
 */
final class Layers {
    private Layers() {}

    /** A square-kernel Conv2d with bias and PyTorch's default init. */
    static Conv2d conv(SplittableRandom rng, int in, int out, int k, int stride, int padding, int dilation, int groups) {
        return new Conv2d(in, out, k, stride, padding, dilation, groups, true, rng.nextLong());
    }

    static Conv2d conv1x1(SplittableRandom rng, int in, int out) {
        return conv(rng, in, out, 1, 1, 0, 1, 1);
    }

    /** Visits {@code root} and every module below it, depth first. */
    static void forEach(Module root, Consumer<Module> f) {
        f.accept(root);
        for (Module m : root.children().values()) forEach(m, f);
    }

    /**
     * OpenSTL's {@code _init_weights} for the translator blocks: convolutions N(0, sqrt(2 / fan_out))
     * with fan_out = kH * kW * out / groups, linears truncated normal(std 0.02), biases zero.
     */
    static void initTranslator(Module root, SplittableRandom rng) {
        forEach(root, m -> {
            if (m instanceof Conv2d c) {
                Parameter w = c.weight();
                int[] s = w.value().shape().toArray();
                double fanOut = (double) s[2] * s[3] * s[0] / c.groups();
                Init.normal(w.value(), 0, Math.sqrt(2.0 / fanOut), rng);
                if (c.bias() != null) Init.zeros(c.bias().value());
            } else if (m instanceof Linear l) {
                Init.truncNormal(l.weight().value(), 0.02, rng);
                if (l.bias() != null) Init.zeros(l.bias().value());
            }
        });
    }
}
