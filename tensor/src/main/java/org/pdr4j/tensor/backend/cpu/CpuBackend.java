package org.pdr4j.tensor.backend.cpu;

import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Parallel;
import org.pdr4j.tensor.Storage;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.backend.Backend;
import org.pdr4j.tensor.backend.Backends;
import org.pdr4j.tensor.backend.BinaryOp;
import org.pdr4j.tensor.backend.ReduceOp;
import org.pdr4j.tensor.backend.UnaryOp;
import org.pdr4j.tensor.backend.cpu.simd.Sgemm;
import org.pdr4j.tensor.backend.cpu.simd.SimdKernels;

/**
 * The default backend: float32 kernels on the Vector API, parallel over rows with
 * {@link Parallel}. Ops that are rarely hot (arg-reductions, gather/scatter) reuse the scalar
 * reference kernels.
 */
public final class CpuBackend implements Backend {
    @Override
    public String name() {
        return "cpu";
    }

    private static float[] f32(Tensor t, String op) {
        if (t.dtype() != DType.F32) throw new IllegalArgumentException(op + ": cpu backend computes F32, got " + t.dtype());
        return ((Storage.F32) t.storage()).array();
    }

    @Override
    public void map(UnaryOp op, double a, double b, Tensor x, Tensor out) {
        float[] xs = f32(x, "map"), os = f32(out, "map");
        float fa = (float) a, fb = (float) b;
        Loops.rows(new Tensor[] {out, x}, (off, st, n) -> {
            if (st[0] == 1) {
                SimdKernels.unary(op, fa, fb, xs, off[1], st[1], os, off[0], n);
            } else {
                for (int i = 0; i < n; i++) os[off[0] + i * st[0]] = SimdKernels.unaryScalar(op, fa, fb, xs[off[1] + i * st[1]]);
            }
        });
    }

    @Override
    public void mulDerivative(UnaryOp op, double a, double b, Tensor x, Tensor y, Tensor g, Tensor out) {
        float[] xs = f32(x, "mulDerivative"), ys = f32(y, "mulDerivative"), gs = f32(g, "mulDerivative"), os = f32(out, "mulDerivative");
        float fa = (float) a, fb = (float) b;
        Loops.rows(new Tensor[] {out, x, y, g}, (off, st, n) -> {
            if (st[0] == 1 && st[1] == 1 && st[2] == 1 && st[3] == 1) {
                SimdKernels.mulDerivative(op, fa, fb, xs, off[1], ys, off[2], gs, off[3], os, off[0], n);
            } else {
                for (int i = 0; i < n; i++) {
                    os[off[0] + i * st[0]] = SimdKernels.mulDerivativeScalar(op, fa, fb,
                            xs[off[1] + i * st[1]], ys[off[2] + i * st[2]], gs[off[3] + i * st[3]]);
                }
            }
        });
    }

    @Override
    public void zip(BinaryOp op, Tensor x, Tensor y, Tensor out) {
        float[] xs = f32(x, "zip"), ys = f32(y, "zip"), os = f32(out, "zip");
        Loops.rows(new Tensor[] {out, x, y}, (off, st, n) -> {
            if (st[0] == 1) {
                SimdKernels.binary(op, xs, off[1], st[1], ys, off[2], st[2], os, off[0], n);
            } else {
                for (int i = 0; i < n; i++) {
                    os[off[0] + i * st[0]] = SimdKernels.binaryScalar(op, xs[off[1] + i * st[1]], ys[off[2] + i * st[2]]);
                }
            }
        });
    }

