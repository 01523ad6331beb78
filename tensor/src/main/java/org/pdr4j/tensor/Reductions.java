package org.pdr4j.tensor;

import org.pdr4j.tensor.backend.Backends;
import org.pdr4j.tensor.backend.ReduceOp;

/** Reductions over axes, with the shape bookkeeping the backends need not repeat. */
final class Reductions {
    private Reductions() {}

    /** Flags for {@code axes} (null means all), checking range and repeats. */
    static boolean[] axisFlags(String op, int rank, int[] axes) {
        boolean[] flags = new boolean[rank];
        if (axes == null) {
            java.util.Arrays.fill(flags, true);
            return flags;
        }
        for (int a : axes) {
            int n = Shape.axis(a, rank, op);
            if (flags[n]) throw new ShapeException(op + ": axis " + a + " repeated");
            flags[n] = true;
        }
        return flags;
    }

    static Tensor reduce(Tensor x, ReduceOp op, int[] axes, boolean keepDim) {
        String name = op.name().toLowerCase(java.util.Locale.ROOT);
        boolean[] flags = axisFlags(name, x.rank(), axes);
        if (op != ReduceOp.SUM) {
            for (int i = 0; i < x.rank(); i++) {
                if (flags[i] && x.size(i) == 0) throw new ShapeException(name + ": cannot reduce an empty dimension of " + x.shape());
            }
        }
        Tensor out = Tensor.empty(x.dtype(), x.shape().reduced(flags, true));
        Backends.forOperands(x).reduce(op, x, flags, out);
        return keepDim ? out : out.reshape(x.shape().reduced(flags, false).toArray());
    }

    static int count(Tensor x, boolean[] flags) {
        int n = 1;
        for (int i = 0; i < flags.length; i++) if (flags[i]) n *= x.size(i);
        return n;
    }

    static Tensor mean(Tensor x, int[] axes, boolean keepDim) {
        int n = count(x, axisFlags("mean", x.rank(), axes));
        return reduce(x, ReduceOp.SUM, axes, keepDim).mul(1.0 / n);
    }

    static Tensor var(Tensor x, int[] axes, boolean keepDim, int correction) {
        int n = count(x, axisFlags("var", x.rank(), axes));
        Tensor mu = reduce(x, ReduceOp.SUM, axes, true).mul(1.0 / n);
        Tensor d = x.sub(mu);
        return reduce(d.mul(d), ReduceOp.SUM, axes, keepDim).mul(1.0 / Math.max(0, n - correction));
    }

    static Tensor argReduce(Tensor x, ReduceOp op, int axis, boolean keepDim) {
        int a = Shape.axis(axis, x.rank(), "arg" + op.name().toLowerCase(java.util.Locale.ROOT));
        if (x.size(a) == 0) throw new ShapeException("argmax: empty dimension " + a + " of " + x.shape());
        Tensor out = Tensor.empty(x.dtype(), x.shape().with(a, 1));
        Backends.forOperands(x).argReduce(op, x, a, out);
        return keepDim ? out : out.squeeze(a);
    }
}
