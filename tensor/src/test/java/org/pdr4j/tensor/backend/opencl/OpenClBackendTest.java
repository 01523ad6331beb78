package org.pdr4j.tensor.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.backend.Backend;
import org.pdr4j.tensor.backend.Backends;
import org.pdr4j.tensor.backend.BinaryOp;
import org.pdr4j.tensor.backend.ReduceOp;
import org.pdr4j.tensor.backend.UnaryOp;
import org.pdr4j.tensor.backend.cpu.CpuBackend;

/**
 * The OpenCL backend against the CPU backend on odd rank-3 and rank-4 shapes: permuted,
 * stepped and broadcast inputs, non-contiguous outputs, every reduction axis set, NaN, empty
 * and rank-0 tensors, and the Backends registry. Tolerances are the contract suite's.
 */
class OpenClBackendTest {
    private static Backend opencl;
    private static final Backend CPU = new CpuBackend();

    @BeforeAll
    static void device() {
        opencl = new OpenClBackend(OpenClTestSupport.requireDevice());
    }

    static void assertClose(Tensor expected, Tensor actual, double tol, String what) {
        assertEquals(expected.shape(), actual.shape(), what);
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            if (Double.isNaN(e[i]) && Double.isNaN(a[i]) || e[i] == a[i]) continue;
            if (!(Math.abs(e[i] - a[i]) <= tol * Math.max(1, Math.abs(e[i])))) {
                fail(what + ": element " + i + " expected " + e[i] + " got " + a[i] + " (tol " + tol + ")");
            }
        }
    }

    /** [3, 5, 7] seen through a permutation of a [7, 3, 5] tensor. */
    static Tensor permuted(long seed, double lo, double hi) {
        return Tensor.rand(seed, 7, 3, 5).mul(hi - lo).add(lo).permute(1, 2, 0);
    }

    /** [3, 5, 7] taking every other element of a [3, 5, 15] tensor, from index 1. */
    static Tensor stepped(long seed, double lo, double hi) {
        return Tensor.rand(seed, 3, 5, 15).mul(hi - lo).add(lo).slice(2, 1, 15, 2);
    }

    /** [3, 5, 7] broadcast from [1, 5, 1]. */
    static Tensor broadcast(long seed, double lo, double hi) {
        return Tensor.rand(seed, 1, 5, 1).mul(hi - lo).add(lo).expand(3, 5, 7);
    }

    /** A [3, 5, 7] output that is a transposed view. */
    static Tensor transposedOut() {
        return Tensor.zeros(3, 7, 5).transpose(1, 2);
    }

    static double unaryTolerance(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, RELU, CLAMP, IS_FINITE -> 0;
            case LEAKY_RELU, AFFINE -> 2.4e-7;
            case SQRT, RSQRT, RECIPROCAL -> 3e-7;
            default -> 2e-6;
        };
    }

    @Test
    void elementwiseOpsOnStridedViewsMatchCpu() {
        for (UnaryOp op : UnaryOp.values()) {
            boolean positive = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RSQRT || op == UnaryOp.POW;
            double lo = positive ? 0.1 : -3, a = op == UnaryOp.CLAMP ? -0.5 : op == UnaryOp.POW ? 1.7 : 0.3, b = op == UnaryOp.CLAMP ? 0.8 : 0.2;
            for (Tensor x : new Tensor[] {permuted(1, lo, 3), stepped(2, lo, 3), broadcast(3, lo, 3)}) {
                Tensor want = Tensor.zeros(3, 5, 7), got = transposedOut();
                CPU.map(op, a, b, x, want);
                opencl.map(op, a, b, x, got);
                assertClose(want, got, unaryTolerance(op), op.toString());
                if (op == UnaryOp.IS_FINITE) continue;
                Tensor y = Tensor.zeros(3, 5, 7), g = stepped(4, -2, 2);
                CPU.map(op, a, b, x, y);
                Tensor dwant = Tensor.zeros(3, 5, 7), dgot = Tensor.zeros(3, 5, 7);
                CPU.mulDerivative(op, a, b, x, y, g, dwant);
                opencl.mulDerivative(op, a, b, x, y.transpose(0, 1).contiguous().transpose(0, 1), g, dgot);
                assertClose(dwant, dgot, unaryTolerance(op), "d" + op);
            }
        }
        assertThrows(UnsupportedOperationException.class,
                () -> opencl.mulDerivative(UnaryOp.IS_FINITE, 0, 0, Tensor.ones(2), Tensor.ones(2), Tensor.ones(2), Tensor.zeros(2)));
        for (BinaryOp op : BinaryOp.values()) {
            Tensor x = permuted(5, op == BinaryOp.POW ? 0.1 : -2, 2), y = broadcast(6, op == BinaryOp.DIV || op == BinaryOp.POW ? 0.5 : -2, 2);
            for (Tensor[] xy : new Tensor[][] {{x, y}, {y, x}, {x, x}, {stepped(7, 0.5, 2), x}}) {
                Tensor want = Tensor.zeros(3, 5, 7), got = transposedOut();
                CPU.zip(op, xy[0], xy[1], want);
                opencl.zip(op, xy[0], xy[1], got);
                assertClose(want, got, op == BinaryOp.POW ? 2e-6 : 1e-7, op.toString());
            }
        }
        Tensor c = stepped(8, -1, 1).gt(0), want = Tensor.zeros(3, 5, 7), got = transposedOut();
        CPU.where(c, permuted(9, -1, 1), broadcast(10, -1, 1), want);
        opencl.where(c, permuted(9, -1, 1), broadcast(10, -1, 1), got);
        assertClose(want, got, 0, "where");
    }

    @Test
    void nanAndInfinitiesBehaveAsOnCpu() {
        float nan = Float.NaN, inf = Float.POSITIVE_INFINITY;
        Tensor x = Tensor.of(new float[] {nan, 1, -inf, 0, inf, -2, nan}, 7), y = Tensor.of(new float[] {0, nan, 3, -0f, 1, -inf, nan}, 7);
        for (BinaryOp op : BinaryOp.values()) {
            if (op == BinaryOp.POW) continue; // Math.pow and C pow differ on NaN/inf corner cases; not part of the contract
            Tensor want = Tensor.zeros(7), got = Tensor.zeros(7);
            CPU.zip(op, x, y, want);
            opencl.zip(op, x, y, got);
            assertClose(want, got, 0, op + " with NaN/inf");
        }
        for (UnaryOp op : new UnaryOp[] {UnaryOp.RELU, UnaryOp.CLAMP, UnaryOp.ABS, UnaryOp.IS_FINITE, UnaryOp.NEG}) {
            Tensor want = Tensor.zeros(7), got = Tensor.zeros(7);
            CPU.map(op, -1, 1, x, want);
            opencl.map(op, -1, 1, x, got);
            assertClose(want, got, 0, op + " with NaN/inf");
        }
        for (ReduceOp op : ReduceOp.values()) {
            Tensor want = Tensor.zeros(1), got = Tensor.zeros(1);
            CPU.reduce(op, x.slice(0, 1, 7, 1), new boolean[] {true}, want);
            opencl.reduce(op, x.slice(0, 1, 7, 1), new boolean[] {true}, got);
            assertClose(want, got, 0, op + " with NaN/inf");
            assertTrue(Double.isNaN(want.get(0)) || op == ReduceOp.SUM, op + " propagates NaN");
        }
    }

    @Test
    void reductionsOverEveryAxisSetMatchCpu() {
        Tensor base = Tensor.rand(21, 6, 4, 11, 5).mul(2).add(-1);
        Tensor[] inputs = {base, base.permute(2, 0, 3, 1), base.slice(2, 1, 11, 3), base.select(1, 2).unsqueeze(1).expand(6, 3, 11, 5)};
        for (Tensor x : inputs) {
            for (int mask = 0; mask < 16; mask++) {
                boolean[] axes = new boolean[4];
                int red = 1;
                for (int d = 0; d < 4; d++) {
                    axes[d] = (mask & (1 << d)) != 0;
                    if (axes[d]) red *= x.size(d);
                }
                Shape s = x.shape().reduced(axes, true);
                for (ReduceOp op : ReduceOp.values()) {
                    Tensor want = Tensor.zeros(DType.F32, s), got = Tensor.zeros(DType.F32, s);
                    Backends.ref().reduce(op, x, axes, want);
                    opencl.reduce(op, x, axes, got);
                    double tol = op == ReduceOp.SUM ? 1e-6 * Math.sqrt(red) + 1e-6 : 0;
                    assertClose(want, got, tol, op + " of " + x.shape() + " over " + Arrays.toString(axes));
                }
            }
        }
        // A long reduction goes through many work-items and the local-memory tree.
        Tensor big = Tensor.randn(22, 3, 100_003);
        Tensor want = Tensor.zeros(3, 1), got = Tensor.zeros(3, 1);
        Backends.ref().reduce(ReduceOp.SUM, big, new boolean[] {false, true}, want);
        opencl.reduce(ReduceOp.SUM, big, new boolean[] {false, true}, got);
        assertClose(want, got, 1e-6 * Math.sqrt(100_003) + 1e-6, "long sum");
    }

    @Test
    void emptyAndRankZeroTensors() {
        Tensor s = Tensor.scalar(-2), out = Tensor.scalar(0);
        opencl.map(UnaryOp.ABS, 0, 0, s, out);
        assertEquals(2.0, out.item());
        opencl.zip(BinaryOp.MUL, s, s, out);
        assertEquals(4.0, out.item());
        opencl.reduce(ReduceOp.SUM, s, new boolean[0], out);
        assertEquals(-2.0, out.item());
        Tensor empty = Tensor.zeros(3, 0), r = Tensor.full(5, 3, 1);
        opencl.reduce(ReduceOp.MAX, empty, new boolean[] {false, true}, r);
        assertEquals(Double.NEGATIVE_INFINITY, r.get(1, 0));
        opencl.map(UnaryOp.EXP, 0, 0, empty, Tensor.zeros(3, 0));
        Tensor mm = Tensor.full(9, 2, 3, 4);
        opencl.matmul(Tensor.zeros(2, 3, 0), Tensor.zeros(2, 0, 4), mm);
        assertClose(Tensor.zeros(2, 3, 4), mm, 0, "matmul with k = 0");
        var e = assertThrows(IllegalArgumentException.class, () -> opencl.map(UnaryOp.EXP, 0, 0, Tensor.zeros(2), Tensor.zeros(DType.F64, Shape.of(2))));
        assertTrue(e.getMessage().contains("opencl backend computes F32, got F64"), e.getMessage());
    }

    @Test
    void matmulOnOddSizesAndViewsMatchesCpu() {
        int[][] mnk = {{1, 1, 1}, {17, 33, 5}, {65, 3, 130}, {16, 16, 16}, {31, 47, 29}};
        for (int[] s : mnk) {
            int m = s[0], n = s[1], k = s[2];
            Tensor[] as = {Tensor.randn(31, 3, m, k), Tensor.randn(32, 3, k, m).transpose(1, 2), Tensor.randn(33, 1, m, k).expand(3, m, k)};
            Tensor[] bs = {Tensor.randn(34, 3, k, n), Tensor.randn(35, 3, n, k).transpose(1, 2), Tensor.randn(36, 3, k, 2 * n).slice(2, 0, 2 * n, 2)};
            for (Tensor a : as) {
                for (Tensor b : bs) {
                    Tensor want = Tensor.zeros(3, m, n), got = Tensor.zeros(3, m, n);
                    CPU.matmul(a, b, want);
                    opencl.matmul(a, b, got);
                    assertClose(want, got, 2e-6 * Math.sqrt(k) * 4, "matmul m=" + m + " n=" + n + " k=" + k);
                }
            }
        }
    }

    @Test
    void copyFillAndDelegatedOpsMatchCpu() {
        Tensor src = permuted(41, -1, 1);
        Tensor want = Tensor.zeros(3, 5, 7), got = transposedOut();
        CPU.copy(src, want);
        opencl.copy(src, got);
        assertClose(want, got, 0, "copy into a transposed view");
        opencl.fill(got.slice(2, 0, 7, 3), 4.5);
        assertEquals(4.5, got.get(2, 4, 6));
        assertEquals(want.get(2, 4, 5), got.get(2, 4, 5));
        Tensor f64 = Tensor.zeros(DType.F64, Shape.of(3, 5, 7));
        opencl.copy(src, f64);
        assertClose(want, f64, 0, "copy across dtypes");

        Tensor x = stepped(42, -1, 1);
        Tensor aw = Tensor.zeros(3, 1, 7), ag = Tensor.zeros(3, 1, 7);
        CPU.argReduce(ReduceOp.MAX, x, 1, aw);
        opencl.argReduce(ReduceOp.MAX, x, 1, ag);
        assertClose(aw, ag, 0, "argmax");
        java.util.Random r = new java.util.Random(43);
        float[] idx = new float[3 * 2 * 7];
        for (int i = 0; i < idx.length; i++) idx[i] = r.nextInt(5);
        Tensor index = Tensor.of(idx, 3, 2, 7);
        Tensor gw = Tensor.zeros(3, 2, 7), gg = Tensor.zeros(3, 2, 7);
        CPU.gather(x, 1, index, gw);
        opencl.gather(x, 1, index, gg);
        assertClose(gw, gg, 0, "gather");
        Tensor sw = Tensor.zeros(3, 5, 7), sg = Tensor.zeros(3, 5, 7);
        CPU.scatterAdd(sw, 1, index, gw);
        opencl.scatterAdd(sg, 1, index, gw);
        assertClose(sw, sg, 0, "scatterAdd");
    }

    @Test
    void backendsCanChooseOpencl() {
        try {
            Backends.use("opencl");
            assertEquals("opencl", Backends.current().name());
            Tensor x = Tensor.arange(5), y = x.mul(x).sum();
            assertEquals(30.0, y.item());
            Backends.use("opencl:0");
            assertEquals("opencl", Backends.current().name());
            Backends.use("opencl:" + OpenCl.devices().size()); // no such device: reported, cpu instead
            assertEquals("cpu", Backends.current().name());
            assertThrows(IllegalArgumentException.class, () -> Backends.use("opencl:first"));
            assertTrue(Backends.names().contains("opencl"));
            assertEquals("cpu", Backends.names().get(0), "cpu stays the default");
        } finally {
            Backends.use("cpu");
        }
        String report = Backends.report();
        assertTrue(report.lines().anyMatch(l -> l.matches("opencl\\s+PASS")), report);
    }
}
