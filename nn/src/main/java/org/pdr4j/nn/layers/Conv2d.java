package org.pdr4j.nn.layers;

import java.util.SplittableRandom;
import org.pdr4j.autograd.Var;
import org.pdr4j.autograd.ops.ConvOps;
import org.pdr4j.nn.Layer;
import org.pdr4j.nn.Module;
import org.pdr4j.nn.Parameter;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.backend.cpu.conv.ConvSpec;

/**
 * {@code torch.nn.Conv2d}: parameters "weight" {@code [outC, inC/groups, kH, kW]} and "bias"
 * {@code [outC]} (optional). Initialised as PyTorch does: weight kaiming_uniform(a = sqrt(5)),
 * which is U(-1/sqrt(fanIn), 1/sqrt(fanIn)), and bias U(-1/sqrt(fanIn), 1/sqrt(fanIn)), with
 * {@code fanIn = (inC/groups) * kH * kW}; weight then bias drawn from {@code SplittableRandom(seed)}.
 */
public final class Conv2d extends Module implements Layer {
    private final int[] kernel, stride, padding, dilation;
    private final int groups;
    private final Parameter weight, bias;

    /** Stride 1, no padding, dilation 1, one group, with bias (PyTorch's defaults). */
    public Conv2d(int inC, int outC, int kernel, long seed) {
        this(inC, outC, kernel, 1, 0, 1, 1, true, seed);
    }

    /** Square kernel, stride and padding; dilation 1, one group, with bias. */
    public Conv2d(int inC, int outC, int kernel, int stride, int padding, long seed) {
        this(inC, outC, kernel, stride, padding, 1, 1, true, seed);
    }

    /** Square kernel, stride, padding and dilation. */
    public Conv2d(int inC, int outC, int kernel, int stride, int padding, int dilation, int groups, boolean bias, long seed) {
        this(inC, outC, new int[] {kernel}, new int[] {stride}, new int[] {padding}, new int[] {dilation}, groups, bias, seed);
    }

    /** Everything as (height, width) pairs; a single value means both. */
    public Conv2d(int inC, int outC, int[] kernel, int[] stride, int[] padding, int[] dilation, int groups, boolean bias, long seed) {
        this.kernel = ConvSpec.pair("Conv2d kernel", kernel);
        this.stride = ConvSpec.pair("Conv2d stride", stride);
        this.padding = ConvSpec.pair("Conv2d padding", padding);
        this.dilation = ConvSpec.pair("Conv2d dilation", dilation);
        if (inC < 1 || outC < 1 || groups < 1 || inC % groups != 0 || outC % groups != 0) {
            throw new IllegalArgumentException("Conv2d: groups " + groups + " must divide in_channels " + inC + " and out_channels " + outC);
        }
        if (this.kernel[0] < 1 || this.kernel[1] < 1) throw new IllegalArgumentException("Conv2d: kernel must be >= 1, got " + java.util.Arrays.toString(kernel));
        this.groups = groups;
        int fanIn = inC / groups * this.kernel[0] * this.kernel[1];
        double bound = 1 / Math.sqrt(fanIn);
        SplittableRandom r = new SplittableRandom(seed);
        this.weight = param("weight", uniform(r, bound, outC, inC / groups, this.kernel[0], this.kernel[1]));
        this.bias = bias ? param("bias", uniform(r, bound, outC)) : null;
    }

    /** U(-bound, bound) float32 values of the given shape. */
    static Tensor uniform(SplittableRandom r, double bound, int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextDouble(-bound, bound);
        return Tensor.of(v, shape);
    }

    /** x {@code [N, inC, H, W]} to {@code [N, outC, oH, oW]}. */
    @Override
    public Var forward(Var x) {
        return ConvOps.conv2d(x, weight.var(), bias == null ? null : bias.var(), stride, padding, dilation, groups);
    }

    public Parameter weight() { return weight; }

    /** The bias, or null when the layer has none. */
    public Parameter bias() { return bias; }

    public int[] kernel() { return kernel.clone(); }

    public int[] stride() { return stride.clone(); }

    public int[] padding() { return padding.clone(); }

    public int[] dilation() { return dilation.clone(); }

    public int groups() { return groups; }
}
