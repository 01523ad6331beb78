package org.pdr4j.nn.layers;

import java.util.SplittableRandom;
import org.pdr4j.autograd.Var;
import org.pdr4j.autograd.ops.ConvOps;
import org.pdr4j.nn.Layer;
import org.pdr4j.nn.Module;
import org.pdr4j.nn.Parameter;
import org.pdr4j.tensor.backend.cpu.conv.ConvSpec;

/**
 * {@code torch.nn.ConvTranspose2d}: parameters "weight" {@code [inC, outC/groups, kH, kW]}
 * (PyTorch's layout) and "bias" {@code [outC]} (optional). PyTorch's default init computes
 * fan_in from the weight's dim 1, so here {@code fanIn = (outC/groups) * kH * kW}; weight and
 * bias are U(-1/sqrt(fanIn), 1/sqrt(fanIn)), drawn from {@code SplittableRandom(seed)} in that order.
 */
public final class ConvTranspose2d extends Module implements Layer {
    private final int[] kernel, stride, padding, outputPadding, dilation;
    private final int groups;
    private final Parameter weight, bias;

    /** Square kernel, stride and padding; no output padding, dilation 1, one group, with bias. */
    public ConvTranspose2d(int inC, int outC, int kernel, int stride, int padding, long seed) {
        this(inC, outC, kernel, stride, padding, 0, 1, 1, true, seed);
    }

    /** Square everything. */
    public ConvTranspose2d(int inC, int outC, int kernel, int stride, int padding, int outputPadding, int dilation,
            int groups, boolean bias, long seed) {
        this(inC, outC, new int[] {kernel}, new int[] {stride}, new int[] {padding}, new int[] {outputPadding},
                new int[] {dilation}, groups, bias, seed);
    }

    /** Everything as (height, width) pairs; a single value means both. */
    public ConvTranspose2d(int inC, int outC, int[] kernel, int[] stride, int[] padding, int[] outputPadding, int[] dilation,
            int groups, boolean bias, long seed) {
        this.kernel = ConvSpec.pair("ConvTranspose2d kernel", kernel);
        this.stride = ConvSpec.pair("ConvTranspose2d stride", stride);
        this.padding = ConvSpec.pair("ConvTranspose2d padding", padding);
        this.outputPadding = ConvSpec.pair("ConvTranspose2d output_padding", outputPadding);
        this.dilation = ConvSpec.pair("ConvTranspose2d dilation", dilation);
        if (inC < 1 || outC < 1 || groups < 1 || inC % groups != 0 || outC % groups != 0) {
            throw new IllegalArgumentException("ConvTranspose2d: groups " + groups + " must divide in_channels " + inC + " and out_channels " + outC);
        }
        this.groups = groups;
        int fanIn = outC / groups * this.kernel[0] * this.kernel[1];
        double bound = 1 / Math.sqrt(fanIn);
        SplittableRandom r = new SplittableRandom(seed);
        this.weight = param("weight", Conv2d.uniform(r, bound, inC, outC / groups, this.kernel[0], this.kernel[1]));
        this.bias = bias ? param("bias", Conv2d.uniform(r, bound, outC)) : null;
    }

    /** x {@code [N, inC, H, W]} to {@code [N, outC, (H-1)*s - 2p + d*(k-1) + outputPadding + 1, ...]}. */
    @Override
    public Var forward(Var x) {
        return ConvOps.convTranspose2d(x, weight.var(), bias == null ? null : bias.var(), stride, padding, outputPadding, dilation, groups);
    }

    public Parameter weight() { return weight; }

    /** The bias, or null when the layer has none. */
    public Parameter bias() { return bias; }

    public int groups() { return groups; }
}
