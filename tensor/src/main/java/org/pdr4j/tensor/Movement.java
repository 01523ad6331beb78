package org.pdr4j.tensor;

import java.util.ArrayList;
import java.util.List;
import org.pdr4j.tensor.backend.Backends;

/** Ops that move data between tensors: concat, stack, split, pad, gather and its adjoint. */
final class Movement {
    private Movement() {}

    static Tensor concat(List<Tensor> parts, int dim) {
        if (parts.isEmpty()) throw new ShapeException("concat: no tensors given");
        Tensor first = parts.get(0);
        int d = Shape.axis(dim, first.rank(), "concat");
        int total = 0;
        DType dt = first.dtype();
        for (Tensor t : parts) {
            if (t.rank() != first.rank()) throw new ShapeException("concat: ranks differ: " + first.shape() + " and " + t.shape());
            for (int i = 0; i < t.rank(); i++) {
                if (i != d && t.size(i) != first.size(i)) {
                    throw new ShapeException("concat: sizes differ outside dim " + d + ": " + first.shape() + " and " + t.shape());
                }
            }
            total += t.size(d);
            dt = DType.promote(dt, t.dtype());
        }
        Tensor out = Tensor.empty(dt, first.shape().with(d, total));
        int at = 0;
        for (Tensor t : parts) {
            int n = t.size(d);
            if (n > 0) Backends.forOperands(out, t).copy(t.to(dt), out.narrow(d, at, n));
            at += n;
        }
        return out;
    }

    static Tensor stack(List<Tensor> parts, int dim) {
        if (parts.isEmpty()) throw new ShapeException("stack: no tensors given");
        Shape s = parts.get(0).shape();
        int d = Shape.axis(dim, s.rank() + 1, "stack");
        List<Tensor> expanded = new ArrayList<>(parts.size());
        for (Tensor t : parts) {
            if (!t.shape().equals(s)) throw new ShapeException("stack: shapes differ: " + s + " and " + t.shape());
            expanded.add(t.unsqueeze(d));
        }
        return concat(expanded, d);
    }

    static List<Tensor> split(Tensor x, int[] sizes, int dim) {
        int d = Shape.axis(dim, x.rank(), "split");
        long sum = 0;
        for (int s : sizes) {
            if (s < 0) throw new ShapeException("split: negative size in " + java.util.Arrays.toString(sizes));
            sum += s;
        }
        if (sum != x.size(d)) {
            throw new ShapeException("split: sizes " + java.util.Arrays.toString(sizes) + " add to " + sum + ", not " + x.size(d) + " (dim " + d + " of " + x.shape() + ")");
        }
        List<Tensor> out = new ArrayList<>(sizes.length);
        int at = 0;
        for (int s : sizes) {
            out.add(x.narrow(d, at, s));
            at += s;
        }
        return out;
    }

    static Tensor pad(Tensor x, int[] pads, double value) {
        if (pads.length % 2 != 0 || pads.length / 2 > x.rank()) {
            throw new ShapeException("pad: expected (before, after) pairs for at most " + x.rank() + " dims, got " + pads.length + " values");
        }
        int[] out = x.shape().toArray();
        Tensor src = x;
        int[] before = new int[x.rank()];
        for (int p = 0; p < pads.length / 2; p++) {
            int d = x.rank() - 1 - p;
            int lo = pads[2 * p], hi = pads[2 * p + 1];
            long size = (long) out[d] + lo + hi;
            if (size < 0 || size > Integer.MAX_VALUE) {
                throw new ShapeException("pad: padding " + lo + ", " + hi + " gives dim " + d + " of " + x.shape() + " size " + size);
            }
            // Negative padding crops the source first.
            int cropLo = (int) Math.min(out[d], Math.max(0L, -(long) lo)), cropHi = (int) Math.min(out[d], Math.max(0L, -(long) hi));
            src = src.narrow(d, cropLo, Math.max(0, out[d] - cropLo - cropHi));
            before[d] = Math.max(0, lo);
            out[d] = (int) size;
        }
        Tensor o = Tensor.full(x.dtype(), Shape.of(out), value);
        if (src.numel() == 0) return o;
        Tensor dst = o;
        for (int d = 0; d < x.rank(); d++) dst = dst.narrow(d, before[d], src.size(d));
        Backends.forOperands(o).copy(src, dst);
        return o;
    }

    /** Checks that {@code index} holds integers in {@code [0, bound)}. */
    private static void checkIndex(String op, Tensor index, int bound) {
        double[] v = index.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            double e = v[i];
            if (e != Math.rint(e) || e < 0 || e >= bound) {
                throw new ShapeException(op + ": index " + e + " at position " + i + " is not an integer in [0, " + bound + ")");
            }
        }
    }

    private static void checkGatherShapes(String op, Tensor x, int d, Tensor index) {
        if (index.rank() != x.rank()) throw new ShapeException(op + ": index " + index.shape() + " must have the rank of " + x.shape());
        for (int i = 0; i < x.rank(); i++) {
            if (i != d && index.size(i) > x.size(i)) {
                throw new ShapeException(op + ": index " + index.shape() + " larger than " + x.shape() + " outside dim " + d);
            }
        }
    }

    static Tensor gather(Tensor x, int dim, Tensor index) {
        int d = Shape.axis(dim, x.rank(), "gather");
        checkGatherShapes("gather", x, d, index);
        checkIndex("gather", index, x.size(d));
        Tensor out = Tensor.empty(x.dtype(), index.shape());
        Backends.forOperands(x).gather(x, d, index, out);
        return out;
    }

    static Tensor indexSelect(Tensor x, int dim, Tensor index) {
        int d = Shape.axis(dim, x.rank(), "indexSelect");
        if (index.rank() != 1) throw new ShapeException("indexSelect: index must be 1-D, got " + index.shape());
        checkIndex("indexSelect", index, x.size(d));
        int[] view = new int[x.rank()];
        java.util.Arrays.fill(view, 1);
        view[d] = index.size(0);
        Shape outShape = x.shape().with(d, index.size(0));
        // The index broadcast over the other dims is a stride-0 view: no copy.
        Tensor idx = index.reshape(view).broadcastTo(outShape);
        Tensor out = Tensor.empty(x.dtype(), outShape);
        Backends.forOperands(x).gather(x, d, idx, out);
        return out;
    }

    static Tensor scatterAdd(Tensor x, int dim, Tensor index, Tensor src) {
        int d = Shape.axis(dim, x.rank(), "scatterAdd");
        checkGatherShapes("scatterAdd", x, d, index);
        if (!src.shape().equals(index.shape())) {
            throw new ShapeException("scatterAdd: src " + src.shape() + " must have the shape of index " + index.shape());
        }
        checkIndex("scatterAdd", index, x.size(d));
        Tensor out = x.copy();
        Backends.forOperands(out).scatterAdd(out, d, index, src.to(x.dtype()));
        return out;
    }

    static Tensor sliceScatter(Tensor x, Tensor src, int dim, int start, int end, int step) {
        Tensor out = x.copy();
        Tensor dst = out.slice(dim, start, end, step);
        if (!dst.shape().equals(src.shape())) {
            throw new ShapeException("sliceScatter: src " + src.shape() + " does not fit slice " + dst.shape() + " of " + x.shape());
        }
        if (src.numel() > 0) Backends.forOperands(out).copy(src.to(x.dtype()), dst);
        return out;
    }
}
