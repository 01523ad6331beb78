package org.pdr4j.autograd.ops;

import java.util.Arrays;
import org.pdr4j.autograd.Function;
import org.pdr4j.autograd.Var;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.backend.Backend;
import org.pdr4j.tensor.backend.Backends;
import org.pdr4j.tensor.backend.cpu.conv.ConvSpec;
import org.pdr4j.tensor.backend.cpu.conv.Pool2d;

/**
 * Convolution, transposed convolution, average pooling and pixel shuffle, with PyTorch's
 * semantics and argument conventions (an int[] of one value means the same for height and
 * width). Each op is a {@link Function} whose backward sits next to its forward; convolutions
 * run on {@link Backends#forOperands} (the CPU kernels of {@code org.pdr4j.tensor.backend.cpu.conv}
 * unless a backend overrides them; float64 always on the reference backend), pooling on the CPU.
 */
public final class ConvOps {
    private ConvOps() {}

    /**
     * {@code torch.nn.functional.conv2d}: x {@code [N, Cin, H, W]}, w {@code [Cout, Cin/groups, kH, kW]},
     * bias {@code [Cout]} or null; result {@code [N, Cout, oH, oW]}.
     */
    public static Var conv2d(Var x, Var w, Var bias, int[] stride, int[] padding, int[] dilation, int groups) {
        Conv2d f = new Conv2d(stride, padding, dilation, groups);
        return bias == null ? f.apply(x, w) : f.apply(x, w, bias);
    }

    /** {@link #conv2d} with square stride and padding, dilation 1, one group. */
    public static Var conv2d(Var x, Var w, Var bias, int stride, int padding) {
        return conv2d(x, w, bias, new int[] {stride}, new int[] {padding}, new int[] {1}, 1);
    }

    /**
     * {@code torch.nn.functional.conv_transpose2d}: x {@code [N, Cin, H, W]}, w {@code [Cin, Cout/groups, kH, kW]},
     * bias {@code [Cout]} or null; result {@code [N, Cout, (H-1)*s - 2p + d*(kH-1) + outputPadding + 1, ...]}.
     */
    public static Var convTranspose2d(Var x, Var w, Var bias, int[] stride, int[] padding, int[] outputPadding, int[] dilation, int groups) {
        ConvTranspose2d f = new ConvTranspose2d(stride, padding, outputPadding, dilation, groups);
        return bias == null ? f.apply(x, w) : f.apply(x, w, bias);
    }

    /** {@code torch.nn.functional.avg_pool2d(x, kernel, stride)}: no padding, floor mode; x {@code [N, C, H, W]}. */
    public static Var avgPool2d(Var x, int[] kernel, int[] stride) {
        int[] k = ConvSpec.pair("avg_pool2d kernel", kernel), s = ConvSpec.pair("avg_pool2d stride", stride);
        requireRank4("avg_pool2d", x.value());
        return new AvgPool2d(Pool2d.Windows.fixed(x.size(2), k[0], s[0]), Pool2d.Windows.fixed(x.size(3), k[1], s[1])).apply(x);
    }

    /** {@code torch.nn.functional.adaptive_avg_pool2d(x, (outH, outW))}; x {@code [N, C, H, W]}. */
    public static Var adaptiveAvgPool2d(Var x, int outH, int outW) {
        requireRank4("adaptive_avg_pool2d", x.value());
        return new AvgPool2d(Pool2d.Windows.adaptive(x.size(2), outH), Pool2d.Windows.adaptive(x.size(3), outW)).apply(x);
    }

    /** {@code torch.nn.functional.pixel_shuffle}: {@code [N, C*r*r, H, W] -> [N, C, H*r, W*r]}. */
    public static Var pixelShuffle(Var x, int r) {
        return new PixelShuffle(r).apply(x);
    }

    private static void requireRank4(String op, Tensor x) {
        if (x.rank() != 4) throw new IllegalArgumentException(op + ": input must be [N, C, H, W], got " + x.shape());
    }

