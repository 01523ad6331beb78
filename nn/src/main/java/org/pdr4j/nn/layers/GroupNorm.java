package org.pdr4j.nn.layers;

import org.pdr4j.autograd.Var;
import org.pdr4j.autograd.ops.NormOps;
import org.pdr4j.nn.Layer;
import org.pdr4j.nn.Module;
import org.pdr4j.nn.Parameter;
import org.pdr4j.tensor.Tensor;

/**
 * torch.nn.GroupNorm: {@code x [N, C, ...]} normalised per (sample, group of C/groups channels),
 * then scaled and shifted per channel by "weight" (init 1) and "bias" (init 0), both {@code [C]}.
 */
public final class GroupNorm extends Module implements Layer {
    private final int groups, channels;
    private final double eps;
    private final Parameter weight, bias;

    /** Affine GroupNorm with eps 1e-5. */
    public GroupNorm(int groups, int channels) {
        this(groups, channels, 1e-5, true);
    }

    public GroupNorm(int groups, int channels, double eps, boolean affine) {
        if (groups <= 0 || channels % groups != 0)
            throw new IllegalArgumentException("GroupNorm: " + channels + " channels do not split into " + groups + " groups");
        this.groups = groups;
        this.channels = channels;
        this.eps = eps;
        this.weight = affine ? param("weight", Tensor.ones(channels)) : null;
        this.bias = affine ? param("bias", Tensor.zeros(channels)) : null;
    }

    public int groups() { return groups; }

    public int channels() { return channels; }

    @Override
    public Var forward(Var x) {
        if (x.rank() < 2 || x.size(1) != channels)
            throw new IllegalArgumentException("GroupNorm(" + groups + ", " + channels + "): x must be [N, " + channels + ", ...], got " + x.shape());
        return NormOps.groupNorm(x, groups, weight == null ? null : weight.var(), bias == null ? null : bias.var(), eps);
    }
}