    @Override
    public void where(Tensor cond, Tensor x, Tensor y, Tensor out) {
        float[] cs = f32(cond, "where"), xs = f32(x, "where"), ys = f32(y, "where"), os = f32(out, "where");
        Loops.rows(new Tensor[] {out, cond, x, y}, (off, st, n) -> {
            for (int i = 0; i < n; i++) {
                os[off[0] + i * st[0]] = cs[off[1] + i * st[1]] != 0 ? xs[off[2] + i * st[2]] : ys[off[3] + i * st[3]];
            }
        });
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        if (src.dtype() != dst.dtype()) {
            Backends.ref().copy(src, dst);
            return;
        }
        float[] s = f32(src, "copy"), d = f32(dst, "copy");
        // A permuting copy (pixel shuffle, transposes) walks dst's innermost dimension; when
        // that is short and src is unit-stride along another one, walk that one instead, so the
        // rows are long and the reads sequential.
        int last = dst.rank() - 1, unit = -1;
        for (int k = 0; k < src.rank(); k++) if (src.stride(k) == 1 && src.size(k) > 1) unit = k;
        if (unit >= 0 && unit != last && dst.size(last) < 16 && src.size(unit) > dst.size(last)) {
            int[] perm = new int[dst.rank()];
            for (int k = 0, j = 0; k < dst.rank(); k++) if (k != unit) perm[j++] = k;
            perm[last] = unit;
            src = src.permute(perm);
            dst = dst.permute(perm);
        }
        Loops.rows(new Tensor[] {dst, src}, (off, st, n) -> {
            if (st[0] == 1 && st[1] == 1) {
                System.arraycopy(s, off[1], d, off[0], n);
            } else {
                for (int i = 0; i < n; i++) d[off[0] + i * st[0]] = s[off[1] + i * st[1]];
            }
        });
    }

    @Override
    public void fill(Tensor dst, double value) {
        float[] d = f32(dst, "fill");
        float v = (float) value;
        Loops.rows(new Tensor[] {dst}, (off, st, n) -> {
            if (st[0] == 1) java.util.Arrays.fill(d, off[0], off[0] + n, v);
            else for (int i = 0; i < n; i++) d[off[0] + i * st[0]] = v;
        });
    }

    @Override
    public void reduce(ReduceOp op, Tensor x, boolean[] axes, Tensor out) {
        CpuReduce.reduce(op, x, axes, out);
    }

    @Override
    public void argReduce(ReduceOp op, Tensor x, int axis, Tensor out) {
        Backends.ref().argReduce(op, x, axis, out);
    }

    @Override
    public void gather(Tensor x, int axis, Tensor index, Tensor out) {
        Backends.ref().gather(x, axis, index, out);
    }

    @Override
    public void scatterAdd(Tensor dst, int axis, Tensor index, Tensor src) {
        Backends.ref().scatterAdd(dst, axis, index, src);
    }

    @Override
    public void matmul(Tensor a, Tensor b, Tensor out) {
        int bn = out.size(0), m = out.size(1), n = out.size(2), k = a.size(2);
        GemmOperand ga = GemmOperand.of(a), gb = GemmOperand.of(b);
        float[] as = f32(ga.t(), "matmul"), bs = f32(gb.t(), "matmul"), os = f32(out, "matmul");
        int aBatch = ga.t().stride(0), bBatch = gb.t().stride(0);
        long flops = 2L * m * n * k;
        Parallel.RangeBody body = (s, e) -> {
            for (int p = s; p < e; p++) {
                Sgemm.sgemm(ga.trans(), gb.trans(), m, n, k, 1f, as, ga.t().offset() + p * aBatch, ga.ld(),
                        bs, gb.t().offset() + p * bBatch, gb.ld(), 0f, os, out.offset() + p * m * n, n);
            }
        };
        // Many small products: one per worker; few large ones: let SGEMM split each.
        if (bn > 1 && flops < (1L << 22)) Parallel.forRange(bn, 1, body);
        else body.run(0, bn);
    }

    /** A [B, r, c] matrix operand as SGEMM reads it: row-major, or transposed, with its leading dimension. */
    private record GemmOperand(Tensor t, boolean trans, int ld) {
        static GemmOperand of(Tensor t) {
            int r = t.size(1), c = t.size(2), s1 = t.stride(1), s2 = t.stride(2);
            if ((s2 == 1 || c == 1) && (r == 1 || s1 >= Math.max(c, 1))) return new GemmOperand(t, false, r == 1 ? Math.max(c, 1) : s1);
            if ((s1 == 1 || r == 1) && (c == 1 || s2 >= Math.max(r, 1))) return new GemmOperand(t, true, c == 1 ? Math.max(r, 1) : s2);
            // Expanded or oddly strided: SGEMM needs one unit stride, so pack a copy.
            return new GemmOperand(t.contiguous(), false, Math.max(c, 1));
        }
    }
}
