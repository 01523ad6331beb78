package org.pdr4j.autograd;

import java.util.ArrayList;
import java.util.List;
import org.pdr4j.autograd.ops.ElementwiseOps;
import org.pdr4j.autograd.ops.LinalgOps;
import org.pdr4j.autograd.ops.MovementOps;
import org.pdr4j.autograd.ops.ReduceOps;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.ShapeException;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.backend.BinaryOp;
import org.pdr4j.tensor.backend.UnaryOp;

/**
 * A tensor value in a recorded computation. Leaves are created with {@link #param} (gradient
 * wanted) or {@link #constant}; every op on a Var that requires a gradient records a
 * {@link Function} node, and {@link #backward()} accumulates gradients into the leaves'
 * {@link #grad()}.
 */
public final class Var {
    private final Tensor value;
    private final boolean requiresGrad;
    private final boolean leaf;
    private Function creator;
    private final String creatorName;
    private final Var[] parents;
    private Tensor grad;
    private boolean retainGrad;

    private Var(Tensor value, boolean requiresGrad, Function creator, Var[] parents) {
        this.value = value;
        this.requiresGrad = requiresGrad;
        this.leaf = creator == null;
        this.creator = creator;
        this.creatorName = creator == null ? "leaf" : creator.name();
        this.parents = parents;
    }

    /** A leaf that wants a gradient (a parameter or an input being differentiated). */
    public static Var param(Tensor value) {
        return new Var(value, true, null, null);
    }

    /** A leaf without gradient. */
    public static Var constant(Tensor value) {
        return new Var(value, false, null, null);
    }

    static Var node(Tensor value, Function creator, Var[] parents) {
        return new Var(value, true, creator, parents.clone());
    }

    public Tensor value() { return value; }

    public Shape shape() { return value.shape(); }

    public int size(int dim) { return value.size(dim); }

    public int rank() { return value.rank(); }

    public DType dtype() { return value.dtype(); }

    /** The value of a one-element Var. */
    public double item() { return value.item(); }

    public boolean requiresGrad() { return requiresGrad; }

    /** True for Vars not produced by a recorded op. */
    public boolean isLeaf() { return leaf; }

    /** The accumulated gradient (leaves, or nodes after {@link #retainGrad()}), or null before any backward. */
    public Tensor grad() { return grad; }

    /** Clears the accumulated gradient. */
    public void zeroGrad() { grad = null; }

    /** Sets the gradient (optimisers and tests). */
    public void setGrad(Tensor g) {
        if (g != null && !g.shape().equals(value.shape())) {
            throw new ShapeException("setGrad: gradient " + g.shape() + " for value " + value.shape());
        }
        grad = g;
    }

    /** Keeps this non-leaf's gradient after backward (leaves always keep theirs). */
    public Var retainGrad() {
        retainGrad = true;
        return this;
    }

    boolean retainsGrad() { return retainGrad; }

    Function creator() { return creator; }

    String creatorName() { return creatorName; }

    Var[] parents() { return parents; }

    void free() { creator = null; }

    void accumulate(Tensor g) {
        grad = grad == null ? g : grad.add(g);
    }

    /** The same value cut off from the graph. */
    public Var detach() { return constant(value); }

    /** Backward from a one-element Var (seed 1). */
    public void backward() {
        if (value.numel() != 1) {
            throw new ShapeException("backward: needs a one-element output or a seed gradient, got shape " + value.shape());
        }
        backward(Tensor.full(value.dtype(), value.shape(), 1.0), false);
    }

    /**
     * Backpropagates {@code seed} (this Var's shape). The graph's saved tensors are freed unless
     * {@code retainGraph}; a second backward through a freed graph throws.
     */
    public void backward(Tensor seed, boolean retainGraph) {
        if (!requiresGrad) throw new IllegalStateException("backward: this Var does not require a gradient (no parameter reaches it)");
        if (!seed.shape().equals(value.shape())) {
            throw new ShapeException("backward: seed " + seed.shape() + " does not match output " + value.shape());
        }
        Backward.run(this, seed, retainGraph);
    }

    // ---------------------------------------------------------------- element-wise

    private Var unary(UnaryOp op, double a, double b) { return new ElementwiseOps.Unary(op, a, b).apply(this); }

    private Var binary(BinaryOp op, Var o) { return new ElementwiseOps.Binary(op).apply(this, o); }

