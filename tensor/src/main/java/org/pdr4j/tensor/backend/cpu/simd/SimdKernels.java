package org.pdr4j.tensor.backend.cpu.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.pdr4j.tensor.backend.BinaryOp;
import org.pdr4j.tensor.backend.UnaryOp;

/**
 * Vector API loops over one row of float32 data. Strides are in elements; a row whose inputs
 * have stride 1 (or 0, for a broadcast scalar) runs in vectors, any other stride element by
 * element. Every result must equal {@link UnaryOp#apply}/{@link BinaryOp#apply} to float
 * rounding (transcendentals to a few ulp).
 */
public final class SimdKernels {
    private SimdKernels() {}

    private static final VectorSpecies<Float> F = SimdSpecies.F;
    private static final int L = SimdSpecies.LANES;

    /** {@code o[oo + i] = op(x[xo + i*xs])} for i in [0, n); o has stride 1. */
    public static void unary(UnaryOp op, float a, float b, float[] x, int xo, int xs, float[] o, int oo, int n) {
        if (xs == 1) {
            // The transcendentals get a loop each, the function a constant in it: a loop shared
            // through a lambda is profiled megamorphic, not inlined, and boxes every vector (5x slower).
            switch (op) {
                case EXP -> { expLoop(x, xo, o, oo, n); return; }
                case SIGMOID -> { sigmoidLoop(x, xo, o, oo, n); return; }
                case SILU -> { siluLoop(x, xo, o, oo, n); return; }
                case TANH -> { tanhLoop(x, xo, o, oo, n); return; }
                case GELU -> { geluLoop(x, xo, o, oo, n); return; }
                case ERF -> { erfLoop(x, xo, o, oo, n); return; }
                default -> { }
            }
        }
        int i = 0;
        if (xs == 1 && vectorised(op)) {
            for (int bound = F.loopBound(n); i < bound; i += L) {
                unaryVec(op, a, b, FloatVector.fromArray(F, x, xo + i)).intoArray(o, oo + i);
            }
            if (i < n) {
                VectorMask<Float> m = F.indexInRange(i, n);
                unaryVec(op, a, b, FloatVector.fromArray(F, x, xo + i, m)).intoArray(o, oo + i, m);
                return;
            }
        }
        for (; i < n; i++) o[oo + i] = unaryScalar(op, a, b, x[xo + i * xs]);
    }

    private static void expLoop(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (int e = F.loopBound(n); i < e; i += L) SimdMath.exp(FloatVector.fromArray(F, x, xo + i)).intoArray(o, oo + i);
        if (i < n) SimdMath.exp(FloatVector.fromArray(F, x, xo + i, F.indexInRange(i, n))).intoArray(o, oo + i, F.indexInRange(i, n));
    }

    private static void sigmoidLoop(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (int e = F.loopBound(n); i < e; i += L) SimdMath.sigmoid(FloatVector.fromArray(F, x, xo + i)).intoArray(o, oo + i);
        if (i < n) SimdMath.sigmoid(FloatVector.fromArray(F, x, xo + i, F.indexInRange(i, n))).intoArray(o, oo + i, F.indexInRange(i, n));
    }

    private static void siluLoop(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (int e = F.loopBound(n); i < e; i += L) SimdMath.silu(FloatVector.fromArray(F, x, xo + i)).intoArray(o, oo + i);
        if (i < n) SimdMath.silu(FloatVector.fromArray(F, x, xo + i, F.indexInRange(i, n))).intoArray(o, oo + i, F.indexInRange(i, n));
    }

    private static void tanhLoop(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (int e = F.loopBound(n); i < e; i += L) SimdMath.tanh(FloatVector.fromArray(F, x, xo + i)).intoArray(o, oo + i);
        if (i < n) SimdMath.tanh(FloatVector.fromArray(F, x, xo + i, F.indexInRange(i, n))).intoArray(o, oo + i, F.indexInRange(i, n));
    }

    private static void geluLoop(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (int e = F.loopBound(n); i < e; i += L) SimdMath.gelu(FloatVector.fromArray(F, x, xo + i)).intoArray(o, oo + i);
        if (i < n) SimdMath.gelu(FloatVector.fromArray(F, x, xo + i, F.indexInRange(i, n))).intoArray(o, oo + i, F.indexInRange(i, n));
    }

    private static void erfLoop(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (int e = F.loopBound(n); i < e; i += L) SimdMath.erf(FloatVector.fromArray(F, x, xo + i)).intoArray(o, oo + i);
        if (i < n) SimdMath.erf(FloatVector.fromArray(F, x, xo + i, F.indexInRange(i, n))).intoArray(o, oo + i, F.indexInRange(i, n));
    }

