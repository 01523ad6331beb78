package org.pdr4j.autograd.ops;

import java.util.Arrays;
import java.util.List;
import org.pdr4j.autograd.Function;
import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.Tensor;

/** Views and data movement. Views' backwards are views (or a sum) of the gradient. */
public final class MovementOps {
    private MovementOps() {}

    /** reshape / view / squeeze / unsqueeze / flatten: the gradient is reshaped back. */
    public static final class Reshape extends Function {
        private final int[] shape;
        private Shape in;

        public Reshape(int... shape) {
            this.shape = shape;
        }

        @Override
        protected Tensor forward(Tensor... x) {
            in = x[0].shape();
            return x[0].reshape(shape);
        }

        @Override
        protected Tensor[] backward(Tensor g, boolean[] needsGrad) {
            return new Tensor[] {g.reshape(in.toArray())};
        }
    }

    /** Dimension reordering; the gradient is permuted by the inverse. */
    public static final class Permute extends Function {
        private final int[] perm;

        public Permute(int... perm) {
            this.perm = perm;
        }

        @Override
        protected Tensor forward(Tensor... x) {
            return x[0].permute(perm);
        }

        @Override
        protected Tensor[] backward(Tensor g, boolean[] needsGrad) {
            int[] inv = new int[perm.length];
            for (int i = 0; i < perm.length; i++) inv[Shape.axis(perm[i], perm.length, "permute")] = i;
            return new Tensor[] {g.permute(inv)};
        }
    }

    /** {@code [start:end:step]} along a dim (narrow is step 1); the gradient is scattered into zeros. */
    public static final class Slice extends Function {
        private final int dim, start, end, step;
        private Tensor x;

        public Slice(int dim, int start, int end, int step) {
            this.dim = dim;
            this.start = start;
            this.end = end;
            this.step = step;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            x = in[0];
            return x.slice(dim, start, end, step);
        }

        @Override
        protected Tensor[] backward(Tensor g, boolean[] needsGrad) {
            return new Tensor[] {Tensor.zeros(g.dtype(), x.shape()).sliceScatter(g, dim, start, end, step)};
        }
    }

    /** Broadcast view; the gradient is summed over the repeated dims. */
    public static final class Expand extends Function {
        private final int[] sizes;
        private Shape in;

        public Expand(int... sizes) {
            this.sizes = sizes;
        }

        @Override
        protected Tensor forward(Tensor... x) {
            in = x[0].shape();
            return x[0].expand(sizes);
        }

        @Override
        protected Tensor[] backward(Tensor g, boolean[] needsGrad) {
            return new Tensor[] {ElementwiseOps.sumTo(g, in)};
        }
    }

    /** A contiguous copy; the gradient passes through. */
    public static final class Contiguous extends Function {
        @Override
        protected Tensor forward(Tensor... x) {
            return x[0].contiguous();
        }

        @Override
        protected Tensor[] backward(Tensor g, boolean[] needsGrad) {
            return new Tensor[] {g};
        }
    }

    /** Concatenation; each input's gradient is its slice of the output gradient. */
    public static final class Concat extends Function {
        private final int dim;
        private int[] sizes;
        private int axis;

        public Concat(int dim) {
            this.dim = dim;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            Tensor out = Tensor.concat(Arrays.asList(in), dim);
            axis = Shape.axis(dim, in[0].rank(), "concat");
            sizes = new int[in.length];
            for (int i = 0; i < in.length; i++) sizes[i] = in[i].size(axis);
            return out;
        }

        @Override
        protected Tensor[] backward(Tensor g, boolean[] needsGrad) {
            List<Tensor> parts = g.split(sizes, axis);
            Tensor[] out = new Tensor[parts.size()];
            for (int i = 0; i < out.length; i++) out[i] = needsGrad[i] ? parts.get(i) : null;
            return out;
        }
    }

    /** Constant padding; the gradient is cropped back (padding by the negated amounts). */
    public static final class Pad extends Function {
        private final int[] pads;
        private final double value;

        public Pad(int[] pads, double value) {
            this.pads = pads.clone();
            this.value = value;
        }

        @Override
        protected Tensor forward(Tensor... x) {
            return x[0].pad(pads, value);
        }

        @Override
        protected Tensor[] backward(Tensor g, boolean[] needsGrad) {
            int[] neg = new int[pads.length];
            for (int i = 0; i < pads.length; i++) neg[i] = -pads[i];
            return new Tensor[] {g.pad(neg, 0)};
        }
    }

    /** torch.gather; input 1 is the index (no gradient). The adjoint is scatter-add. */
    public static final class Gather extends Function {
        private final int dim;
        private Tensor index;
        private Shape in;

        public Gather(int dim) {
            this.dim = dim;
        }

        @Override
        protected Tensor forward(Tensor... x) {
            in = x[0].shape();
            index = x[1];
            return x[0].gather(dim, index);
        }

        @Override
        protected Tensor[] backward(Tensor g, boolean[] needsGrad) {
            return new Tensor[] {Tensor.zeros(g.dtype(), in).scatterAdd(dim, index, g), null};
        }
    }

    /** index_select along a dim; input 1 is the 1-D index (no gradient). */
    public static final class IndexSelect extends Function {
        private final int dim;
        private Tensor index;
        private Shape in;

        public IndexSelect(int dim) {
            this.dim = dim;
        }

        @Override
        protected Tensor forward(Tensor... x) {
            in = x[0].shape();
            index = x[1];
            return x[0].indexSelect(dim, index);
        }

        @Override
        protected Tensor[] backward(Tensor g, boolean[] needsGrad) {
            int d = Shape.axis(dim, in.rank(), "indexSelect");
            int[] view = new int[in.rank()];
            Arrays.fill(view, 1);
            view[d] = index.size(0);
            Tensor idx = index.reshape(view).broadcastTo(g.shape());
            return new Tensor[] {Tensor.zeros(g.dtype(), in).scatterAdd(d, idx, g), null};
        }
    }
}
