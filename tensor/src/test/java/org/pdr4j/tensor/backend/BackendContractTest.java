package org.pdr4j.tensor.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.Tensor;

/**
 * Every backend must agree with the scalar reference on every primitive, for lengths that
 * leave partly filled vector tails (1, 7, 13, 4099), on contiguous, permuted, sliced and
 * broadcast operands. Subclasses name the backend under test.
 */
public abstract class BackendContractTest {
    protected abstract Backend backend();

    static Stream<Integer> lengths() {
        return Stream.of(1, 7, 13, 4099);
    }

    /** Operand layouts: the same values seen contiguously, transposed, with a step, broadcast. */
    enum Layout { CONTIGUOUS, TRANSPOSED, STEPPED, BROADCAST }

    static Stream<Arguments> cases() {
        return lengths().flatMap(n -> Stream.of(Layout.values()).map(l -> Arguments.of(n, l)));
    }

    /** A [3, n] operand in the given layout (values from a seeded generator). */
    static Tensor operand(int n, Layout layout, long seed, double lo, double hi) {
        return switch (layout) {
            case CONTIGUOUS -> Tensor.rand(seed, 3, n).mul(hi - lo).add(lo);
            case TRANSPOSED -> Tensor.rand(seed, n, 3).mul(hi - lo).add(lo).transpose(0, 1);
            case STEPPED -> Tensor.rand(seed, 3, 2 * n + 1).mul(hi - lo).add(lo).slice(1, 1, 2 * n + 1, 2);
            case BROADCAST -> Tensor.rand(seed, 3, 1).mul(hi - lo).add(lo).expand(3, n);
        };
    }

