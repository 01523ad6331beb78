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
 * {@link #matmul} (tiled SGEMM in local memory, batched), convolution forward and backward
 * ({@link #conv2d} and its three gradients: groups, depthwise, stride, padding, dilation;
 * {@code conv2d.cl}), softmax and log-softmax, SSIM's separable blur, GroupNorm/LayerNorm and
 * BatchNorm ({@code norm.cl}). {@link #argReduce}, {@link #gather} and {@link #scatterAdd}
 * delegate to the CPU backend, as do copies between dtypes and any F64 operand.
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

    // ---------------------------------------------------------------- softmax, blur, GroupNorm, BatchNorm (norm.cl)
    // F32 on the device; any other dtype goes to the Backend defaults (the CPU kernels).

    private volatile ClProgram normProgram;

    /** norm.cl, built on first use (the context caches it). */
    private ClProgram norm() {
        ClProgram p = normProgram;
        if (p == null) normProgram = p = cl.program("norm.cl", "");
        return p;
    }

    private static boolean allF32(Tensor... ts) {
        for (Tensor t : ts) if (t != null && t.dtype() != org.pdr4j.tensor.DType.F32) return false;
        return true;
    }

    /** A contiguous view (offset allowed) on the device; other views are packed on the host first. */
    private ClStrided.Uploaded dense(Tensor t, String op) {
        return ClStrided.upload(cl, t.isContiguous() ? t : t.contiguous(), op);
    }

    /** A power-of-two work-group for a reduction over {@code n} values: at most 256 and the kernel's limit. */
    private static int groupSize(int n, ClKernel k) {
        int ls = Math.min(256, Integer.highestOneBit(Math.max(1, n - 1)) << 1);
        return (int) Math.max(1, Math.min(ls, Long.highestOneBit(k.maxWorkGroupSize())));
    }

    private static void rank3(String op, String name, Tensor t) {
        if (t.rank() != 3) throw new IllegalArgumentException(op + ": " + name + " must be rank 3, got " + t.shape());
    }

    /** One work-group per row of {@code x [outer, D, inner]}; max and sum reduced in local memory. */
    @Override
    public void softmax(Tensor x, boolean log, Tensor out) {
        if (!allF32(x, out)) {
            Backend.super.softmax(x, log, out);
            return;
        }
        rank3("softmax", "x", x);
        int d = x.size(1), inner = x.size(2), rows = x.size(0) * inner;
        if (out.numel() == 0) return;
        try (var dx = dense(x, "softmax"); ClBuffer res = cl.buffer(out.numel()); ClKernel k = norm().kernel("softmax_fwd")) {
            int ls = groupSize(d, k);
            k.arg(0, d).arg(1, inner).arg(2, log ? 1 : 0).arg(3, dx.buffer()).arg(4, dx.offset()).arg(5, res).local(6, ls)
                    .launch(new long[] {(long) rows * ls}, new long[] {ls});
            store(res, out, "softmax");
        }
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor g, boolean log, Tensor dx) {
        if (!allF32(y, g, dx)) {
            Backend.super.softmaxBackward(y, g, log, dx);
            return;
        }
        rank3("softmaxBackward", "y", y);
        int d = y.size(1), inner = y.size(2), rows = y.size(0) * inner;
        if (dx.numel() == 0) return;
        try (var dy = dense(y, "softmaxBackward"); var dg = dense(g, "softmaxBackward"); ClBuffer res = cl.buffer(dx.numel());
                ClKernel k = norm().kernel("softmax_bwd")) {
            int ls = groupSize(d, k);
            k.arg(0, d).arg(1, inner).arg(2, log ? 1 : 0).arg(3, dy.buffer()).arg(4, dy.offset()).arg(5, dg.buffer()).arg(6, dg.offset())
                    .arg(7, res).local(8, ls).launch(new long[] {(long) rows * ls}, new long[] {ls});
            store(res, dx, "softmaxBackward");
        }
    }

    /** Row pass into a device temporary, then the column pass; one work-item per output. */
    @Override
    public void blur(Tensor x, Tensor kernel, Tensor out) {
        if (!allF32(x, kernel, out)) {
            Backend.super.blur(x, kernel, out);
            return;
        }
        rank3("blur", "x", x);
        int p = x.size(0), h = x.size(1), w = x.size(2), kk = kernel.numel(), ho = h - kk + 1, wo = w - kk + 1;
        if (out.numel() == 0) return;
        separable(dense(x, "blur"), kernel.contiguous().toFloatArray(), p, h, w, ho, wo, 0, out, "blur");
    }

    /** The transpose: the same two passes with the flipped kernel, shifted by K-1 (zeros outside g). */
    @Override
    public void blurBackward(Tensor g, Tensor kernel, Tensor dx) {
        if (!allF32(g, kernel, dx)) {
            Backend.super.blurBackward(g, kernel, dx);
            return;
        }
        rank3("blurBackward", "dx", dx);
        float[] k = kernel.contiguous().toFloatArray(), kf = new float[k.length];
        for (int i = 0; i < k.length; i++) kf[i] = k[k.length - 1 - i];
        int p = dx.size(0), h = dx.size(1), w = dx.size(2), ho = h - k.length + 1, wo = w - k.length + 1;
        if (dx.numel() == 0) return;
        separable(dense(g, "blurBackward"), kf, p, ho, wo, h, w, k.length - 1, dx, "blurBackward");
    }

    /** {@code src [p, h, w]} to {@code out [p, ho, wo]}: blur_h then blur_v with {@code shift}; closes src. */
    private void separable(ClStrided.Uploaded src, float[] k, int p, int h, int w, int ho, int wo, int shift, Tensor out, String op) {
        int n1 = p * h * wo, n2 = p * ho * wo;
        try (src; ClBuffer dk = cl.upload(k); ClBuffer tmp = cl.buffer(Math.max(1, n1)); ClBuffer res = cl.buffer(n2);
                ClKernel kh = norm().kernel("blur_h"); ClKernel kv = norm().kernel("blur_v")) {
            kh.arg(0, n1).arg(1, h).arg(2, w).arg(3, wo).arg(4, k.length).arg(5, shift).arg(6, dk)
                    .arg(7, src.buffer()).arg(8, src.offset()).arg(9, tmp).launch1d(n1, local);
            kv.arg(0, n2).arg(1, h).arg(2, ho).arg(3, wo).arg(4, k.length).arg(5, shift).arg(6, dk)
                    .arg(7, tmp).arg(8, res).launch1d(n2, local);
            store(res, out, op);
        }
    }

    /** One work-group per block; statistics in float, shifted by the block's first value. */
    @Override
    public void groupNorm(Tensor x, int period, Tensor weight, Tensor bias, double eps, Tensor y, double[] mean, double[] rstd) {
        if (!allF32(x, weight, bias, y)) {
            Backend.super.groupNorm(x, period, weight, bias, eps, y, mean, rstd);
            return;
        }
        rank3("groupNorm", "x", x);
        int b = x.size(0), k = x.size(1), s = x.size(2);
        if (x.numel() == 0) return;
        try (var dx = dense(x, "groupNorm"); var dw = dense(weight, "groupNorm"); var db = dense(bias, "groupNorm");
                ClBuffer res = cl.buffer(x.numel()); ClBuffer dm = cl.buffer(b); ClBuffer dr = cl.buffer(b);
                ClKernel kern = norm().kernel("group_norm_fwd")) {
            int ls = groupSize(k * s, kern);
            kern.arg(0, k).arg(1, s).arg(2, period).arg(3, (float) eps).arg(4, dx.buffer()).arg(5, dx.offset())
                    .arg(6, dw.buffer()).arg(7, dw.offset()).arg(8, db.buffer()).arg(9, db.offset()).arg(10, res).arg(11, dm).arg(12, dr)
                    .local(13, ls).local(14, ls).launch(new long[] {(long) b * ls}, new long[] {ls});
            store(res, y, "groupNorm");
            float[] fm = new float[b], fr = new float[b];
            cl.read(dm, 0, fm, 0, b);
            cl.read(dr, 0, fr, 0, b);
            for (int i = 0; i < b; i++) {
                mean[i] = fm[i];
                rstd[i] = fr[i];
            }
        }
    }

    @Override
    public void groupNormBackward(Tensor x, Tensor dy, int period, Tensor weight, double[] mean, double[] rstd,
                                  Tensor dx, Tensor dwPart, Tensor dbPart) {
        if (!allF32(x, dy, weight, dx, dwPart, dbPart)) {
            Backend.super.groupNormBackward(x, dy, period, weight, mean, rstd, dx, dwPart, dbPart);
            return;
        }
        rank3("groupNormBackward", "x", x);
        int b = x.size(0), k = x.size(1), s = x.size(2);
        if (x.numel() == 0) return;
        float[] fm = new float[b], fr = new float[b];
        for (int i = 0; i < b; i++) {
            fm[i] = (float) mean[i];
            fr[i] = (float) rstd[i];
        }
        try (var ux = dense(x, "groupNormBackward"); var ug = dense(dy, "groupNormBackward"); var uw = dense(weight, "groupNormBackward");
                ClBuffer dm = cl.upload(fm); ClBuffer dr = cl.upload(fr)) {
            if (dx != null) {
                try (ClBuffer res = cl.buffer(x.numel()); ClKernel kern = norm().kernel("group_norm_bwd")) {
                    int ls = groupSize(k * s, kern);
                    kern.arg(0, k).arg(1, s).arg(2, period).arg(3, ux.buffer()).arg(4, ux.offset()).arg(5, ug.buffer()).arg(6, ug.offset())
                            .arg(7, uw.buffer()).arg(8, uw.offset()).arg(9, dm).arg(10, dr).arg(11, res).local(12, ls).local(13, ls)
                            .launch(new long[] {(long) b * ls}, new long[] {ls});
                    store(res, dx, "groupNormBackward");
                }
            }
            if (dwPart != null || dbPart != null) {
                int n = b * k;
                try (ClBuffer pw = cl.buffer(n); ClBuffer pb = cl.buffer(n); ClKernel kern = norm().kernel("group_norm_parts")) {
                    kern.arg(0, n).arg(1, k).arg(2, s).arg(3, ux.buffer()).arg(4, ux.offset()).arg(5, ug.buffer()).arg(6, ug.offset())
                            .arg(7, dm).arg(8, dr).arg(9, pw).arg(10, pb).launch1d(n, local);
                    if (dwPart != null) store(pw, dwPart, "groupNormBackward");
                    if (dbPart != null) store(pb, dbPart, "groupNormBackward");
                }
            }
        }
    }

    /**
     * batch_norm_sums over {@code x [N, C, S]}: with {@code mean == null} the shifted sums of x and
     * x^2 and each channel's pivot ({@code [3, C]}: s1, s2, pivot); else those of dy and
     * dy * (x - mean) ({@code [2, C]}).
     */
    private float[] batchNormSums(Tensor x, Tensor dy, double[] mean, String op) {
        int n = x.size(0), c = x.size(1), s = x.size(2);
        boolean withDy = mean != null;
        float[] fm = new float[c];
        if (withDy) for (int i = 0; i < c; i++) fm[i] = (float) mean[i];
        try (var ux = dense(x, op); var ug = withDy ? dense(dy, op) : null; ClBuffer dm = cl.upload(fm);
                ClBuffer o1 = cl.buffer(2L * c); ClBuffer o2 = cl.buffer(c); ClKernel k = norm().kernel("batch_norm_sums")) {
            int ls = groupSize(n * s, k);
            k.arg(0, n).arg(1, c).arg(2, s).arg(3, ux.buffer()).arg(4, ux.offset()).arg(5, withDy ? ug.buffer() : ux.buffer())
                    .arg(6, withDy ? ug.offset() : 0).arg(7, withDy ? 1 : 0).arg(8, dm).arg(9, o1).arg(10, o2).local(11, ls).local(12, ls)
                    .launch(new long[] {(long) c * ls}, new long[] {ls});
            float[] r = new float[3 * c];
            cl.read(o1, 0, r, 0, withDy ? c : 2 * c);
            cl.read(o2, 0, r, withDy ? c : 2 * c, c);
            return r;
        }
    }

    /** {@code out = a * k[0][c] + x * k[1][c] + k[2][c]} over {@code [N, C, S]} on the device. */
    private void batchNormAffine(Tensor a, Tensor x, float[] k, Tensor out, String op) {
        int c = x.size(1), s = x.size(2), n = x.numel();
        try (var ua = dense(a, op); var ux = dense(x, op); ClBuffer dk = cl.upload(k); ClBuffer res = cl.buffer(n);
                ClKernel kern = norm().kernel("batch_norm_affine")) {
            kern.arg(0, n).arg(1, c).arg(2, s).arg(3, ua.buffer()).arg(4, ua.offset()).arg(5, ux.buffer()).arg(6, ux.offset())
                    .arg(7, dk).arg(8, res).launch1d(n, local);
            store(res, out, op);
        }
    }

    /** Per-channel shifted sums on the device (one work-group per channel); the last divisions on the host in double. */
    @Override
    public void batchNormStats(Tensor x, double[] mean, double[] var) {
        if (!allF32(x)) {
            Backend.super.batchNormStats(x, mean, var);
            return;
        }
        rank3("batchNormStats", "x", x);
        int c = x.size(1), m = x.size(0) * x.size(2);
        if (x.numel() == 0) return;
        float[] r = batchNormSums(x, null, null, "batchNormStats"); // s1 [C], pivot [C], s2 [C]
        for (int i = 0; i < c; i++) {
            double md = (double) r[i] / m;
            var[i] = Math.max(0, (double) r[2 * c + i] / m - md * md);
            mean[i] = r[c + i] + md;
        }
    }

    @Override
    public void batchNormNormalise(Tensor x, double[] mean, double[] var, double eps, Tensor weight, Tensor bias, Tensor y) {
        if (!allF32(x, weight, bias, y)) {
            Backend.super.batchNormNormalise(x, mean, var, eps, weight, bias, y);
            return;
        }
        rank3("batchNormNormalise", "x", x);
        int c = x.size(1);
        if (x.numel() == 0) return;
        float[] w = weight.contiguous().toFloatArray(), b = bias.contiguous().toFloatArray(), k = new float[3 * c];
        for (int i = 0; i < c; i++) {
            double a = 1 / Math.sqrt(var[i] + eps) * w[i];
            k[i] = (float) a;
            k[2 * c + i] = (float) (b[i] - mean[i] * a);
        }
        batchNormAffine(x, x, k, y, "batchNormNormalise");
    }

    @Override
    public void batchNormBackward(Tensor x, Tensor dy, double[] mean, double[] var, double eps, Tensor weight, boolean training,
                                  Tensor dx, double[] dw, double[] db) {
        if (!allF32(x, dy, weight, dx)) {
            Backend.super.batchNormBackward(x, dy, mean, var, eps, weight, training, dx, dw, db);
            return;
        }
        rank3("batchNormBackward", "x", x);
        int c = x.size(1), m = x.size(0) * x.size(2);
        if (x.numel() == 0) {
            for (int i = 0; i < c; i++) {
                if (dw != null) dw[i] = 0;
                if (db != null) db[i] = 0;
            }
            return;
        }
        float[] r = batchNormSums(x, dy, mean, "batchNormBackward"); // sum dy [C], sum dy (x - mean) [C]
        float[] w = weight.contiguous().toFloatArray(), k = new float[3 * c];
        for (int i = 0; i < c; i++) {
            double rs = 1 / Math.sqrt(var[i] + eps), sd = r[i], sdxh = r[c + i] * rs, c1 = rs * w[i];
            if (dw != null) dw[i] = sdxh;
            if (db != null) db[i] = sd;
            float mu = (float) mean[i];
            k[i] = (float) c1;
            if (training) {
                k[c + i] = (float) (-c1 * rs * (sdxh / m));
                k[2 * c + i] = (float) (c1 * (mu * rs * (sdxh / m) - sd / m));
            }
        }
        if (dx != null) batchNormAffine(dy, x, k, dx, "batchNormBackward");
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
