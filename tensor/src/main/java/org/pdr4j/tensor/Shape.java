package org.pdr4j.tensor;

import java.util.Arrays;

/** An immutable list of dimension sizes. Printed as {@code [2, 3]}. */
public final class Shape {
    private static final Shape SCALAR = new Shape(new int[0]);
    private final int[] dims;
    private final long numel;

    private Shape(int[] dims) {
        long n = 1;
        for (int d : dims) {
            if (d < 0) throw new ShapeException("negative dimension in " + Arrays.toString(dims));
            n *= d;
            if (n > Integer.MAX_VALUE && Arrays.stream(dims).noneMatch(z -> z == 0)) throw new ShapeException("shape " + Arrays.toString(dims) + " has more than 2^31-1 elements");
        }
        this.dims = dims;
        this.numel = n;
    }

    /** A shape with the given sizes (copied). */
    public static Shape of(int... dims) {
        return dims.length == 0 ? SCALAR : new Shape(dims.clone());
    }

    /** The rank-0 shape of a scalar. */
    public static Shape scalar() {
        return SCALAR;
    }

    public int rank() {
        return dims.length;
    }

    /** Size of dimension {@code i}; negative {@code i} counts from the end. */
    public int dim(int i) {
        return dims[axis(i, dims.length, "dim")];
    }

    public int numel() {
        return (int) numel;
    }

    /** A copy of the sizes. */
    public int[] toArray() {
        return dims.clone();
    }

    /** Row-major (C order) strides of a contiguous tensor of this shape. */
    public int[] contiguousStrides() {
        int[] s = new int[dims.length];
        int acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= Math.max(dims[i], 1);
        }
        return s;
    }

    /** This shape with dimension {@code axis} replaced by {@code size}. */
    public Shape with(int axis, int size) {
        int[] d = dims.clone();
        d[axis(axis, d.length, "with")] = size;
        return new Shape(d);
    }

    /** This shape with the given axes set to 1 (keepdim) or removed. */
    public Shape reduced(boolean[] reducedAxes, boolean keepDim) {
        int[] out = new int[dims.length];
        int r = 0;
        for (int i = 0; i < dims.length; i++) {
            if (!reducedAxes[i]) out[r++] = dims[i];
            else if (keepDim) out[r++] = 1;
        }
        return new Shape(Arrays.copyOf(out, r));
    }

    /**
     * The NumPy broadcast of two shapes: aligned at the trailing dimension, sizes equal or 1.
     *
     * @throws ShapeException naming {@code op} and both shapes when they do not broadcast
     */
    public static Shape broadcast(String op, Shape a, Shape b) {
        if (a.equals(b)) return a;
        int r = Math.max(a.rank(), b.rank());
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.rank() ? 1 : a.dims[i - (r - a.rank())];
            int db = i < r - b.rank() ? 1 : b.dims[i - (r - b.rank())];
            if (da != db && da != 1 && db != 1) {
                throw new ShapeException(op + ": cannot broadcast " + a + " with " + b);
            }
            out[i] = da == 1 ? db : da;
        }
        return new Shape(out);
    }

    /**
     * Normalises a possibly negative axis against {@code rank}.
     *
     * @throws ShapeException naming {@code op} when the axis is out of range
     */
    public static int axis(int axis, int rank, String op) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new ShapeException(op + ": axis " + axis + " out of range for rank " + rank);
        }
        return a;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(dims[i]);
        }
        return sb.append(']').toString();
    }
}
