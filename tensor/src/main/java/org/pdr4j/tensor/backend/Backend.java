package org.pdr4j.tensor.backend;

import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.backend.cpu.conv.ConvKernels;
import org.pdr4j.tensor.backend.cpu.conv.ConvSpec;

/**
 * The one seam between tensor maths and hardware. Every kernel writes into an output the
 * caller allocated; inputs arrive as strided views (broadcast dimensions have stride 0) whose
 * shapes the caller has already checked and expanded to the output's.
 *
 * <p>Implementations: {@code cpu} (Vector API, the default) and {@code ref} (scalar float64,
 * the definition the others are tested against, and the only one that runs {@code F64}).
 */
public interface Backend {
    /** Short name used by {@code -Dpdr4j.backend} and in reports. */
    String name();

    /** {@code out = op(x; a, b)}, same shapes. */
    void map(UnaryOp op, double a, double b, Tensor x, Tensor out);

    /**
     * {@code out = g * op'(x)}, the chain rule through an element-wise op, in one pass: the
     * derivative is {@link UnaryOp#derivative} with {@code y = op(x)} (the forward's output);
     * all four have out's shape.
     */
    void mulDerivative(UnaryOp op, double a, double b, Tensor x, Tensor y, Tensor g, Tensor out);

    /** {@code out = op(x, y)}; x and y are expanded to out's shape. */
    void zip(BinaryOp op, Tensor x, Tensor y, Tensor out);

    /** {@code out = cond != 0 ? x : y}; all expanded to out's shape. */
    void where(Tensor cond, Tensor x, Tensor y, Tensor out);

    /**
     * Reduces {@code x} over the axes flagged in {@code axes} into {@code out}, whose shape is
     * x's with those axes set to 1.
     */
    void reduce(ReduceOp op, Tensor x, boolean[] axes, Tensor out);

    /**
     * Index of the first maximum ({@code MAX}) or minimum ({@code MIN}) along {@code axis},
     * written as integral floats into {@code out} (x's shape with that axis set to 1).
     */
    void argReduce(ReduceOp op, Tensor x, int axis, Tensor out);

    /** {@code dst[...] = src[...]}, same shapes; dst may be any non-overlapping view. */
    void copy(Tensor src, Tensor dst);

    /** Sets every element of the view {@code dst} to {@code value}. */
    void fill(Tensor dst, double value);

    /**
     * Batched matrix product: {@code a [B, M, K]} times {@code b [B, K, N]} into the contiguous
     * {@code out [B, M, N]}. a and b may be any strided views (stride-0 batch when broadcast).
     */
    void matmul(Tensor a, Tensor b, Tensor out);

    /**
     * 2-D convolution (PyTorch's conv2d, see {@link ConvSpec}): {@code y [n, cout, oh, ow]} of
     * {@code x [n, cin, h, w]}, {@code w [cout, cin/groups, kh, kw]} and {@code bias [cout]} or
     * null, as a new contiguous tensor. Unlike the ops above it allocates its result. The default
     * runs {@link ConvKernels#forward} (float32 fast paths, float64 reference loops).
     */
    default Tensor conv2d(Tensor x, Tensor w, Tensor bias, ConvSpec s) {
        return ConvKernels.forward(x, w, bias, s);
    }

    /**
     * Gradient of conv2d's input {@code [n, cin, h, w]} from the output gradient
     * {@code gy [n, cout, oh, ow]}: the transposed convolution. Default: {@link ConvKernels#backwardInput}.
     */
    default Tensor conv2dBackwardInput(Tensor gy, Tensor w, ConvSpec s) {
        return ConvKernels.backwardInput(gy, w, s);
    }

    /**
     * Gradient of conv2d's weight {@code [cout, cin/groups, kh, kw]} from {@code gy [n, cout, oh, ow]}
     * and {@code x [n, cin, h, w]}, summed over the batch. Default: {@link ConvKernels#backwardWeight}.
     */
    default Tensor conv2dBackwardWeight(Tensor gy, Tensor x, ConvSpec s) {
        return ConvKernels.backwardWeight(gy, x, s);
    }

    /** Gradient of conv2d's bias {@code [c]}: {@code gy [n, c, h, w]} summed over n, h, w. Default: {@link ConvKernels#backwardBias}. */
    default Tensor conv2dBackwardBias(Tensor gy) {
        return ConvKernels.backwardBias(gy);
    }

    /**
     * {@code out[i..., j, k...] = x[i..., index[i..., j, k...], k...]} along {@code axis};
     * index holds integral floats already checked to be in range; out has index's shape.
     */
    void gather(Tensor x, int axis, Tensor index, Tensor out);

