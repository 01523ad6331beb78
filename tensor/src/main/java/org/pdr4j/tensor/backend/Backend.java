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
}
