package org.pdr4j.autograd.ops;

import org.pdr4j.autograd.Function;
import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.Tensor;

/** Reductions; mean and var are composites of these in {@code Var}. */
public final class ReduceOps {
    private ReduceOps() {}

    /** Normalised, sorted axes (all of them when null). */
    static int[] normalise(int[] axes, int rank, String op) {
        if (axes == null) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) all[i] = i;
            return all;
        }
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) out[i] = Shape.axis(axes[i], rank, op);
        java.util.Arrays.sort(out);
        return out;
    }

    /** The keepdim shape of {@code x} reduced over {@code axes}. */
    static int[] keptShape(Shape x, int[] axes) {
        int[] d = x.toArray();
        for (int a : axes) d[a] = 1;
        return d;
    }

    /** Sum over axes; the gradient is broadcast back. */
    public static final class Sum extends Function {
        private final int[] axesArg;
        private final boolean keepDim;
        private Shape in;
        private int[] axes;

        public Sum(int[] axes, boolean keepDim) {
            this.axesArg = axes;
            this.keepDim = keepDim;
        }

        @Override
        protected Tensor forward(Tensor... x) {
            in = x[0].shape();
            axes = normalise(axesArg, in.rank(), "sum");
            return x[0].sum(axes, keepDim);
        }

        @Override
        protected Tensor[] backward(Tensor g, boolean[] needsGrad) {
            return new Tensor[] {g.reshape(keptShape(in, axes)).broadcastTo(in).contiguous()};
        }
    }

    /** amax / amin over axes; ties share the gradient evenly, as torch.amax. */
    public static final class Extreme extends Function {
        private final boolean max;
        private final int[] axesArg;
        private final boolean keepDim;
        private Tensor x, y;
        private int[] axes;

        public Extreme(boolean max, int[] axes, boolean keepDim) {
            this.max = max;
            this.axesArg = axes;
            this.keepDim = keepDim;
        }

        @Override
        public String name() {
            return max ? "amax" : "amin";
        }

        @Override
        protected Tensor forward(Tensor... in) {
            x = in[0];
            axes = normalise(axesArg, x.rank(), name());
            y = max ? x.max(axes, true) : x.min(axes, true);
            return keepDim ? y : y.reshape(x.shape().reduced(flags(axes, x.rank()), false).toArray());
        }

        private static boolean[] flags(int[] axes, int rank) {
            boolean[] f = new boolean[rank];
            for (int a : axes) f[a] = true;
            return f;
        }

        @Override
        protected Tensor[] backward(Tensor g, boolean[] needsGrad) {
            Tensor mask = x.eq(y);
            Tensor count = mask.sum(axes, true);
            return new Tensor[] {mask.div(count).mul(g.reshape(y.shape().toArray()))};
        }
    }
}
