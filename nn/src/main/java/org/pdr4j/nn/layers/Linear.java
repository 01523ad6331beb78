package org.pdr4j.nn.layers;

import java.util.SplittableRandom;
import org.pdr4j.autograd.Var;
import org.pdr4j.nn.Layer;
import org.pdr4j.nn.Module;
import org.pdr4j.nn.Parameter;
import org.pdr4j.nn.init.Init;
import org.pdr4j.tensor.Tensor;

/** torch.nn.Linear: y = x W^T + b on [..., in] to [..., out]; params "weight" [out, in], "bias" [out]. */
public final class Linear extends Module implements Layer {
    private final int in, out;
    private final Parameter weight, bias;

    /** PyTorch's default init, drawn from {@code new SplittableRandom(seed)}. */
    public Linear(int in, int out, boolean bias, long seed) {
        if (in <= 0 || out <= 0) throw new IllegalArgumentException("Linear: sizes must be positive, got in=" + in + " out=" + out);
        this.in = in;
        this.out = out;
        Tensor w = Tensor.zeros(out, in);
        Tensor b = bias ? Tensor.zeros(out) : null;
        Init.kaimingUniformDefault(w, b, new SplittableRandom(seed));
        this.weight = param("weight", w);
        this.bias = bias ? param("bias", b) : null;
    }

    public Parameter weight() { return weight; }

    /** The bias, or null when built without one. */
    public Parameter bias() { return bias; }

    public int inFeatures() { return in; }

    public int outFeatures() { return out; }

    /** [..., in] to [..., out]. */
    @Override public Var forward(Var x) {
        if (x.rank() < 1 || x.size(-1) != in)
            throw new IllegalArgumentException("Linear: input must be [..., " + in + "], got " + x.shape());
        int[] s = x.shape().toArray();
        Var x2 = x.rank() == 2 ? x : x.reshape(-1, in);
        Var y = x2.matmul(weight.var().transpose(0, 1));
        if (bias != null) y = y.add(bias.var());
        if (x.rank() == 2) return y;
        s[s.length - 1] = out;
        return y.reshape(s);
    }
}