    /**
     * {@code o[oo + i] = g[go + i] * op'(x[xo + i])} with {@code y = op(x)}, all stride 1: the
     * backward of the activations in one pass instead of a chain of temporaries. One loop per
     * op, as in {@link #unary}.
     */
    public static void mulDerivative(UnaryOp op, float a, float b, float[] x, int xo, float[] y, int yo, float[] g, int go,
                                     float[] o, int oo, int n) {
        int i = 0, e = F.loopBound(n);
        switch (op) {
            case SILU -> {
                for (; i < e; i += L) {
                    FloatVector vx = FloatVector.fromArray(F, x, xo + i), vg = FloatVector.fromArray(F, g, go + i);
                    vg.mul(SimdMath.siluDerivative(vx)).intoArray(o, oo + i);
                }
            }
            case GELU -> {
                for (; i < e; i += L) {
                    FloatVector vx = FloatVector.fromArray(F, x, xo + i), vg = FloatVector.fromArray(F, g, go + i);
                    vg.mul(SimdMath.geluDerivative(vx)).intoArray(o, oo + i);
                }
            }
            case SIGMOID -> {
                for (; i < e; i += L) {
                    FloatVector vy = FloatVector.fromArray(F, y, yo + i), vg = FloatVector.fromArray(F, g, go + i);
                    vg.mul(vy.sub(vy.mul(vy))).intoArray(o, oo + i);
                }
            }
            case TANH -> {
                for (; i < e; i += L) {
                    FloatVector vy = FloatVector.fromArray(F, y, yo + i), vg = FloatVector.fromArray(F, g, go + i);
                    vg.sub(vg.mul(vy.mul(vy))).intoArray(o, oo + i);
                }
            }
            default -> { }
        }
        // Other ops, and the tails: the derivative's scalar definition.
        for (; i < n; i++) o[oo + i] = mulDerivativeScalar(op, a, b, x[xo + i], y[yo + i], g[go + i]);
    }

    /** The scalar {@link #mulDerivative}, through the double-precision definition. */
    public static float mulDerivativeScalar(UnaryOp op, float a, float b, float x, float y, float g) {
        return switch (op) {
            case RELU -> x > 0 ? g : 0f;
            case NEG -> -g;
            case AFFINE -> g * a;
            default -> (float) (g * op.derivative(x, y, a, b));
        };
    }

    private static boolean vectorised(UnaryOp op) {
        return switch (op) {
            case POW, IS_FINITE -> false;
            default -> true;
        };
    }

    private static FloatVector unaryVec(UnaryOp op, float a, float b, FloatVector v) {
        return switch (op) {
            case NEG -> v.neg();
            case ABS -> v.abs();
            case LOG -> v.lanewise(VectorOperators.LOG);
            case SQRT -> v.sqrt();
            case RSQRT -> FloatVector.broadcast(F, 1f).div(v.sqrt());
            case RECIPROCAL -> FloatVector.broadcast(F, 1f).div(v);
            case RELU -> v.max(0f);
            case LEAKY_RELU -> v.blend(v.mul(a), v.compare(VectorOperators.LE, 0f));
            case SIN -> v.lanewise(VectorOperators.SIN);
            case COS -> v.lanewise(VectorOperators.COS);
            case CLAMP -> v.max(a).min(b); // Math.max/min semantics: NaN stays NaN
            case AFFINE -> v.fma(a, b);
            // The transcendentals have their own loops in unary(); POW and IS_FINITE run scalar.
            case EXP, TANH, SIGMOID, GELU, ERF, SILU, POW, IS_FINITE -> throw new AssertionError(op);
        };
    }

