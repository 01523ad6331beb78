package org.pdr4j.tensor.backend.opencl;

import static org.pdr4j.tensor.backend.opencl.ClStrided.f32;

import org.pdr4j.tensor.Storage;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.backend.Backend;
import org.pdr4j.tensor.backend.BinaryOp;
import org.pdr4j.tensor.backend.ReduceOp;
import org.pdr4j.tensor.backend.UnaryOp;
import org.pdr4j.tensor.backend.cpu.CpuBackend;
import org.pdr4j.tensor.backend.cpu.conv.ConvSpec;

/**
 * The {@code opencl} backend: float32 kernels on any OpenCL device (pocl on a CPU in CI).
 *
 * <p>Operands stay on the heap ({@code Storage.F32}). Each op uploads, for every input, the
 * span of storage its view touches (strides and offset go to the kernel, so transposed,
 * stepped and broadcast views need no host-side copy; see {@link ClStrided}), runs the kernel
 * into a contiguous device result, and downloads that into the output: straight into its
 * storage when the output view is contiguous, else through a temporary and a CPU strided copy.
 * So every op costs a host-device round trip; correctness, not speed, is the point for now.
 *
 * <p>On the device: {@link #map}, {@link #mulDerivative}, {@link #zip}, {@link #where},
 * {@link #reduce} (any axes, one work-group per output), {@link #copy}, {@link #fill} and
 * {@link #matmul} (tiled SGEMM in local memory, batched). {@link #argReduce}, {@link #gather}
 * and {@link #scatterAdd} delegate to the CPU backend, as do copies between dtypes.
 */
public final class OpenClBackend implements Backend {
    private static final CpuBackend CPU = new CpuBackend();

    private final ClContext cl;
    private final ClProgram ops;
    private final ClProgram gemm;
    private final int tile;
    private final int local;

    /** The backend on the default device ({@link OpenCl#context()}). */
    public OpenClBackend() {
        this(OpenCl.context());
    }

    /** The backend on the given device; builds its programs now, so a device that cannot compile them fails here. */
    public OpenClBackend(ClContext cl) {
        this.cl = cl;
        this.ops = cl.program("elementwise.cl", "");
        long max = cl.device().maxWorkGroupSize();
        this.local = (int) Math.min(64, max);
        int ts = 16;
        while (ts > 1 && (long) ts * ts > max) ts /= 2;
        ClProgram g = cl.program("sgemm.cl", "-D TS=" + ts);
        try (ClKernel k = g.kernel("sgemm")) {
            while (ts > 1 && (long) ts * ts > k.maxWorkGroupSize()) {
                ts /= 2;
                g = cl.program("sgemm.cl", "-D TS=" + ts);
            }
        }
        this.gemm = g;
        this.tile = ts;
    }

    @Override
    public String name() {
        return "opencl";
    }

    /** The device this backend runs on. */
    public ClDevice device() {
        return cl.device();
    }

    /** Copies the contiguous device result {@code res} (out.numel() floats) into out's view. */
    private void store(ClBuffer res, Tensor out, String op) {
        float[] o = f32(out, op);
        int n = out.numel();
        if (out.isContiguous()) {
            cl.read(res, 0, o, out.offset(), n);
        } else {
            float[] tmp = new float[n];
            cl.read(res, 0, tmp, 0, n);
            CPU.copy(Tensor.wrap(new Storage.F32(tmp), out.shape()), out);
        }
    }

    @Override
    public void map(UnaryOp op, double a, double b, Tensor x, Tensor out) {
        int n = out.numel();
        f32(out, "map");
        if (n == 0) return;
        ClStrided.Layout l = ClStrided.layout(x);
        try (ClBuffer meta = cl.upload(l.meta()); var dx = ClStrided.upload(cl, x, "map"); ClBuffer res = cl.buffer(n);
                ClKernel k = ops.kernel("map_op")) {
            k.arg(0, op.ordinal()).arg(1, (float) a).arg(2, (float) b).arg(3, n).arg(4, l.rank()).arg(5, meta)
                    .arg(6, dx.buffer()).arg(7, dx.offset()).arg(8, res).launch1d(n, local);
            store(res, out, "map");
        }
    }