    static void assertClose(Tensor expected, Tensor actual, double tol, String what) {
        assertEquals(expected.shape(), actual.shape(), what);
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            if (Double.isNaN(e[i]) && Double.isNaN(a[i])) continue;
            double err = Math.abs(e[i] - a[i]);
            if (!(err <= tol * Math.max(1, Math.abs(e[i])))) {
                fail(what + ": element " + i + " expected " + e[i] + " got " + a[i] + " (tol " + tol + ")");
            }
        }
    }

    /** The reference result in F32 storage: what a float32 backend should produce. */
    private static Tensor refOut(Shape s) {
        return Tensor.zeros(DType.F32, s);
    }

    private static double unaryTolerance(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, RELU, CLAMP, IS_FINITE -> 0;
            case LEAKY_RELU, AFFINE -> 2.4e-7; // float parameters and fma rounding: 2 ulp
            case SQRT, RSQRT, RECIPROCAL -> 3e-7;
            default -> 2e-6; // transcendentals (SVML) and the erf approximation
        };
    }

    @ParameterizedTest(name = "n={0} {1}")
    @MethodSource("cases")
    void unaryMatchesReference(int n, Layout layout) {
        for (UnaryOp op : UnaryOp.values()) {
            boolean positive = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RSQRT || op == UnaryOp.POW;
            Tensor x = operand(n, layout, 11, positive ? 0.1 : -3, 3);
            double a = op == UnaryOp.CLAMP ? -0.5 : op == UnaryOp.POW ? 1.7 : 0.3, b = op == UnaryOp.CLAMP ? 0.8 : 0.2;
            Tensor want = refOut(x.shape()), got = refOut(x.shape());
            Backends.ref().map(op, a, b, x, want);
            backend().map(op, a, b, x, got);
            assertClose(want, got, unaryTolerance(op), op + " n=" + n + " " + layout);
        }
    }

    @ParameterizedTest(name = "n={0} {1}")
    @MethodSource("cases")
    void mulDerivativeMatchesReference(int n, Layout layout) {
        for (UnaryOp op : UnaryOp.values()) {
            if (op == UnaryOp.IS_FINITE) continue;
            boolean positive = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RSQRT || op == UnaryOp.POW;
            Tensor x = operand(n, layout, 12, positive ? 0.1 : -3, 3);
            Tensor g = operand(n, Layout.values()[(layout.ordinal() + 1) % 4], 13, -2, 2);
            double a = op == UnaryOp.CLAMP ? -0.5 : op == UnaryOp.POW ? 1.7 : 0.3, b = op == UnaryOp.CLAMP ? 0.8 : 0.2;
            Tensor y = refOut(x.shape());
            Backends.ref().map(op, a, b, x, y);
            Tensor want = refOut(x.shape()), got = refOut(x.shape());
            Backends.ref().mulDerivative(op, a, b, x, y, g, want);
            backend().mulDerivative(op, a, b, x, y, g, got);
            assertClose(want, got, unaryTolerance(op), "d" + op + " n=" + n + " " + layout);
        }
    }

    @Test
    void permutingCopiesMatchReference() {
        // pixel shuffle's permutation: the destination's innermost dim (2) is short, the source's
        // unit-stride dim (37) sits elsewhere
        Tensor x = Tensor.rand(5, 2, 3, 2, 2, 5, 37);
        for (int[] perm : new int[][] {{0, 1, 4, 2, 5, 3}, {0, 1, 3, 5, 2, 4}, {5, 4, 3, 2, 1, 0}}) {
            Tensor p = x.permute(perm);
            Tensor want = refOut(p.shape()), got = refOut(p.shape());
            Backends.ref().copy(p, want);
            backend().copy(p, got);
            assertClose(want, got, 0, "copy of permute " + java.util.Arrays.toString(perm));
        }
    }

    @Test
    void transcendentalsHoldAtTheEdgesOfTheFloatRange() {
        float[] xs = {0f, -0f, 1e-30f, -1e-30f, 1e-6f, 0.62f, 0.63f, -0.63f, 5f, 20f, -20f, 80f, 88.7f, 88.8f, 1000f,
                -87f, -100f, -104f, -1000f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        Tensor x = Tensor.of(xs, xs.length);
        for (UnaryOp op : new UnaryOp[] {UnaryOp.EXP, UnaryOp.TANH, UnaryOp.SIGMOID, UnaryOp.SILU, UnaryOp.GELU, UnaryOp.ERF}) {
            Tensor want = refOut(x.shape()), got = refOut(x.shape());
            Backends.ref().map(op, 0, 0, x, want);
            backend().map(op, 0, 0, x, got);
            for (int i = 0; i < xs.length; i++) {
                double e = want.get(i), v = got.get(i);
                if (Double.isNaN(e) || Double.isInfinite(e)) {
                    assertEquals(e, v, op + "(" + xs[i] + ")");
                } else if (Math.abs(e) < Float.MIN_NORMAL) {
                    assertEquals(e, v, 1e-38, op + "(" + xs[i] + ")"); // below normal floats: near 0 is enough
                } else {
                    // erf's approximation is absolute; the rest is a few ulp of the result.
                    double tol = op == UnaryOp.ERF || op == UnaryOp.GELU ? 2e-6 * Math.max(1, Math.abs(e)) : 4 * Math.ulp((float) e);
                    assertEquals(e, v, tol, op + "(" + xs[i] + ")");
                }
            }
        }
    }

    @ParameterizedTest(name = "n={0} {1}")
    @MethodSource("cases")
    void binaryMatchesReference(int n, Layout layout) {
        for (BinaryOp op : BinaryOp.values()) {
            Tensor x = operand(n, layout, 21, op == BinaryOp.POW ? 0.1 : -2, 2);
            Tensor y = operand(n, Layout.values()[(layout.ordinal() + 1) % 4], 22, op == BinaryOp.DIV || op == BinaryOp.POW ? 0.5 : -2, 2);
            Tensor want = refOut(x.shape()), got = refOut(x.shape());
            Backends.ref().zip(op, x, y, want);
            backend().zip(op, x, y, got);
            assertClose(want, got, op == BinaryOp.POW ? 2e-6 : 1e-7, op + " n=" + n + " " + layout);
        }
    }

    @ParameterizedTest(name = "n={0} {1}")
    @MethodSource("cases")
    void whereCopyFillMatchReference(int n, Layout layout) {
        Tensor c = operand(n, layout, 31, -1, 1).gt(0), x = operand(n, layout, 32, -1, 1), y = operand(n, Layout.BROADCAST, 33, -1, 1);
        Tensor want = refOut(x.shape()), got = refOut(x.shape());
        Backends.ref().where(c, x, y, want);
        backend().where(c, x, y, got);
        assertClose(want, got, 0, "where");
        Tensor dst = Tensor.zeros(n, 3).transpose(0, 1);
        backend().copy(x, dst);
        assertClose(x, dst, 0, "copy into a transposed view");
        backend().fill(dst.slice(1, 0, n, 2), 7);
        assertEquals(7.0, dst.get(2, 0));
    }

    @ParameterizedTest(name = "n={0} {1}")
    @MethodSource("cases")
    void reductionsMatchReference(int n, Layout layout) {
        Tensor x = operand(n, layout, 41, -1, 1);
        for (ReduceOp op : ReduceOp.values()) {
            for (boolean[] axes : new boolean[][] {{true, false}, {false, true}, {true, true}}) {
                Shape s = x.shape().reduced(axes, true);
                Tensor want = refOut(s), got = refOut(s);
                Backends.ref().reduce(op, x, axes, want);
                backend().reduce(op, x, axes, got);
                // Float summation order differs from the double reference: error grows with length.
                double tol = op == ReduceOp.SUM ? 1e-6 * Math.sqrt(3.0 * n) + 1e-6 : 0;
                assertClose(want, got, tol, op + " over " + java.util.Arrays.toString(axes) + " n=" + n + " " + layout);
            }
        }
    }

    @ParameterizedTest(name = "n={0}")
    @MethodSource("lengths")
    void matmulMatchesReference(int n) {
        int m = Math.min(n, 33), k = Math.min(n, 129);
        Tensor a = Tensor.randn(51, 2, m, k), b = Tensor.randn(52, 2, n, k).transpose(1, 2);
        Tensor want = refOut(Shape.of(2, m, n)), got = refOut(Shape.of(2, m, n));
        Backends.ref().matmul(a, b, want);
        backend().matmul(a, b, got);
        assertClose(want, got, 2e-6 * Math.sqrt(k) * 4, "matmul m=" + m + " n=" + n + " k=" + k);
        // A broadcast batch (stride 0) reads one matrix for every batch entry.
        Tensor a0 = Tensor.randn(53, 1, m, k).expand(2, m, k);
        Backends.ref().matmul(a0, b, want);
        backend().matmul(a0, b, got);
        assertClose(want, got, 2e-6 * Math.sqrt(k) * 4, "matmul broadcast batch");
    }
}
