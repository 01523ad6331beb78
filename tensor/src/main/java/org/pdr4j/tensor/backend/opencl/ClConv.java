package org.pdr4j.tensor.backend.opencl;

import java.util.Arrays;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.Storage;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.backend.cpu.conv.ConvSpec;

/**
 * The 2-D convolution kernels of {@link OpenClBackend} ({@code conv2d.cl}), float32 only:
 * direct convolution for the forward and the input gradient (gathered, one work-item per
 * element, so no atomics), and one work-group per weight (or bias) element reducing over the
 * batch and output positions in local memory for the weight and bias gradients. Any groups
 * (depthwise included), stride, padding and dilation. Inputs are made contiguous, uploaded,
 * and the result downloaded into a new contiguous tensor, one round trip per call.
 */
final class ClConv {
    private final ClContext cl;
    private final ClProgram program;
    private final int local;

    ClConv(ClContext cl) {
        this.cl = cl;
        this.program = cl.program("conv2d.cl", "");
        this.local = (int) Math.min(64, cl.device().maxWorkGroupSize());
    }

    /** True when every operand (nulls ignored) is float32: the only dtype these kernels run. */
    static boolean allF32(Tensor... ts) {
        for (Tensor t : ts) if (t != null && t.dtype() != DType.F32) return false;
        return true;
    }

    /** {@code y [n, cout, oh, ow]} of {@code x [n, cin, h, w]}, {@code w [cout, cin/groups, kh, kw]}, {@code bias [cout]} or null. */
    Tensor forward(Tensor x, Tensor w, Tensor bias, ConvSpec s) {
        check("input", x, s.inputShape());
        check("weight", w, s.weightShape());
        if (bias != null) check("bias", bias, new int[] {s.cout()});
        int total = numel(s.outputShape());
        if (total == 0) return Tensor.zeros(s.outputShape());
        Tensor bc = bias == null ? Tensor.zeros(1) : bias.contiguous();
        try (var dx = ClStrided.upload(cl, x.contiguous(), "conv2d"); var dw = ClStrided.upload(cl, w.contiguous(), "conv2d");
                var db = ClStrided.upload(cl, bc, "conv2d"); ClBuffer res = cl.buffer(total);
                ClKernel k = program.kernel("conv2d_fwd")) {
            int a = spec(k, s);
            k.arg(a, dx.buffer()).arg(a + 1, dx.offset()).arg(a + 2, dw.buffer()).arg(a + 3, dw.offset())
                    .arg(a + 4, db.buffer()).arg(a + 5, db.offset()).arg(a + 6, bias == null ? 0 : 1).arg(a + 7, res)
                    .launch1d(total, local);
            return download(res, s.outputShape());
        }
    }

    /** Gradient of the input {@code [n, cin, h, w]} from {@code gy [n, cout, oh, ow]}. */
    Tensor backwardInput(Tensor gy, Tensor w, ConvSpec s) {
        check("output gradient", gy, s.outputShape());
        check("weight", w, s.weightShape());
        int total = numel(s.inputShape());
        if (total == 0) return Tensor.zeros(s.inputShape());
        try (var dg = ClStrided.upload(cl, gy.contiguous(), "conv2d backward input");
                var dw = ClStrided.upload(cl, w.contiguous(), "conv2d backward input"); ClBuffer res = cl.buffer(total);
                ClKernel k = program.kernel("conv2d_bwd_input")) {
            int a = spec(k, s);
            k.arg(a, dg.buffer()).arg(a + 1, dg.offset()).arg(a + 2, dw.buffer()).arg(a + 3, dw.offset()).arg(a + 4, res)
                    .launch1d(total, local);
            return download(res, s.inputShape());
        }
    }

    /** Gradient of the weight {@code [cout, cin/groups, kh, kw]}, summed over the batch. */
    Tensor backwardWeight(Tensor gy, Tensor x, ConvSpec s) {
        check("output gradient", gy, s.outputShape());
        check("input", x, s.inputShape());
        int elems = numel(s.weightShape());
        if (s.n() == 0) return Tensor.zeros(s.weightShape());
        try (var dg = ClStrided.upload(cl, gy.contiguous(), "conv2d backward weight");
                var dx = ClStrided.upload(cl, x.contiguous(), "conv2d backward weight"); ClBuffer res = cl.buffer(elems);
                ClKernel k = program.kernel("conv2d_bwd_weight")) {
            int ls = reductionSize((long) s.n() * s.oh(), k); // items sum whole output rows
            int a = spec(k, s);
            k.arg(a, dg.buffer()).arg(a + 1, dg.offset()).arg(a + 2, dx.buffer()).arg(a + 3, dx.offset()).arg(a + 4, res)
                    .local(a + 5, ls).launch(new long[] {(long) elems * ls}, new long[] {ls});
            return download(res, s.weightShape());
        }
    }

    /** Gradient of the bias {@code [c]}: {@code gy [n, c, h, w]} summed over n, h, w. */
    Tensor backwardBias(Tensor gy) {
        if (gy.rank() != 4) throw new IllegalArgumentException("bias gradient: output gradient must be [N, C, H, W], got " + gy.shape());
        int n = gy.size(0), c = gy.size(1), hw = gy.size(2) * gy.size(3);
        if (gy.numel() == 0) return Tensor.zeros(c);
        try (var dg = ClStrided.upload(cl, gy.contiguous(), "conv2d backward bias"); ClBuffer res = cl.buffer(c);
                ClKernel k = program.kernel("conv2d_bwd_bias")) {
            int ls = reductionSize((long) n * hw, k);
            k.arg(0, n).arg(1, c).arg(2, hw).arg(3, dg.buffer()).arg(4, dg.offset()).arg(5, res).local(6, ls)
                    .launch(new long[] {(long) c * ls}, new long[] {ls});
            return download(res, new int[] {c});
        }
    }

    /** A power-of-two work-group size for reducing {@code count} terms: at most 256 and the kernel's limit. */
    private static int reductionSize(long count, ClKernel k) {
        long cap = Long.highestOneBit(Math.max(1, Math.min(256, k.maxWorkGroupSize())));
        long need = count <= 1 ? 1 : Long.highestOneBit(count - 1) << 1;
        return (int) Math.min(cap, need);
    }

    /** Sets the sixteen geometry arguments (SPEC in conv2d.cl); returns the next argument index. */
    private static int spec(ClKernel k, ConvSpec s) {
        int[] v = {s.n(), s.cin(), s.h(), s.w(), s.cout(), s.kh(), s.kw(), s.strideH(), s.strideW(), s.padH(), s.padW(),
                s.dilH(), s.dilW(), s.groups(), s.oh(), s.ow()};
        for (int i = 0; i < v.length; i++) k.arg(i, v[i]);
        return v.length;
    }

    private Tensor download(ClBuffer res, int[] shape) {
        float[] out = new float[numel(shape)];
        cl.read(res, 0, out, 0, out.length);
        return Tensor.wrap(new Storage.F32(out), Shape.of(shape));
    }

    private static void check(String what, Tensor t, int[] shape) {
        if (!Arrays.equals(t.shape().toArray(), shape)) {
            throw new IllegalArgumentException("conv2d: " + what + " must be " + Arrays.toString(shape) + ", got " + t.shape());
        }
    }

    private static int numel(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("conv2d: tensor " + Arrays.toString(shape) + " is too large");
        return (int) n;
    }
}