    /** The adjoint of gather: {@code dst[i..., index[...], k...] += src[...]} along {@code axis}. */
    void scatterAdd(Tensor dst, int axis, Tensor index, Tensor src);

    // ---------------------------------------------------------------- softmax, blur, GroupNorm, BatchNorm
    // Defaults run the CPU kernels (org.pdr4j.tensor.backend.cpu.norm), in F32 or F64; all
    // operands of one call share a dtype. Device backends override them for F32.

    /**
     * Softmax (or, when {@code log}, log-softmax) of {@code x [outer, D, inner]} over its middle
     * axis into {@code out} (same shape), stable: the maximum is subtracted first.
     */
    default void softmax(Tensor x, boolean log, Tensor out) {
        org.pdr4j.tensor.backend.cpu.norm.NormKernels.softmax(x, log, out);
    }

    /**
     * The softmax gradient from the forward output {@code y [outer, D, inner]} and the upstream
     * {@code g}: {@code dx = y * (g - sum(g * y))}, or for log-softmax {@code dx = g - exp(y) * sum(g)}.
     */
    default void softmaxBackward(Tensor y, Tensor g, boolean log, Tensor dx) {
        org.pdr4j.tensor.backend.cpu.norm.NormKernels.softmaxBackward(y, g, log, dx);
    }

    /**
     * Separable 'valid' correlation of planes {@code x [P, H, W]} with {@code kernel [K]} along
     * both axes into {@code out [P, H-K+1, W-K+1]}.
     */
    default void blur(Tensor x, Tensor kernel, Tensor out) {
        org.pdr4j.tensor.backend.cpu.norm.NormKernels.blur(x, kernel, out);
    }

    /** The transpose of {@link #blur}: {@code g [P, H-K+1, W-K+1]} into {@code dx [P, H, W]}. */
    default void blurBackward(Tensor g, Tensor kernel, Tensor dx) {
        org.pdr4j.tensor.backend.cpu.norm.NormKernels.blurBackward(g, kernel, dx);
    }

    /**
     * Block normalisation (GroupNorm, LayerNorm): each block {@code b} of {@code x [B, K, S]} is
     * normalised by its mean and biased variance, then {@code * weight[p] + bias[p]}
     * ({@code [period * K]}, {@code p = (b % period) * K + k}) into {@code y}; each block's mean
     * and {@code 1 / sqrt(var + eps)} go to {@code mean[b]}, {@code rstd[b]}.
     */
    default void groupNorm(Tensor x, int period, Tensor weight, Tensor bias, double eps, Tensor y, double[] mean, double[] rstd) {
        org.pdr4j.tensor.backend.cpu.norm.NormKernels.groupNorm(x, period, weight, bias, eps, y, mean, rstd);
    }

    /**
     * The gradient of {@link #groupNorm} from the saved {@code mean}, {@code rstd}: {@code dx}
     * ({@code [B, K, S]}) and per-(b, k) partials {@code dwPart = sum_s dy * xhat},
     * {@code dbPart = sum_s dy} ({@code [B, K]}); null outputs are skipped.
     */
    default void groupNormBackward(Tensor x, Tensor dy, int period, Tensor weight, double[] mean, double[] rstd,
                                   Tensor dx, Tensor dwPart, Tensor dbPart) {
        org.pdr4j.tensor.backend.cpu.norm.NormKernels.groupNormBackward(x, dy, period, weight, mean, rstd, dx, dwPart, dbPart);
    }

    /** BatchNorm statistics of {@code x [N, C, S]}: per channel, mean and biased variance over N and S. */
    default void batchNormStats(Tensor x, double[] mean, double[] var) {
        org.pdr4j.tensor.backend.cpu.norm.NormKernels.batchNormStats(x, mean, var);
    }

    /** {@code y = (x - mean[c]) / sqrt(var[c] + eps) * weight[c] + bias[c]} on {@code [N, C, S]}. */
    default void batchNormNormalise(Tensor x, double[] mean, double[] var, double eps, Tensor weight, Tensor bias, Tensor y) {
        org.pdr4j.tensor.backend.cpu.norm.NormKernels.batchNormNormalise(x, mean, var, eps, weight, bias, y);
    }

    /**
     * The BatchNorm gradient: {@code dw[c] = sum dy * xhat}, {@code db[c] = sum dy} and {@code dx}
     * (each nullable), with the batch statistics' closed form when {@code training}, else
     * {@code dx = dy * rstd * w}.
     */
    default void batchNormBackward(Tensor x, Tensor dy, double[] mean, double[] var, double eps, Tensor weight, boolean training,
                                   Tensor dx, double[] dw, double[] db) {
        org.pdr4j.tensor.backend.cpu.norm.NormKernels.batchNormBackward(x, dy, mean, var, eps, weight, training, dx, dw, db);
    }
}
