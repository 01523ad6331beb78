package org.pdr4j.tensor.backend.cpu.conv;

import java.util.Arrays;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Parallel;
import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.Storage;
import org.pdr4j.tensor.Tensor;

/**
 * Entry points of the 2-D convolution kernels on tensors (no gradients here: the autograd op
 * calls these). Float64 tensors run the {@link RefConv} reference loops; float32 tensors take
 * the fastest applicable path: {@link DepthwiseConv} for stride-1 depthwise convolutions,
 * {@link GemmConv} otherwise (a plain GEMM per sample for 1x1 stride-1 unpadded kernels, im2col
 * + GEMM for the rest), except the weight gradient of stride-1 convolutions with 8..32 output
 * channels, which {@link DirectConv} computes. All operands must have the same dtype;
 * non-contiguous tensors are copied to contiguous ones first.
 */
public final class ConvKernels {
    private ConvKernels() {}

    /** Which float32 path a spec takes (for tests and benchmarks). */
    public enum Path { DEPTHWISE, DIRECT, POINTWISE, IM2COL }

    /** The float32 path {@code s}'s forward and input gradient run on. */
    public static Path path(ConvSpec s) {
        if (DepthwiseConv.supports(s)) return Path.DEPTHWISE;
        return s.isPointwise() ? Path.POINTWISE : Path.IM2COL;
    }

    /** The float32 path {@code s}'s weight gradient runs on: as {@link #path}, or DIRECT. */
    public static Path weightGradPath(ConvSpec s) {
        Path p = path(s);
        return p == Path.IM2COL && DirectConv.supports(s) ? Path.DIRECT : p;
    }

    /** {@code y [n, cout, oh, ow]} of {@code x [n, cin, h, w]}, {@code w [cout, cin/groups, kh, kw]}, {@code bias [cout]} or null. */
    public static Tensor forward(Tensor x, Tensor w, Tensor bias, ConvSpec s) {
        check("input", x, s.inputShape());
        check("weight", w, s.weightShape());
        if (bias != null) check("bias", bias, new int[] {s.cout()});
        sameType(x, w, bias);
        if (x.dtype() == DType.F64) {
            return wrap(RefConv.forward(f64(x), f64(w), bias == null ? null : f64(bias), s), s.outputShape());
        }
        float[] y = new float[numel(s.outputShape())];
        float[] b = bias == null ? null : f32(bias);
        if (path(s) == Path.DEPTHWISE) DepthwiseConv.forward(f32(x), f32(w), b, y, s);
        else GemmConv.forward(f32(x), f32(w), b, y, s);
        return wrap(y, s.outputShape());
    }

    /** Gradient of the input {@code [n, cin, h, w]} given the output gradient {@code gy [n, cout, oh, ow]}. */
    public static Tensor backwardInput(Tensor gy, Tensor w, ConvSpec s) {
        check("output gradient", gy, s.outputShape());
        check("weight", w, s.weightShape());
        sameType(gy, w, null);
        if (gy.dtype() == DType.F64) return wrap(RefConv.backwardInput(f64(gy), f64(w), s), s.inputShape());
        float[] dx = new float[numel(s.inputShape())];
        if (path(s) == Path.DEPTHWISE) DepthwiseConv.backwardInput(f32(gy), f32(w), dx, s);
        else GemmConv.backwardInput(f32(gy), f32(w), dx, s);
        return wrap(dx, s.inputShape());
    }

    /** Gradient of the weight {@code [cout, cin/groups, kh, kw]}, summed over the batch in index order. */
    public static Tensor backwardWeight(Tensor gy, Tensor x, ConvSpec s) {
        check("output gradient", gy, s.outputShape());
        check("input", x, s.inputShape());
        sameType(gy, x, null);
        if (gy.dtype() == DType.F64) return wrap(RefConv.backwardWeight(f64(gy), f64(x), s), s.weightShape());
        float[] dw = new float[numel(s.weightShape())];
        switch (weightGradPath(s)) {
            case DEPTHWISE -> DepthwiseConv.backwardWeight(f32(gy), f32(x), dw, s);
            case DIRECT -> DirectConv.backwardWeight(f32(gy), f32(x), dw, s);
            default -> GemmConv.backwardWeight(f32(gy), f32(x), dw, s);
        }
        return wrap(dw, s.weightShape());
    }

    /** Gradient of the bias {@code [c]}: {@code gy [n, c, h, w]} summed over n, h, w (in double, fixed order). */
    public static Tensor backwardBias(Tensor gy) {
        if (gy.rank() != 4) throw new IllegalArgumentException("bias gradient: output gradient must be [N, C, H, W], got " + gy.shape());
        int n = gy.size(0), c = gy.size(1), hw = gy.size(2) * gy.size(3);
        Tensor g = gy.contiguous();
        double[] db = new double[c];
        if (g.dtype() == DType.F64) {
            db = RefConv.backwardBias(f64(g), n, c, hw);
            return Tensor.of(db, c);
        }
        float[] a = f32(g);
        float[] out = new float[c];
        Parallel.forRange(c, 16, (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) {
                double acc = 0;
                for (int b = 0; b < n; b++) {
                    int off = (b * c + ch) * hw;
                    for (int k = 0; k < hw; k++) acc += a[off + k];
                }
                out[ch] = (float) acc;
            }
        });
        return Tensor.of(out, c);
    }

    // ---------------------------------------------------------------- helpers

    static void check(String what, Tensor t, int[] shape) {
        if (!Arrays.equals(t.shape().toArray(), shape)) {
            throw new IllegalArgumentException("conv2d: " + what + " must be " + Arrays.toString(shape) + ", got " + t.shape());
        }
    }

    private static void sameType(Tensor a, Tensor b, Tensor c) {
        if (a.dtype() != b.dtype() || (c != null && c.dtype() != a.dtype())) {
            throw new IllegalArgumentException("conv2d: operands must share a dtype, got " + a.dtype() + ", " + b.dtype()
                    + (c == null ? "" : ", " + c.dtype()));
        }
    }

    static int numel(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("conv2d: tensor " + Arrays.toString(shape) + " is too large");
        return (int) n;
    }

    /** The contiguous float32 elements from index 0 (a copy only when the layout needs one). */
    static float[] f32(Tensor t) {
        Tensor c = t.contiguous();
        float[] a = ((Storage.F32) c.storage()).array();
        return a.length == c.numel() ? a : Arrays.copyOf(a, c.numel());
    }

    static double[] f64(Tensor t) {
        Tensor c = t.contiguous();
        double[] a = ((Storage.F64) c.storage()).array();
        return a.length == c.numel() ? a : Arrays.copyOf(a, c.numel());
    }

    static Tensor wrap(float[] a, int[] shape) {
        return Tensor.wrap(new Storage.F32(a), Shape.of(shape));
    }

    static Tensor wrap(double[] a, int[] shape) {
        return Tensor.wrap(new Storage.F64(a), Shape.of(shape));
    }
}
