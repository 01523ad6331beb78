package org.pdr4j.tensor.backend.ref;

import org.pdr4j.tensor.Storage;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.backend.Backend;
import org.pdr4j.tensor.backend.BinaryOp;
import org.pdr4j.tensor.backend.ReduceOp;
import org.pdr4j.tensor.backend.UnaryOp;

/**
 * Scalar reference kernels: one element at a time, accumulating in double precision. Slow and
 * obviously right; it defines what the fast backends must compute, and runs all F64 work.
 */
public final class RefBackend implements Backend {
    @Override
    public String name() {
        return "ref";
    }

    private static double at(Tensor t, int linear) {
        return t.storage().getDouble(t.storageIndex(linear));
    }

    @Override
    public void map(UnaryOp op, double a, double b, Tensor x, Tensor out) {
        Storage o = out.storage();
        for (int i = 0; i < out.numel(); i++) o.setDouble(out.storageIndex(i), op.apply(at(x, i), a, b));
    }

    @Override
    public void mulDerivative(UnaryOp op, double a, double b, Tensor x, Tensor y, Tensor g, Tensor out) {
        Storage o = out.storage();
        for (int i = 0; i < out.numel(); i++) o.setDouble(out.storageIndex(i), at(g, i) * op.derivative(at(x, i), at(y, i), a, b));
    }

    @Override
    public void zip(BinaryOp op, Tensor x, Tensor y, Tensor out) {
        Storage o = out.storage();
        for (int i = 0; i < out.numel(); i++) o.setDouble(out.storageIndex(i), op.apply(at(x, i), at(y, i)));
    }

    @Override
    public void where(Tensor cond, Tensor x, Tensor y, Tensor out) {
        Storage o = out.storage();
        for (int i = 0; i < out.numel(); i++) o.setDouble(out.storageIndex(i), at(cond, i) != 0 ? at(x, i) : at(y, i));
    }

    /** Linear index into the keepdim-reduced output of x's element {@code linear}. */
    private static int reducedIndex(Tensor x, boolean[] axes, int linear) {
        int out = 0, mul = 1;
        for (int d = x.rank() - 1; d >= 0; d--) {
            int n = x.size(d), c = linear % n;
            linear /= n;
            if (!axes[d]) {
                out += c * mul;
                mul *= n;
            }
        }
        return out;
    }

    @Override
    public void reduce(ReduceOp op, Tensor x, boolean[] axes, Tensor out) {
        double[] acc = new double[out.numel()];
        java.util.Arrays.fill(acc, op.identity());
        for (int i = 0; i < x.numel(); i++) {
            int j = reducedIndex(x, axes, i);
            acc[j] = op.combine(acc[j], at(x, i));
        }
        for (int j = 0; j < acc.length; j++) out.storage().setDouble(out.storageIndex(j), acc[j]);
    }

    @Override
    public void argReduce(ReduceOp op, Tensor x, int axis, Tensor out) {
        boolean[] axes = new boolean[x.rank()];
        axes[axis] = true;
        double[] best = new double[out.numel()];
        int[] arg = new int[out.numel()];
        java.util.Arrays.fill(best, Double.NaN);
        java.util.Arrays.fill(arg, -1);
        int inner = 1;
        for (int d = axis + 1; d < x.rank(); d++) inner *= x.size(d);
        for (int i = 0; i < x.numel(); i++) {
            int j = reducedIndex(x, axes, i), k = (i / inner) % x.size(axis);
            double v = at(x, i);
            boolean take;
            if (arg[j] < 0) take = true;
            else if (Double.isNaN(best[j])) take = false; // first NaN wins, as torch
            else if (Double.isNaN(v)) take = true;
            else take = op == ReduceOp.MAX ? v > best[j] : v < best[j];
            if (take) {
                best[j] = v;
                arg[j] = k;
            }
        }
        for (int j = 0; j < arg.length; j++) out.storage().setDouble(out.storageIndex(j), arg[j]);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        Storage o = dst.storage();
        for (int i = 0; i < dst.numel(); i++) o.setDouble(dst.storageIndex(i), at(src, i));
    }

    @Override
    public void fill(Tensor dst, double value) {
        for (int i = 0; i < dst.numel(); i++) dst.storage().setDouble(dst.storageIndex(i), value);
    }

    @Override
    public void matmul(Tensor a, Tensor b, Tensor out) {
        int bn = out.size(0), m = out.size(1), n = out.size(2), k = a.size(2);
        for (int p = 0; p < bn; p++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int q = 0; q < k; q++) s += a.get(p, i, q) * b.get(p, q, j);
                    out.storage().setDouble(out.storageIndex((p * m + i) * n + j), s);
                }
            }
        }
    }

    /** Storage index in x of the element gathered for index position {@code linear}. */
    private static int gatherSource(Tensor x, int axis, Tensor index, int linear) {
        int target = (int) at(index, linear);
        int idx = x.offset();
        for (int d = index.rank() - 1; d >= 0; d--) {
            int n = index.size(d), c = linear % n;
            linear /= n;
            idx += (d == axis ? target : c) * x.stride(d);
        }
        return idx;
    }

    @Override
    public void gather(Tensor x, int axis, Tensor index, Tensor out) {
        for (int i = 0; i < out.numel(); i++) {
            out.storage().setDouble(out.storageIndex(i), x.storage().getDouble(gatherSource(x, axis, index, i)));
        }
    }

    @Override
    public void scatterAdd(Tensor dst, int axis, Tensor index, Tensor src) {
        Storage s = dst.storage();
        for (int i = 0; i < index.numel(); i++) {
            int j = gatherSource(dst, axis, index, i);
            s.setDouble(j, s.getDouble(j) + at(src, i));
        }
    }
}