    @Override
    public void mulDerivative(UnaryOp op, double a, double b, Tensor x, Tensor y, Tensor g, Tensor out) {
        if (op == UnaryOp.IS_FINITE) throw new UnsupportedOperationException("isFinite has no derivative");
        int n = out.numel();
        f32(out, "mulDerivative");
        if (n == 0) return;
        ClStrided.Layout l = ClStrided.layout(x, y, g);
        try (ClBuffer meta = cl.upload(l.meta()); var dx = ClStrided.upload(cl, x, "mulDerivative");
                var dy = ClStrided.upload(cl, y, "mulDerivative"); var dg = ClStrided.upload(cl, g, "mulDerivative");
                ClBuffer res = cl.buffer(n); ClKernel k = ops.kernel("mul_derivative")) {
            k.arg(0, op.ordinal()).arg(1, (float) a).arg(2, (float) b).arg(3, n).arg(4, l.rank()).arg(5, meta)
                    .arg(6, dx.buffer()).arg(7, dx.offset()).arg(8, dy.buffer()).arg(9, dy.offset())
                    .arg(10, dg.buffer()).arg(11, dg.offset()).arg(12, res).launch1d(n, local);
            store(res, out, "mulDerivative");
        }
    }

    @Override
    public void zip(BinaryOp op, Tensor x, Tensor y, Tensor out) {
        int n = out.numel();
        f32(out, "zip");
        if (n == 0) return;
        ClStrided.Layout l = ClStrided.layout(x, y);
        try (ClBuffer meta = cl.upload(l.meta()); var dx = ClStrided.upload(cl, x, "zip"); var dy = ClStrided.upload(cl, y, "zip");
                ClBuffer res = cl.buffer(n); ClKernel k = ops.kernel("zip_op")) {
            k.arg(0, op.ordinal()).arg(1, n).arg(2, l.rank()).arg(3, meta).arg(4, dx.buffer()).arg(5, dx.offset())
                    .arg(6, dy.buffer()).arg(7, dy.offset()).arg(8, res).launch1d(n, local);
            store(res, out, "zip");
        }
    }

    @Override
    public void where(Tensor cond, Tensor x, Tensor y, Tensor out) {
        int n = out.numel();
        f32(out, "where");
        if (n == 0) return;
        ClStrided.Layout l = ClStrided.layout(cond, x, y);
        try (ClBuffer meta = cl.upload(l.meta()); var dc = ClStrided.upload(cl, cond, "where");
                var dx = ClStrided.upload(cl, x, "where"); var dy = ClStrided.upload(cl, y, "where");
                ClBuffer res = cl.buffer(n); ClKernel k = ops.kernel("where_op")) {
            k.arg(0, n).arg(1, l.rank()).arg(2, meta).arg(3, dc.buffer()).arg(4, dc.offset()).arg(5, dx.buffer())
                    .arg(6, dx.offset()).arg(7, dy.buffer()).arg(8, dy.offset()).arg(9, res).launch1d(n, local);
            store(res, out, "where");
        }
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        if (src.dtype() != dst.dtype()) {
            CPU.copy(src, dst); // dtype conversion: the CPU backend (reference kernels) does it
            return;
        }
        int n = dst.numel();
        f32(dst, "copy");
        if (n == 0) return;
        ClStrided.Layout l = ClStrided.layout(src);
        try (ClBuffer meta = cl.upload(l.meta()); var ds = ClStrided.upload(cl, src, "copy"); ClBuffer res = cl.buffer(n);
                ClKernel k = ops.kernel("copy_op")) {
            k.arg(0, n).arg(1, l.rank()).arg(2, meta).arg(3, ds.buffer()).arg(4, ds.offset()).arg(5, res).launch1d(n, local);
            store(res, dst, "copy");
        }
    }

    @Override
    public void fill(Tensor dst, double value) {
        int n = dst.numel();
        f32(dst, "fill");
        if (n == 0) return;
        try (ClBuffer res = cl.buffer(n); ClKernel k = ops.kernel("fill_op")) {
            k.arg(0, n).arg(1, (float) value).arg(2, res).launch1d(n, local);
            store(res, dst, "fill");
        }
    }

    @Override
    public void reduce(ReduceOp op, Tensor x, boolean[] axes, Tensor out) {
        f32(x, "reduce");
        f32(out, "reduce");
        if (axes.length != x.rank()) {
            throw new IllegalArgumentException("reduce: axes must have x's rank " + x.rank() + ", got " + axes.length);
        }
        int kept = out.numel();
        if (kept == 0) return;
        if (x.numel() == 0) {
            fill(out, op.identity());
            return;
        }
        int krank = 0, rrank = 0, red = 1;
        for (int d = 0; d < x.rank(); d++) {
            if (x.size(d) == 1) continue;
            if (axes[d]) {
                rrank++;
                red *= x.size(d);
            } else {
                krank++;
            }
        }
        int[] meta = new int[Math.max(1, 2 * (krank + rrank))];
        for (int d = 0, ki = 0, ri = 0; d < x.rank(); d++) {
            if (x.size(d) == 1) continue;
            if (axes[d]) {
                meta[2 * krank + ri] = x.size(d);
                meta[2 * krank + rrank + ri++] = x.stride(d);
            } else {
                meta[ki] = x.size(d);
                meta[krank + ki++] = x.stride(d);
            }
        }
        try (ClBuffer dm = cl.upload(meta); var dx = ClStrided.upload(cl, x, "reduce"); ClBuffer res = cl.buffer(kept);
                ClKernel k = ops.kernel("reduce_op")) {
            int ls = (int) Math.min(Math.min(256, Integer.highestOneBit(Math.max(1, red - 1)) << 1),
                    Long.highestOneBit(Math.min(local * 4L, k.maxWorkGroupSize())));
            ls = Math.max(1, ls);
            k.arg(0, op.ordinal()).arg(1, (float) op.identity()).arg(2, red).arg(3, krank).arg(4, rrank).arg(5, dm)
                    .arg(6, dx.buffer()).arg(7, dx.offset()).arg(8, res).local(9, ls)
                    .launch(new long[] {(long) kept * ls}, new long[] {ls});
            store(res, out, "reduce");
        }
    }

