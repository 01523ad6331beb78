package org.pdr4j.nn.layers;

import java.util.SplittableRandom;
import org.pdr4j.autograd.Var;
import org.pdr4j.nn.Layer;
import org.pdr4j.nn.Module;
import org.pdr4j.nn.Parameter;
import org.pdr4j.nn.init.Init;
import org.pdr4j.tensor.Tensor;

/** {@code y = x W^T + b} on the last dim, as torch.nn.Linear: "weight" [out, in], "bias" [out], PyTorch's init. */
public final class Linear extends Module implements Layer {
    private final Parameter weight, bias;
    private final int in, out;

    public Linear(int in, int out, boolean bias, long seed) {
        if (in < 1 || out < 1) throw new IllegalArgumentException("Linear needs positive sizes, got " + in + " -> " + out);
        this.in = in;
        this.out = out;
        Tensor w = Tensor.zeros(out, in), b = bias ? Tensor.zeros(out) : null;
        Init.kaimingUniformDefault(w, b, new SplittableRandom(seed));
        this.weight = param("weight", w);
        this.bias = bias ? param("bias", b) : null;
    }

    public Parameter weight() { return weight; }

    /** The bias, or null. */
    public Parameter bias() { return bias; }

    @Override public Var forward(Var x) {
        int[] s = x.shape().toArray();
        if (s.length == 0 || s[s.length - 1] != in)
            throw new IllegalArgumentException("Linear(" + in + " -> " + out + ") got input " + x.shape());
        Var y = x.reshape(-1, in).matmul(weight.var().transpose(0, 1));
        if (bias != null) y = y.add(bias.var());
        s[s.length - 1] = out;
        return y.reshape(s);
    }
}