    /** The scalar float version of each op, for strided rows and tails. */
    public static float unaryScalar(UnaryOp op, float a, float b, float x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SQRT -> (float) Math.sqrt(x);
            case RELU -> Math.max(x, 0f);
            case AFFINE -> Math.fma(a, x, b);
            case CLAMP -> Float.isNaN(x) ? x : Math.min(Math.max(x, a), b);
            case LEAKY_RELU -> x > 0 ? x : a * x;
            default -> (float) op.apply(x, a, b);
        };
    }

    /**
     * {@code o[oo + i] = op(x[xo + i*xs], y[yo + i*ys])}; o has stride 1. Strides of 0 and 1
     * run in vectors (0 is a broadcast operand).
     */
    public static void binary(BinaryOp op, float[] x, int xo, int xs, float[] y, int yo, int ys, float[] o, int oo, int n) {
        int i = 0;
        if ((xs == 1 || xs == 0) && (ys == 1 || ys == 0) && op != BinaryOp.POW) {
            FloatVector xb = xs == 0 ? FloatVector.broadcast(F, x[xo]) : null;
            FloatVector yb = ys == 0 ? FloatVector.broadcast(F, y[yo]) : null;
            for (int bound = F.loopBound(n); i < bound; i += L) {
                FloatVector vx = xb != null ? xb : FloatVector.fromArray(F, x, xo + i);
                FloatVector vy = yb != null ? yb : FloatVector.fromArray(F, y, yo + i);
                binaryVec(op, vx, vy).intoArray(o, oo + i);
            }
        }
        for (; i < n; i++) o[oo + i] = binaryScalar(op, x[xo + i * xs], y[yo + i * ys]);
    }

    private static FloatVector binaryVec(BinaryOp op, FloatVector x, FloatVector y) {
        FloatVector one = FloatVector.broadcast(F, 1f), zero = FloatVector.zero(F);
        return switch (op) {
            case ADD -> x.add(y);
            case SUB -> x.sub(y);
            case MUL -> x.mul(y);
            case DIV -> x.div(y);
            case MAX -> x.max(y);
            case MIN -> x.min(y);
            case EQ -> zero.blend(one, x.compare(VectorOperators.EQ, y));
            case NE -> zero.blend(one, x.compare(VectorOperators.NE, y));
            case LT -> zero.blend(one, x.compare(VectorOperators.LT, y));
            case LE -> zero.blend(one, x.compare(VectorOperators.LE, y));
            case GT -> zero.blend(one, x.compare(VectorOperators.GT, y));
            case GE -> zero.blend(one, x.compare(VectorOperators.GE, y));
            case POW -> throw new AssertionError(op);
        };
    }

    public static float binaryScalar(BinaryOp op, float x, float y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case MAX -> Math.max(x, y);
            case MIN -> Math.min(x, y);
            default -> (float) op.apply(x, y);
        };
    }

    /**
     * Sum of {@code n} elements from {@code x[xo]} with stride 1, in a fixed order: four vector
     * accumulators, combined pairwise, then the tail. Same input, same bits.
     */
    public static float sum(float[] x, int xo, int n) {
        FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        for (int bound = n - 4 * L; i <= bound; i += 4 * L) {
            s0 = s0.add(FloatVector.fromArray(F, x, xo + i));
            s1 = s1.add(FloatVector.fromArray(F, x, xo + i + L));
            s2 = s2.add(FloatVector.fromArray(F, x, xo + i + 2 * L));
            s3 = s3.add(FloatVector.fromArray(F, x, xo + i + 3 * L));
        }
        for (int bound = F.loopBound(n); i < bound; i += L) s0 = s0.add(FloatVector.fromArray(F, x, xo + i));
        float s = SimdReduce.sum(s0.add(s1).add(s2.add(s3)));
        for (; i < n; i++) s += x[xo + i];
        return s;
    }

    /** Max (MAX) or min (otherwise) of n >= 1 contiguous elements; NaN if any is NaN. */
    public static float extreme(boolean max, float[] x, int xo, int n) {
        int i = 0;
        float r = max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        if (n >= L) {
            FloatVector acc = FloatVector.broadcast(F, r);
            for (int bound = F.loopBound(n); i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(F, x, xo + i);
                acc = max ? acc.max(v) : acc.min(v);
            }
            r = acc.reduceLanes(max ? VectorOperators.MAX : VectorOperators.MIN);
            if (acc.test(VectorOperators.IS_NAN).anyTrue()) return Float.NaN;
        }
        for (; i < n; i++) r = max ? Math.max(r, x[xo + i]) : Math.min(r, x[xo + i]);
        return r;
    }

    /** {@code acc[ao + i] (op)= x[xo + i]} for i in [0, n): the column-wise step of a reduction. */
    public static void accumulate(int kind, float[] acc, int ao, float[] x, int xo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector a = FloatVector.fromArray(F, acc, ao + i), v = FloatVector.fromArray(F, x, xo + i);
            (kind == 0 ? a.add(v) : kind == 1 ? a.max(v) : a.min(v)).intoArray(acc, ao + i);
        }
        for (; i < n; i++) {
            float a = acc[ao + i], v = x[xo + i];
            acc[ao + i] = kind == 0 ? a + v : kind == 1 ? Math.max(a, v) : Math.min(a, v);
        }
    }
}