    /** Delegates to the CPU backend (scalar reference kernels); rarely hot. */
    @Override
    public void argReduce(ReduceOp op, Tensor x, int axis, Tensor out) {
        CPU.argReduce(op, x, axis, out);
    }

    /** Delegates to the CPU backend (scalar reference kernels). */
    @Override
    public void gather(Tensor x, int axis, Tensor index, Tensor out) {
        CPU.gather(x, axis, index, out);
    }

    /** Delegates to the CPU backend (scalar reference kernels). */
    @Override
    public void scatterAdd(Tensor dst, int axis, Tensor index, Tensor src) {
        CPU.scatterAdd(dst, axis, index, src);
    }

    @Override
    public void matmul(Tensor a, Tensor b, Tensor out) {
        f32(a, "matmul");
        f32(b, "matmul");
        f32(out, "matmul");
        if (a.rank() != 3 || b.rank() != 3 || out.rank() != 3) {
            throw new IllegalArgumentException("matmul: a, b and out must be [B, M, K], [B, K, N], [B, M, N], got "
                    + a.shape() + ", " + b.shape() + ", " + out.shape());
        }
        int bn = out.size(0), m = out.size(1), n = out.size(2), k = a.size(2);
        if (out.numel() == 0) return;
        if (k == 0 || a.numel() == 0 || b.numel() == 0) {
            fill(out, 0);
            return;
        }
        try (var da = ClStrided.upload(cl, a, "matmul"); var db = ClStrided.upload(cl, b, "matmul");
                ClBuffer res = cl.buffer(out.numel()); ClKernel kern = gemm.kernel("sgemm")) {
            kern.arg(0, m).arg(1, n).arg(2, k)
                    .arg(3, da.buffer()).arg(4, da.offset()).arg(5, a.size(0) == 1 ? 0 : a.stride(0)).arg(6, a.stride(1)).arg(7, a.stride(2))
                    .arg(8, db.buffer()).arg(9, db.offset()).arg(10, b.size(0) == 1 ? 0 : b.stride(0)).arg(11, b.stride(1)).arg(12, b.stride(2))
                    .arg(13, res)
                    .launch(new long[] {n, m, bn}, new long[] {tile, tile, 1});
            store(res, out, "matmul");
        }
    }

    private volatile ClConv conv; // built on the first convolution

    private ClConv conv() {
        ClConv c = conv;
        if (c == null) {
            synchronized (this) {
                c = conv;
                if (c == null) conv = c = new ClConv(cl);
            }
        }
        return c;
    }

    /** Direct convolution on the device ({@link ClConv}); anything but float32 runs the CPU kernels. */
    @Override
    public Tensor conv2d(Tensor x, Tensor w, Tensor bias, ConvSpec s) {
        return ClConv.allF32(x, w, bias) ? conv().forward(x, w, bias, s) : Backend.super.conv2d(x, w, bias, s);
    }

    /** The transposed (gathered) convolution on the device; anything but float32 runs the CPU kernels. */
    @Override
    public Tensor conv2dBackwardInput(Tensor gy, Tensor w, ConvSpec s) {
        return ClConv.allF32(gy, w) ? conv().backwardInput(gy, w, s) : Backend.super.conv2dBackwardInput(gy, w, s);
    }

    /** A work-group reduction per weight element on the device; anything but float32 runs the CPU kernels. */
    @Override
    public Tensor conv2dBackwardWeight(Tensor gy, Tensor x, ConvSpec s) {
        return ClConv.allF32(gy, x) ? conv().backwardWeight(gy, x, s) : Backend.super.conv2dBackwardWeight(gy, x, s);
    }

    /** A work-group reduction per channel on the device; anything but float32 runs the CPU kernels. */
    @Override
    public Tensor conv2dBackwardBias(Tensor gy) {
        return ClConv.allF32(gy) ? conv().backwardBias(gy) : Backend.super.conv2dBackwardBias(gy);
    }
}