    private static void checkBias(String op, Tensor b, int cout) {
        if (b.rank() != 1 || b.size(0) != cout) throw new IllegalArgumentException(op + ": bias must be [" + cout + "], got " + b.shape());
    }

    /** Adds {@code b [C]} to every plane of {@code y [N, C, H, W]}. */
    private static Tensor addBias(Tensor y, Tensor b) {
        return y.add(b.reshape(1, b.size(0), 1, 1));
    }

    /**
     * 2-D convolution. Backward: dx = the adjoint convolution of dy with w (col2im of
     * {@code w^T dy}), dw = dy correlated with x summed over the batch, dbias = dy summed over
     * N, H, W.
     */
    public static final class Conv2d extends Function {
        private final int[] stride, padding, dilation;
        private final int groups;
        private ConvSpec spec;
        private Tensor x, w;
        private boolean hasBias;

        public Conv2d(int[] stride, int[] padding, int[] dilation, int groups) {
            this.stride = stride;
            this.padding = padding;
            this.dilation = dilation;
            this.groups = groups;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            x = in[0].contiguous();
            w = in[1].contiguous();
            spec = ConvSpec.of(x.shape().toArray(), w.shape().toArray(), stride, padding, dilation, groups);
            hasBias = in.length > 2;
            Tensor b = hasBias ? in[2] : null;
            if (b != null) checkBias("conv2d", b, spec.cout());
            return (b == null ? Backends.forOperands(x, w) : Backends.forOperands(x, w, b)).conv2d(x, w, b, spec);
        }

        @Override
        protected Tensor[] backward(Tensor g, boolean[] needsGrad) {
            Tensor gc = g.contiguous();
            Backend be = Backends.forOperands(gc, x, w);
            Tensor gx = needsGrad[0] ? be.conv2dBackwardInput(gc, w, spec) : null;
            Tensor gw = needsGrad[1] ? be.conv2dBackwardWeight(gc, x, spec) : null;
            if (!hasBias) return new Tensor[] {gx, gw};
            return new Tensor[] {gx, gw, needsGrad[2] ? be.conv2dBackwardBias(gc) : null};
        }
    }

    /**
     * Transposed 2-D convolution: the adjoint (input gradient) of the convolution whose input
     * is this op's output. So forward runs that convolution's input-gradient kernel, dx is that
     * convolution's forward applied to dy, and dw its weight gradient with the roles of x and
     * dy swapped.
     */
    public static final class ConvTranspose2d extends Function {
        private final int[] stride, padding, outputPadding, dilation;
        private final int groups;
        private ConvSpec spec;
        private Tensor x, w;
        private boolean hasBias;

        public ConvTranspose2d(int[] stride, int[] padding, int[] outputPadding, int[] dilation, int groups) {
            this.stride = ConvSpec.pair("conv_transpose2d stride", stride);
            this.padding = ConvSpec.pair("conv_transpose2d padding", padding);
            this.outputPadding = ConvSpec.pair("conv_transpose2d output_padding", outputPadding);
            this.dilation = ConvSpec.pair("conv_transpose2d dilation", dilation);
            this.groups = groups;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            x = in[0].contiguous();
            w = in[1].contiguous();
            requireRank4("conv_transpose2d", x);
            if (w.rank() != 4) throw new IllegalArgumentException("conv_transpose2d: weight must be [Cin, Cout/groups, kH, kW], got " + w.shape());
            int n = x.size(0), cin = x.size(1);
            if (groups < 1 || w.size(0) != cin || cin % groups != 0) {
                throw new IllegalArgumentException("conv_transpose2d: input " + x.shape() + " and weight " + w.shape()
                        + " do not match with groups " + groups + " (need weight[0] == input channels, divisible by groups)");
            }
            int cout = w.size(1) * groups, kh = w.size(2), kw = w.size(3);
            for (int i = 0; i < 2; i++) {
                if (outputPadding[i] < 0 || (outputPadding[i] >= stride[i] && outputPadding[i] >= dilation[i])) {
                    throw new IllegalArgumentException("conv_transpose2d: output_padding " + Arrays.toString(outputPadding)
                            + " must be smaller than either stride " + Arrays.toString(stride) + " or dilation " + Arrays.toString(dilation));
                }
            }
            int oh = (x.size(2) - 1) * stride[0] - 2 * padding[0] + dilation[0] * (kh - 1) + outputPadding[0] + 1;
            int ow = (x.size(3) - 1) * stride[1] - 2 * padding[1] + dilation[1] * (kw - 1) + outputPadding[1] + 1;
            if (oh < 1 || ow < 1) {
                throw new IllegalArgumentException("conv_transpose2d: output size [" + oh + ", " + ow + "] of input " + x.shape()
                        + " and weight " + w.shape() + " is not positive");
            }
            spec = new ConvSpec(n, cout, oh, ow, cin, kh, kw, stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1], groups);
            hasBias = in.length > 2;
            Tensor y = Backends.forOperands(x, w).conv2dBackwardInput(x, w, spec);
            if (hasBias) {
                checkBias("conv_transpose2d", in[2], cout);
                y = addBias(y, in[2]);
            }
            return y;
        }

