package org.pdr4j.nn.layers;

import org.pdr4j.autograd.Var;
import org.pdr4j.autograd.ops.NormOps;
import org.pdr4j.nn.Buffer;
import org.pdr4j.nn.Layer;
import org.pdr4j.nn.Module;
import org.pdr4j.nn.Parameter;
import org.pdr4j.tensor.Tensor;

/**
 * torch.nn.BatchNorm2d on {@code x [N, C, H, W]} (also {@code [N, C]}): parameters "weight"
 * (init 1) and "bias" (init 0); buffers "running_mean" (0), "running_var" (1) and
 * "num_batches_tracked" (a float32 scalar of shape [] counting training batches). In training
 * mode ({@link #isTraining()}) it uses the batch statistics and updates the running ones with
 * {@code momentum} (unbiased variance); in eval mode it uses the running statistics.
 */
public final class BatchNorm2d extends Module implements Layer {
    private final int channels;
    private final double eps, momentum;
    private final Parameter weight, bias;
    private final Buffer runningMean, runningVar, numBatchesTracked;

    /** momentum 0.1, eps 1e-5, affine, as PyTorch's defaults. */
    public BatchNorm2d(int channels) {
        this(channels, 1e-5, 0.1);
    }

    public BatchNorm2d(int channels, double eps, double momentum) {
        if (channels <= 0) throw new IllegalArgumentException("BatchNorm2d: channels must be > 0, got " + channels);
        this.channels = channels;
        this.eps = eps;
        this.momentum = momentum;
        this.weight = param("weight", Tensor.ones(channels));
        this.bias = param("bias", Tensor.zeros(channels));
        this.runningMean = buffer("running_mean", Tensor.zeros(channels));
        this.runningVar = buffer("running_var", Tensor.ones(channels));
        this.numBatchesTracked = buffer("num_batches_tracked", Tensor.scalar(0));
    }

    public int channels() { return channels; }

    public Tensor runningMean() { return runningMean.value(); }

    public Tensor runningVar() { return runningVar.value(); }

    /** Training batches seen (the "num_batches_tracked" buffer). */
    public long numBatchesTracked() { return (long) numBatchesTracked.value().item(); }

    @Override
    public Var forward(Var x) {
        if (x.rank() < 2 || x.size(1) != channels)
            throw new IllegalArgumentException("BatchNorm2d(" + channels + "): x must be [N, " + channels + ", H, W], got " + x.shape());
        boolean training = isTraining();
        Var y = NormOps.batchNorm(x, weight.var(), bias.var(), runningMean.value(), runningVar.value(), training, momentum, eps);
        if (training) numBatchesTracked.value().assign(Tensor.scalar(numBatchesTracked.value().item() + 1));
        return y;
    }
}
