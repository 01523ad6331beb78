package org.pdr4j.tensor;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.pdr4j.tensor.backend.Backend;
import org.pdr4j.tensor.backend.Backends;
import org.pdr4j.tensor.backend.BinaryOp;
import org.pdr4j.tensor.backend.ReduceOp;
import org.pdr4j.tensor.backend.UnaryOp;

/**
 * A dense n-d array: a {@link Storage} seen through a shape, strides and an offset.
 *
 * <p>Views ({@link #reshape}, {@link #permute}, {@link #narrow}, {@link #expand}, ...) share the
 * storage and copy nothing; every op returns a new tensor and leaves its inputs unchanged.
 * Broadcasting follows NumPy. Tensors know nothing of gradients: that is the autograd module.
 */
public final class Tensor {
    private final Storage storage;
    private final Shape shape;
    private final int[] strides;
    private final int offset;

    private Tensor(Storage storage, Shape shape, int[] strides, int offset) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
    }

    // ---------------------------------------------------------------- creation

    /** An uninitialised-by-contract (zero-filled) contiguous tensor. */
    public static Tensor empty(DType dtype, Shape shape) {
        return new Tensor(Storage.allocate(dtype, shape.numel()), shape, shape.contiguousStrides(), 0);
    }

    public static Tensor zeros(int... shape) {
        return empty(DType.F32, Shape.of(shape));
    }

    public static Tensor zeros(DType dtype, Shape shape) {
        return empty(dtype, shape);
    }

    public static Tensor zerosLike(Tensor t) {
        return empty(t.dtype(), t.shape);
    }

    public static Tensor ones(int... shape) {
        return full(1.0, shape);
    }

    public static Tensor full(double value, int... shape) {
        return full(DType.F32, Shape.of(shape), value);
    }

    public static Tensor full(DType dtype, Shape shape, double value) {
        Tensor t = empty(dtype, shape);
        if (value != 0) {
            switch (t.storage) {
                case Storage.F32 s -> Arrays.fill(s.array(), (float) value);
                case Storage.F64 s -> Arrays.fill(s.array(), value);
            }
        }
        return t;
    }

    /** A rank-0 float32 tensor. */
    public static Tensor scalar(double value) {
        return full(DType.F32, Shape.scalar(), value);
    }

    /** Wraps a copy of {@code data} as a float32 tensor of the given shape. */
    public static Tensor of(float[] data, int... shape) {
        Shape s = shape.length == 0 && data.length != 1 ? Shape.of(data.length) : Shape.of(shape);
        if (s.numel() != data.length) {
            throw new ShapeException("of: " + data.length + " values do not fill shape " + s);
        }
        return new Tensor(new Storage.F32(data.clone()), s, s.contiguousStrides(), 0);
    }

    /** Wraps a copy of {@code data} as a float64 tensor of the given shape. */
    public static Tensor of(double[] data, int... shape) {
        Shape s = shape.length == 0 && data.length != 1 ? Shape.of(data.length) : Shape.of(shape);
        if (s.numel() != data.length) {
            throw new ShapeException("of: " + data.length + " values do not fill shape " + s);
        }
        return new Tensor(new Storage.F64(data.clone()), s, s.contiguousStrides(), 0);
    }

    /** A contiguous tensor over existing storage (no copy); the storage must be large enough. */
    public static Tensor wrap(Storage storage, Shape shape) {
        if (storage.length() < shape.numel()) {
            throw new ShapeException("wrap: storage of " + storage.length() + " elements is too small for " + shape);
        }
        return new Tensor(storage, shape, shape.contiguousStrides(), 0);
    }

    /** {@code [0, 1, ..., n-1]} as float32. */
    public static Tensor arange(int n) {
        return arange(0, n, 1);
    }

    /** {@code start, start+step, ...} below {@code end} (above it for a negative step). */
    public static Tensor arange(double start, double end, double step) {
        if (step == 0 || !Double.isFinite(step)) throw new IllegalArgumentException("arange: step must be finite and non-zero, got " + step);
        int n = (int) Math.max(0, Math.ceil((end - start) / step));
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (start + i * step);
        return new Tensor(new Storage.F32(v), Shape.of(n), new int[] {1}, 0);
    }

    /** {@code n} evenly spaced values from {@code a} to {@code b} inclusive. */
    public static Tensor linspace(double a, double b, int n) {
        if (n < 0) throw new IllegalArgumentException("linspace: n must be >= 0, got " + n);
        float[] v = new float[n];
        double step = n > 1 ? (b - a) / (n - 1) : 0;
        // Symmetric evaluation (as torch does) keeps both endpoints exact.
        for (int i = 0; i < n; i++) v[i] = (float) (i < n / 2 ? a + i * step : b - (n - 1 - i) * step);
        return new Tensor(new Storage.F32(v), Shape.of(n), new int[] {1}, 0);
    }

    /** Uniform [0, 1) float32 values from a seeded generator. */
    public static Tensor rand(long seed, int... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = zeros(shape);
        float[] a = t.f32();
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextDouble();
        return t;
    }

    /** Standard normal float32 values from a seeded generator. */
    public static Tensor randn(long seed, int... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = zeros(shape);
        float[] a = t.f32();
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
        return t;
    }

    // ---------------------------------------------------------------- metadata

    public Shape shape() { return shape; }

    public int rank() { return shape.rank(); }

    /** Size of dimension {@code i}; negative counts from the end. */
    public int size(int i) { return shape.dim(i); }

    public int numel() { return shape.numel(); }

    public DType dtype() { return storage.dtype(); }

    public Storage storage() { return storage; }

    public int offset() { return offset; }

    /** A copy of the strides, in elements. */
    public int[] strides() { return strides.clone(); }

    /** Stride of dimension {@code i} in elements. */
    public int stride(int i) { return strides[Shape.axis(i, rank(), "stride")]; }

    /** True when the elements are laid out in row-major order without gaps from the offset. */
    public boolean isContiguous() {
        int expected = 1;
        for (int i = rank() - 1; i >= 0; i--) {
            int d = shape.dim(i);
            if (d != 1 && strides[i] != expected) return false;
            expected *= d;
        }
        return true;
    }

    /** The float32 array of a contiguous F32 tensor at offset 0 (kernels' fast path). */
    float[] f32() {
        return ((Storage.F32) storage).array();
    }

    /** Storage index of the element with row-major linear index {@code linear}. */
    public int storageIndex(int linear) {
        int idx = offset;
        for (int i = rank() - 1; i >= 0; i--) {
            int d = shape.dim(i);
            idx += (linear % d) * strides[i];
            linear /= d;
        }
        return idx;
    }

    // ---------------------------------------------------------------- element access

    /** The element at a full index (negative indices count from the end). */
    public double get(int... index) {
        if (index.length != rank()) {
            throw new ShapeException("get: index of rank " + index.length + " for tensor of shape " + shape);
        }
        int idx = offset;
        for (int i = 0; i < index.length; i++) {
            int d = shape.dim(i), j = index[i] < 0 ? index[i] + d : index[i];
            if (j < 0 || j >= d) throw new ShapeException("get: index " + index[i] + " out of range for dim " + i + " of " + shape);
            idx += j * strides[i];
        }
        return storage.getDouble(idx);
    }

    /** The value of a one-element tensor. */
    public double item() {
        if (numel() != 1) throw new ShapeException("item: tensor of shape " + shape + " has " + numel() + " elements, not 1");
        return storage.getDouble(offset);
    }

    /** The elements in row-major order, as a new float array. */
    public float[] toFloatArray() {
        Tensor c = contiguous().to(DType.F32);
        float[] a = ((Storage.F32) c.storage).array();
        return c.offset == 0 && a.length == c.numel() ? (c == this ? a.clone() : a) : Arrays.copyOfRange(a, c.offset, c.offset + c.numel());
    }

    /** The elements in row-major order, as a new double array. */
    public double[] toDoubleArray() {
        double[] out = new double[numel()];
        for (int i = 0; i < out.length; i++) out[i] = storage.getDouble(storageIndex(i));
        return out;
    }

    /** A contiguous copy in the given type (this tensor itself when nothing changes). */
    public Tensor to(DType dtype) {
        if (dtype == dtype()) return this;
        Tensor out = empty(dtype, shape);
        Backends.ref().copy(this, out);
        return out;
    }

    /**
     * Overwrites this tensor's elements with {@code src} (broadcast to this shape). The one
     * mutating op: optimisers update parameters with it, loaders fill batches. Views of the
     * same storage see the change.
     */
    public void assign(Tensor src) {
        Tensor s = src.to(dtype()).broadcastTo(shape);
        if (numel() > 0) Backends.forOperands(this).copy(s, this);
    }

    /** A contiguous copy (always a new storage). */
    public Tensor copy() {
        Tensor out = empty(dtype(), shape);
        Backends.forOperands(this).copy(this, out);
        return out;
    }

    /** This tensor if contiguous from offset 0, else a contiguous copy. */
    public Tensor contiguous() {
        return isContiguous() && offset == 0 ? this : copy();
    }

    // ---------------------------------------------------------------- views

    /** A view with new sizes (one may be -1); copies only when the strides make a view impossible. */
    public Tensor reshape(int... newShape) {
        Shape s = inferShape("reshape", newShape);
        int[] st = Views.viewStrides(shape, strides, s);
        return st != null ? new Tensor(storage, s, st, offset) : copy().reshape(newShape);
    }

    /** Like {@link #reshape} but never copies: throws when no view has the new shape. */
    public Tensor view(int... newShape) {
        Shape s = inferShape("view", newShape);
        int[] st = Views.viewStrides(shape, strides, s);
        if (st == null) throw new ShapeException("view: cannot view " + shape + " with strides " + Arrays.toString(strides) + " as " + s + "; use reshape");
        return new Tensor(storage, s, st, offset);
    }

    private Shape inferShape(String op, int[] dims) {
        int[] d = dims.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < d.length; i++) {
            if (d[i] == -1) {
                if (infer >= 0) throw new ShapeException(op + ": only one -1 allowed in " + Arrays.toString(dims));
                infer = i;
            } else if (d[i] < 0) {
                throw new ShapeException(op + ": negative size in " + Arrays.toString(dims));
            } else {
                known *= d[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || numel() % known != 0) throw new ShapeException(op + ": cannot reshape " + shape + " into " + Arrays.toString(dims));
            d[infer] = (int) (numel() / known);
        } else if (known != numel()) {
            throw new ShapeException(op + ": cannot reshape " + shape + " (" + numel() + " elements) into " + Arrays.toString(dims));
        }
        return Shape.of(d);
    }

    /** Reorders the dimensions: result dim i is this tensor's dim {@code perm[i]}. */
    public Tensor permute(int... perm) {
        if (perm.length != rank()) throw new ShapeException("permute: " + Arrays.toString(perm) + " for tensor of rank " + rank());
        int[] d = new int[perm.length], st = new int[perm.length];
        boolean[] seen = new boolean[perm.length];
        for (int i = 0; i < perm.length; i++) {
            int p = Shape.axis(perm[i], rank(), "permute");
            if (seen[p]) throw new ShapeException("permute: repeated axis in " + Arrays.toString(perm));
            seen[p] = true;
            d[i] = shape.dim(p);
            st[i] = strides[p];
        }
        return new Tensor(storage, Shape.of(d), st, offset);
    }

    /** Swaps two dimensions. */
    public Tensor transpose(int a, int b) {
        int[] perm = new int[rank()];
        for (int i = 0; i < perm.length; i++) perm[i] = i;
        int x = Shape.axis(a, rank(), "transpose"), y = Shape.axis(b, rank(), "transpose");
        perm[x] = y;
        perm[y] = x;
        return permute(perm);
    }

    /** {@code length} elements of dimension {@code dim} starting at {@code start}. */
    public Tensor narrow(int dim, int start, int length) {
        int d = Shape.axis(dim, rank(), "narrow");
        int n = shape.dim(d);
        if (start < 0 || length < 0 || start > n - length) {
            throw new ShapeException("narrow: [" + start + ", " + (start + length) + ") out of range for dim " + d + " of " + shape);
        }
        return new Tensor(storage, shape.with(d, length), strides.clone(), offset + start * strides[d]);
    }

    /** Python-style {@code [start:end:step]} along {@code dim}; negative bounds count from the end. */
    public Tensor slice(int dim, int start, int end, int step) {
        int d = Shape.axis(dim, rank(), "slice");
        if (step <= 0) throw new ShapeException("slice: step must be positive, got " + step);
        int n = shape.dim(d);
        int s = Math.min(Math.max(start < 0 ? start + n : start, 0), n);
        int e = Math.min(Math.max(end < 0 ? end + n : end, s), n);
        int len = e == s ? 0 : (e - s - 1) / step + 1;
        int[] st = strides.clone();
        st[d] *= step;
        return new Tensor(storage, shape.with(d, len), st, offset + s * strides[d]);
    }

    /** The slice at {@code index} of dimension {@code dim}, with that dimension removed. */
    public Tensor select(int dim, int index) {
        int d = Shape.axis(dim, rank(), "select");
        int n = shape.dim(d), i = index < 0 ? index + n : index;
        if (i < 0 || i >= n) throw new ShapeException("select: index " + index + " out of range for dim " + d + " of " + shape);
        return narrow(d, i, 1).squeeze(d);
    }

    /** A broadcast view: size-1 dimensions (and new leading ones) repeat with stride 0; -1 keeps a size. */
    public Tensor expand(int... sizes) {
        if (sizes.length < rank()) throw new ShapeException("expand: " + Arrays.toString(sizes) + " has fewer dims than " + shape);
        int lead = sizes.length - rank();
        int[] d = new int[sizes.length], st = new int[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            int cur = i < lead ? 1 : shape.dim(i - lead);
            int want = sizes[i] == -1 && i >= lead ? cur : sizes[i];
            if (want < 0) throw new ShapeException("expand: bad size in " + Arrays.toString(sizes));
            if (cur == want) {
                d[i] = cur;
                st[i] = i < lead ? 0 : strides[i - lead];
            } else if (cur == 1) {
                d[i] = want;
                st[i] = 0;
            } else {
                throw new ShapeException("expand: cannot expand " + shape + " to " + Arrays.toString(sizes));
            }
        }
        return new Tensor(storage, Shape.of(d), st, offset);
    }

    /** {@link #expand} to a shape. */
    public Tensor broadcastTo(Shape target) {
        return shape.equals(target) ? this : expand(target.toArray());
    }

    /** Removes every size-1 dimension. */
    public Tensor squeeze() {
        int[] d = new int[rank()], st = new int[rank()];
        int r = 0;
        for (int i = 0; i < rank(); i++) {
            if (shape.dim(i) != 1) {
                d[r] = shape.dim(i);
                st[r++] = strides[i];
            }
        }
        return new Tensor(storage, Shape.of(Arrays.copyOf(d, r)), Arrays.copyOf(st, r), offset);
    }

    /** Removes dimension {@code dim} if its size is 1 (else returns this, as torch does). */
    public Tensor squeeze(int dim) {
        int a = Shape.axis(dim, rank(), "squeeze");
        if (shape.dim(a) != 1) return this;
        int[] d = new int[rank() - 1], st = new int[rank() - 1];
        for (int i = 0, r = 0; i < rank(); i++) {
            if (i == a) continue;
            d[r] = shape.dim(i);
            st[r++] = strides[i];
        }
        return new Tensor(storage, Shape.of(d), st, offset);
    }

    /** Inserts a size-1 dimension at {@code dim} (in {@code [-rank-1, rank]}). */
    public Tensor unsqueeze(int dim) {
        int a = Shape.axis(dim, rank() + 1, "unsqueeze");
        int[] d = new int[rank() + 1], st = new int[rank() + 1];
        for (int i = 0, r = 0; i <= rank(); i++) {
            if (i == a) {
                d[i] = 1;
                st[i] = a < rank() ? strides[a] * shape.dim(a) : 1;
            } else {
                d[i] = shape.dim(r);
                st[i] = strides[r++];
            }
        }
        return new Tensor(storage, Shape.of(d), st, offset);
    }

    /** All dimensions merged into one. */
    public Tensor flatten() {
        return reshape(-1);
    }

    // ---------------------------------------------------------------- element-wise

    Tensor map(UnaryOp op, double a, double b) {
        Tensor out = empty(dtype(), shape);
        Backends.forOperands(this).map(op, a, b, this, out);
        return out;
    }

    /**
     * {@code g * op'(this)} element-wise in one pass, where {@code y} is {@code op(this)} as the
     * forward computed it: the chain rule through a unary op (see {@link UnaryOp#derivative}).
     * All three have this tensor's shape; the result has its dtype.
     */
    public Tensor mulDerivative(UnaryOp op, double a, double b, Tensor y, Tensor g) {
        if (!y.shape.equals(shape) || !g.shape.equals(shape)) {
            throw new ShapeException("mulDerivative(" + op + "): x " + shape + ", y " + y.shape + ", g " + g.shape + " must match");
        }
        Tensor yy = y.to(dtype()), gg = g.to(dtype());
        Tensor out = empty(dtype(), shape);
        Backends.forOperands(this, yy, gg).mulDerivative(op, a, b, this, yy, gg, out);
        return out;
    }

    Tensor zip(BinaryOp op, Tensor other) {
        Shape s = Shape.broadcast(op.name().toLowerCase(java.util.Locale.ROOT), shape, other.shape);
        DType dt = DType.promote(dtype(), other.dtype());
        Tensor x = to(dt).broadcastTo(s), y = other.to(dt).broadcastTo(s);
        Tensor out = empty(dt, s);
        Backends.forOperands(x, y).zip(op, x, y, out);
        return out;
    }

    public Tensor neg() { return map(UnaryOp.NEG, 0, 0); }
    public Tensor abs() { return map(UnaryOp.ABS, 0, 0); }
    public Tensor exp() { return map(UnaryOp.EXP, 0, 0); }
    public Tensor log() { return map(UnaryOp.LOG, 0, 0); }
    public Tensor sqrt() { return map(UnaryOp.SQRT, 0, 0); }
    public Tensor rsqrt() { return map(UnaryOp.RSQRT, 0, 0); }
    public Tensor reciprocal() { return map(UnaryOp.RECIPROCAL, 0, 0); }
    public Tensor tanh() { return map(UnaryOp.TANH, 0, 0); }
    public Tensor sigmoid() { return map(UnaryOp.SIGMOID, 0, 0); }
    public Tensor relu() { return map(UnaryOp.RELU, 0, 0); }
    public Tensor leakyRelu(double slope) { return map(UnaryOp.LEAKY_RELU, slope, 0); }
    /** GELU, exact (erf) form. */
    public Tensor gelu() { return map(UnaryOp.GELU, 0, 0); }
    public Tensor silu() { return map(UnaryOp.SILU, 0, 0); }
    public Tensor erf() { return map(UnaryOp.ERF, 0, 0); }
    public Tensor sin() { return map(UnaryOp.SIN, 0, 0); }
    public Tensor cos() { return map(UnaryOp.COS, 0, 0); }
    public Tensor pow(double exponent) { return map(UnaryOp.POW, exponent, 0); }
    public Tensor square() { return zip(BinaryOp.MUL, this); }
    public Tensor clamp(double min, double max) {
        if (min > max) throw new IllegalArgumentException("clamp: min " + min + " > max " + max);
        return map(UnaryOp.CLAMP, min, max);
    }
    /** 1 where the element is finite, else 0. */
    public Tensor isFinite() { return map(UnaryOp.IS_FINITE, 0, 0); }

    public Tensor add(Tensor o) { return zip(BinaryOp.ADD, o); }
    public Tensor sub(Tensor o) { return zip(BinaryOp.SUB, o); }
    public Tensor mul(Tensor o) { return zip(BinaryOp.MUL, o); }
    public Tensor div(Tensor o) { return zip(BinaryOp.DIV, o); }
    public Tensor pow(Tensor o) { return zip(BinaryOp.POW, o); }
    public Tensor maximum(Tensor o) { return zip(BinaryOp.MAX, o); }
    public Tensor minimum(Tensor o) { return zip(BinaryOp.MIN, o); }
    public Tensor eq(Tensor o) { return zip(BinaryOp.EQ, o); }
    public Tensor ne(Tensor o) { return zip(BinaryOp.NE, o); }
    public Tensor lt(Tensor o) { return zip(BinaryOp.LT, o); }
    public Tensor le(Tensor o) { return zip(BinaryOp.LE, o); }
    public Tensor gt(Tensor o) { return zip(BinaryOp.GT, o); }
    public Tensor ge(Tensor o) { return zip(BinaryOp.GE, o); }

    public Tensor add(double s) { return map(UnaryOp.AFFINE, 1, s); }
    public Tensor sub(double s) { return map(UnaryOp.AFFINE, 1, -s); }
    public Tensor mul(double s) { return map(UnaryOp.AFFINE, s, 0); }
    public Tensor div(double s) { return map(UnaryOp.AFFINE, 1 / s, 0); }
    public Tensor gt(double s) { return zip(BinaryOp.GT, full(dtype(), Shape.scalar(), s)); }
    public Tensor lt(double s) { return zip(BinaryOp.LT, full(dtype(), Shape.scalar(), s)); }
    public Tensor ge(double s) { return zip(BinaryOp.GE, full(dtype(), Shape.scalar(), s)); }
    public Tensor le(double s) { return zip(BinaryOp.LE, full(dtype(), Shape.scalar(), s)); }

    /** {@code cond != 0 ? a : b}, all three broadcast together. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        Shape s = Shape.broadcast("where", Shape.broadcast("where", cond.shape, a.shape), b.shape);
        DType dt = DType.promote(a.dtype(), b.dtype());
        Tensor c = cond.broadcastTo(s), x = a.to(dt).broadcastTo(s), y = b.to(dt).broadcastTo(s);
        Tensor out = empty(dt, s);
        Backends.forOperands(c, x, y).where(c, x, y, out);
        return out;
    }

    // ---------------------------------------------------------------- reductions

    /** Sum over all elements, as a rank-0 tensor. */
    public Tensor sum() { return Reductions.reduce(this, ReduceOp.SUM, null, false); }

    /** Sum over {@code axes} (negative allowed); keepDim leaves them as size 1. */
    public Tensor sum(int[] axes, boolean keepDim) { return Reductions.reduce(this, ReduceOp.SUM, axes, keepDim); }

    public Tensor sum(int axis) { return sum(new int[] {axis}, false); }

    public Tensor mean() { return Reductions.mean(this, null, false); }

    public Tensor mean(int[] axes, boolean keepDim) { return Reductions.mean(this, axes, keepDim); }

    /** Largest element overall (NaN if any is NaN). */
    public Tensor max() { return Reductions.reduce(this, ReduceOp.MAX, null, false); }

    public Tensor max(int[] axes, boolean keepDim) { return Reductions.reduce(this, ReduceOp.MAX, axes, keepDim); }

    public Tensor min(int[] axes, boolean keepDim) { return Reductions.reduce(this, ReduceOp.MIN, axes, keepDim); }

    /** Index of the first maximum along {@code axis}, as integral floats. */
    public Tensor argmax(int axis, boolean keepDim) { return Reductions.argReduce(this, ReduceOp.MAX, axis, keepDim); }

    public Tensor argmin(int axis, boolean keepDim) { return Reductions.argReduce(this, ReduceOp.MIN, axis, keepDim); }

    /** Variance over {@code axes} with {@code correction} (1 for the unbiased estimate). */
    public Tensor var(int[] axes, boolean keepDim, int correction) { return Reductions.var(this, axes, keepDim, correction); }

    // ---------------------------------------------------------------- linear algebra, movement

    /** NumPy {@code matmul}: 1-D operands are promoted, batch dimensions broadcast. */
    public Tensor matmul(Tensor other) { return Linalg.matmul(this, other); }

    /** Concatenates along {@code dim}; all other sizes must agree. */
    public static Tensor concat(List<Tensor> parts, int dim) { return Movement.concat(parts, dim); }

    /** Stacks equal-shaped tensors along a new dimension {@code dim}. */
    public static Tensor stack(List<Tensor> parts, int dim) { return Movement.stack(parts, dim); }

    /** Views of consecutive pieces along {@code dim} with the given sizes (they must add up). */
    public List<Tensor> split(int[] sizes, int dim) { return Movement.split(this, sizes, dim); }

    /**
     * Constant padding; {@code pads} holds (before, after) pairs starting from the last
     * dimension, as {@code torch.nn.functional.pad}. Negative amounts crop.
     */
    public Tensor pad(int[] pads, double value) { return Movement.pad(this, pads, value); }

    /** {@code torch.gather}: {@code out[i][j][k] = this[i][index[i][j][k]][k]} for dim 1. */
    public Tensor gather(int dim, Tensor index) { return Movement.gather(this, dim, index); }

    /** Picks the entries {@code index} (1-D, integral) along {@code dim}. */
    public Tensor indexSelect(int dim, Tensor index) { return Movement.indexSelect(this, dim, index); }

    /** Adds {@code src} into a copy of this tensor at the positions {@code index} gives along {@code dim}. */
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) { return Movement.scatterAdd(this, dim, index, src); }

    /** A copy of this tensor whose {@code slice(dim, start, end, step)} is replaced by {@code src}. */
    public Tensor sliceScatter(Tensor src, int dim, int start, int end, int step) { return Movement.sliceScatter(this, src, dim, start, end, step); }

    // ---------------------------------------------------------------- comparison, printing

    /** Same shape and every |a - b| <= atol + rtol * |b| (NaNs equal only to NaNs). */
    public boolean allClose(Tensor other, double rtol, double atol) {
        if (!shape.equals(other.shape)) return false;
        for (int i = 0; i < numel(); i++) {
            double a = storage.getDouble(storageIndex(i)), b = other.storage.getDouble(other.storageIndex(i));
            if (Double.isNaN(a) || Double.isNaN(b)) {
                if (!(Double.isNaN(a) && Double.isNaN(b))) return false;
            } else if (a != b && !(Math.abs(a - b) <= atol + rtol * Math.abs(b))) {
                return false;
            }
        }
        return true;
    }

    /** The backend that runs ops on this tensor. */
    public Backend backend() {
        return Backends.forOperands(this);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(shape).append(' ').append(dtype()).append(' ');
        int n = Math.min(numel(), 8);
        sb.append('[');
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(", ");
            sb.append((float) storage.getDouble(storageIndex(i)));
        }
        if (numel() > n) sb.append(", ...");
        return sb.append(']').toString();
    }
}