    private Var scalar(double s) { return constant(Tensor.full(value.dtype(), Shape.scalar(), s)); }

    public Var neg() { return unary(UnaryOp.NEG, 0, 0); }
    public Var abs() { return unary(UnaryOp.ABS, 0, 0); }
    public Var exp() { return unary(UnaryOp.EXP, 0, 0); }
    public Var log() { return unary(UnaryOp.LOG, 0, 0); }
    public Var sqrt() { return unary(UnaryOp.SQRT, 0, 0); }
    public Var rsqrt() { return unary(UnaryOp.RSQRT, 0, 0); }
    public Var reciprocal() { return unary(UnaryOp.RECIPROCAL, 0, 0); }
    public Var tanh() { return unary(UnaryOp.TANH, 0, 0); }
    public Var sigmoid() { return unary(UnaryOp.SIGMOID, 0, 0); }
    public Var relu() { return unary(UnaryOp.RELU, 0, 0); }
    public Var leakyRelu(double slope) { return unary(UnaryOp.LEAKY_RELU, slope, 0); }
    public Var gelu() { return unary(UnaryOp.GELU, 0, 0); }
    public Var erf() { return unary(UnaryOp.ERF, 0, 0); }
    public Var silu() { return unary(UnaryOp.SILU, 0, 0); }
    public Var sin() { return unary(UnaryOp.SIN, 0, 0); }
    public Var cos() { return unary(UnaryOp.COS, 0, 0); }
    public Var pow(double exponent) { return unary(UnaryOp.POW, exponent, 0); }
    public Var square() { return mul(this); }
    public Var clamp(double min, double max) {
        if (min > max) throw new IllegalArgumentException("clamp: min " + min + " > max " + max);
        return unary(UnaryOp.CLAMP, min, max);
    }

    public Var add(Var o) { return binary(BinaryOp.ADD, o); }
    public Var sub(Var o) { return binary(BinaryOp.SUB, o); }
    public Var mul(Var o) { return binary(BinaryOp.MUL, o); }
    public Var div(Var o) { return binary(BinaryOp.DIV, o); }
    public Var pow(Var o) { return binary(BinaryOp.POW, o); }
    public Var maximum(Var o) { return binary(BinaryOp.MAX, o); }
    public Var minimum(Var o) { return binary(BinaryOp.MIN, o); }

    public Var add(double s) { return unary(UnaryOp.AFFINE, 1, s); }
    public Var sub(double s) { return unary(UnaryOp.AFFINE, 1, -s); }
    public Var mul(double s) { return unary(UnaryOp.AFFINE, s, 0); }
    public Var div(double s) { return unary(UnaryOp.AFFINE, 1 / s, 0); }
    /** {@code s - this}. */
    public Var rsub(double s) { return unary(UnaryOp.AFFINE, -1, s); }
    public Var maximum(double s) { return maximum(scalar(s)); }
    public Var minimum(double s) { return minimum(scalar(s)); }

    /** {@code cond != 0 ? a : b}; cond carries no gradient. */
    public static Var where(Tensor cond, Var a, Var b) {
        return new ElementwiseOps.Where().apply(constant(cond), a, b);
    }

    // ---------------------------------------------------------------- reductions

    public Var sum() { return new ReduceOps.Sum(null, false).apply(this); }
    public Var sum(int[] axes, boolean keepDim) { return new ReduceOps.Sum(axes, keepDim).apply(this); }
    public Var sum(int axis) { return sum(new int[] {axis}, false); }

    public Var mean() { return sum().div(value.numel()); }

    /** Mean over {@code axes} (null: all of them). */
    public Var mean(int[] axes, boolean keepDim) {
        return sum(axes, keepDim).div(count(axes));
    }

    /** Number of elements the axes span (null: all). */
    private int count(int[] axes) {
        if (axes == null) return value.numel();
        int n = 1;
        for (int a : axes) n *= value.size(a);
        return n;
    }

    /** amax: the gradient is shared evenly among tied maxima. */
    public Var max(int[] axes, boolean keepDim) { return new ReduceOps.Extreme(true, axes, keepDim).apply(this); }
    public Var max() { return new ReduceOps.Extreme(true, null, false).apply(this); }
    public Var min(int[] axes, boolean keepDim) { return new ReduceOps.Extreme(false, axes, keepDim).apply(this); }

