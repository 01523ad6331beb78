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
            case EXP -> v.lanewise(VectorOperators.EXP);
            case LOG -> v.lanewise(VectorOperators.LOG);
            case SQRT -> v.sqrt();
            case RSQRT -> FloatVector.broadcast(F, 1f).div(v.sqrt());
            case RECIPROCAL -> FloatVector.broadcast(F, 1f).div(v);
            case TANH -> v.lanewise(VectorOperators.TANH);
            case SIGMOID -> sigmoid(v);
            case RELU -> v.max(0f);
            case LEAKY_RELU -> v.blend(v.mul(a), v.compare(VectorOperators.LE, 0f));
            case GELU -> v.mul(0.5f).mul(erf(v.mul(INV_SQRT2)).add(1f));
            case ERF -> erf(v);
            case SILU -> v.mul(sigmoid(v));
            case SIN -> v.lanewise(VectorOperators.SIN);
            case COS -> v.lanewise(VectorOperators.COS);
            case CLAMP -> v.max(a).min(b); // Math.max/min semantics: NaN stays NaN
            case AFFINE -> v.fma(a, b);
            case POW, IS_FINITE -> throw new AssertionError(op);
        };
    }

    private static FloatVector sigmoid(FloatVector v) {
        return FloatVector.broadcast(F, 1f).div(v.neg().lanewise(VectorOperators.EXP).add(1f));
    }

    // Abramowitz-Stegun 7.1.26 for erf: |error| < 1.5e-7, below float32 resolution near 1.
    private static final float P = 0.3275911f, A1 = 0.254829592f, A2 = -0.284496736f, A3 = 1.421413741f,
            A4 = -1.453152027f, A5 = 1.061405429f;

    private static FloatVector erf(FloatVector x) {
        FloatVector z = x.abs();
        FloatVector t = FloatVector.broadcast(F, 1f).div(z.fma(P, 1f));
        FloatVector poly = t.fma(A5, A4).mul(t).add(A3).mul(t).add(A2).mul(t).add(A1).mul(t);
        FloatVector erfAbs = FloatVector.broadcast(F, 1f).sub(poly.mul(z.mul(z).neg().lanewise(VectorOperators.EXP)));
        FloatVector far = erfAbs.blend(erfAbs.neg(), x.compare(VectorOperators.LT, 0f));
        // Near 0 the formula above cancels (absolute, not relative, accuracy): use the series.
        FloatVector x2 = x.mul(x);
        FloatVector series = x2.fma(S6, S5).fma(x2, FloatVector.broadcast(F, S4)).fma(x2, FloatVector.broadcast(F, S3))
                .fma(x2, FloatVector.broadcast(F, S2)).fma(x2, FloatVector.broadcast(F, S1)).mul(x);
        return far.blend(series, z.compare(VectorOperators.LT, 0.5f));
    }

    private static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));
    // erf(x) = 2/sqrt(pi) * (x - x^3/3 + x^5/10 - x^7/42 + x^9/216 - x^11/1320 ...), error < 2e-8 below 0.5.
    private static final double C = 2 / Math.sqrt(Math.PI);
    private static final float S1 = (float) C, S2 = (float) (-C / 3), S3 = (float) (C / 10), S4 = (float) (-C / 42),
            S5 = (float) (C / 216), S6 = (float) (-C / 1320);

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