        @Override
        protected Tensor[] backward(Tensor g, boolean[] needsGrad) {
            Tensor gc = g.contiguous();
            Backend be = Backends.forOperands(gc, x, w);
            Tensor gx = needsGrad[0] ? be.conv2d(gc, w, null, spec) : null;
            Tensor gw = needsGrad[1] ? be.conv2dBackwardWeight(x, gc, spec) : null;
            if (!hasBias) return new Tensor[] {gx, gw};
            return new Tensor[] {gx, gw, needsGrad[2] ? be.conv2dBackwardBias(gc) : null};
        }
    }

    /** Average over rectangular windows (plain or adaptive); the gradient spreads evenly over each window. */
    public static final class AvgPool2d extends Function {
        private final Pool2d.Windows rows, cols;
        private int h, w;

        public AvgPool2d(Pool2d.Windows rows, Pool2d.Windows cols) {
            this.rows = rows;
            this.cols = cols;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            requireRank4("avg_pool2d", in[0]);
            h = in[0].size(2);
            w = in[0].size(3);
            int needH = rows.end()[rows.size() - 1], needW = cols.end()[cols.size() - 1];
            if (needH > h || needW > w) {
                throw new IllegalArgumentException("avg_pool2d: windows need at least [" + needH + ", " + needW + "] positions, input is " + in[0].shape());
            }
            return Pool2d.forward(in[0], rows, cols);
        }

        @Override
        protected Tensor[] backward(Tensor g, boolean[] needsGrad) {
            return new Tensor[] {Pool2d.backward(g, h, w, rows, cols)};
        }
    }

    /** Pixel shuffle: one copy each way, {@code [N, C*r*r, H, W] <-> [N, C, H*r, W*r]}. */
    public static final class PixelShuffle extends Function {
        private final int r;

        public PixelShuffle(int r) {
            if (r < 1) throw new IllegalArgumentException("pixel_shuffle: upscale factor must be >= 1, got " + r);
            this.r = r;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            Tensor x = in[0];
            if (x.rank() != 4 || x.size(1) % (r * r) != 0) {
                throw new IllegalArgumentException("pixel_shuffle: input must be [N, C*" + r * r + ", H, W], got " + x.shape());
            }
            int n = x.size(0), c = x.size(1) / (r * r), h = x.size(2), w = x.size(3);
            return x.reshape(n, c, r, r, h, w).permute(0, 1, 4, 2, 5, 3).contiguous().reshape(n, c, h * r, w * r);
        }

        @Override
        protected Tensor[] backward(Tensor g, boolean[] needsGrad) {
            int n = g.size(0), c = g.size(1), h = g.size(2) / r, w = g.size(3) / r;
            return new Tensor[] {g.reshape(n, c, h, r, w, r).permute(0, 1, 3, 5, 2, 4).contiguous().reshape(n, c * r * r, h, w)};
        }
    }
}