    /** Variance over {@code axes} (null: all) with {@code correction} (1: unbiased). */
    public Var var(int[] axes, boolean keepDim, int correction) {
        int n = count(axes);
        Var d = sub(mean(axes, true));
        return d.mul(d).sum(axes, keepDim).div(Math.max(0, n - correction));
    }

    // ---------------------------------------------------------------- linear algebra

    /** NumPy matmul; 1-D operands are promoted and the added dim removed, as torch.matmul. */
    public Var matmul(Var o) {
        if (rank() == 0 || o.rank() == 0) {
            throw new ShapeException("matmul: both operands need at least 1 dimension, got " + shape() + " and " + o.shape());
        }
        boolean va = rank() == 1, vb = o.rank() == 1;
        Var a = va ? unsqueeze(0) : this, b = vb ? o.unsqueeze(1) : o;
        Var r = new LinalgOps.Matmul().apply(a, b);
        if (vb) r = r.squeeze(-1);
        if (va) r = r.squeeze(vb ? -1 : -2);
        return r;
    }

    // ---------------------------------------------------------------- views and movement

    public Var reshape(int... shape) { return new MovementOps.Reshape(shape).apply(this); }

    public Var flatten() { return reshape(-1); }

    public Var permute(int... perm) { return new MovementOps.Permute(perm).apply(this); }

    public Var transpose(int a, int b) {
        int[] perm = new int[rank()];
        for (int i = 0; i < perm.length; i++) perm[i] = i;
        int x = Shape.axis(a, rank(), "transpose"), y = Shape.axis(b, rank(), "transpose");
        perm[x] = y;
        perm[y] = x;
        return permute(perm);
    }

    public Var narrow(int dim, int start, int length) {
        value.narrow(dim, start, length); // checks the range before recording
        return new MovementOps.Slice(dim, start, start + length, 1).apply(this);
    }

    public Var slice(int dim, int start, int end, int step) { return new MovementOps.Slice(dim, start, end, step).apply(this); }

    public Var select(int dim, int index) {
        int d = Shape.axis(dim, rank(), "select"), n = value.size(d), i = index < 0 ? index + n : index;
        return narrow(d, i, 1).squeeze(d);
    }

    public Var expand(int... sizes) { return new MovementOps.Expand(sizes).apply(this); }

    public Var broadcastTo(Shape s) { return shape().equals(s) ? this : expand(s.toArray()); }

    public Var squeeze(int dim) { return reshape(value.squeeze(dim).shape().toArray()); }

    public Var squeeze() { return reshape(value.squeeze().shape().toArray()); }

    public Var unsqueeze(int dim) { return reshape(value.unsqueeze(dim).shape().toArray()); }

    public Var contiguous() { return value.isContiguous() && value.offset() == 0 ? this : new MovementOps.Contiguous().apply(this); }

    public Var pad(int[] pads, double value) { return new MovementOps.Pad(pads, value).apply(this); }

    public Var gather(int dim, Tensor index) { return new MovementOps.Gather(dim).apply(this, constant(index)); }

    public Var indexSelect(int dim, Tensor index) { return new MovementOps.IndexSelect(dim).apply(this, constant(index)); }

    public List<Var> split(int[] sizes, int dim) {
        value.split(sizes, dim); // validates the sizes
        List<Var> out = new ArrayList<>(sizes.length);
        int at = 0;
        for (int s : sizes) {
            out.add(narrow(dim, at, s));
            at += s;
        }
        return out;
    }

    public static Var concat(List<Var> parts, int dim) {
        return new MovementOps.Concat(dim).apply(parts.toArray(new Var[0]));
    }

    public static Var stack(List<Var> parts, int dim) {
        if (parts.isEmpty()) throw new ShapeException("stack: no tensors given");
        int d = Shape.axis(dim, parts.get(0).rank() + 1, "stack");
        List<Var> u = new ArrayList<>(parts.size());
        for (Var p : parts) {
            if (!p.shape().equals(parts.get(0).shape())) throw new ShapeException("stack: shapes differ: " + parts.get(0).shape() + " and " + p.shape());
            u.add(p.unsqueeze(d));
        }
        return concat(u, d);
    }

    @Override
    public String toString() {
        return "Var(" + value + (requiresGrad ? ", grad_fn=" + creatorName : "") + ")";
    }
}
