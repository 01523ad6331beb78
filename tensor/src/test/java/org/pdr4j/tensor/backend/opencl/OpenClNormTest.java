package org.pdr4j.tensor.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.backend.Backend;
import org.pdr4j.tensor.backend.cpu.CpuBackend;

/**
 * The OpenCL softmax, blur and GroupNorm kernels against the CPU kernels on random inputs with
 * odd sizes, strided (middle-axis) and non-contiguous operands. Tolerances are the golden
 * norm/op tests' for float32: forward 1e-5 abs + 1e-5 rel, gradients 1e-5 abs + 1e-4 rel.
 */
class OpenClNormTest {
    private static final double FWD_ATOL = 1e-5, FWD_RTOL = 1e-5, GRAD_ATOL = 1e-5, GRAD_RTOL = 1e-4;
    private static Backend opencl;
    private static final Backend CPU = new CpuBackend();

    @BeforeAll
    static void device() {
        opencl = new OpenClBackend(OpenClTestSupport.requireDevice());
    }

    static void assertClose(Tensor expected, Tensor actual, double atol, double rtol, String what) {
        assertEquals(expected.shape(), actual.shape(), what);
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(e[i] - a[i]) <= atol + rtol * Math.abs(e[i]))) {
                fail(what + ": element " + i + " expected " + e[i] + " got " + a[i] + " (atol " + atol + ", rtol " + rtol + ")");
            }
        }
    }

    static void assertClose(double[] expected, double[] actual, double atol, double rtol, String what) {
        assertClose(Tensor.of(expected, expected.length), Tensor.of(actual, actual.length), atol, rtol, what);
    }

    private static Tensor randn(long seed, double scale, int... shape) {
        return Tensor.randn(seed, shape).mul(scale);
    }

    private static final int[][] SOFTMAX_SHAPES = {{3, 37, 1}, {5, 13, 7}, {2, 1001, 1}, {1, 1, 1}, {4, 300, 3}, {7, 2, 1}};

    @Test
    void softmaxAndLogSoftmaxMatchTheCpu() {
        long seed = 1;
        for (int[] s : SOFTMAX_SHAPES) {
            for (boolean log : new boolean[] {false, true}) {
                Tensor x = randn(seed++, 3, s), e = Tensor.zeros(s), a = Tensor.zeros(s);
                CPU.softmax(x, log, e);
                opencl.softmax(x, log, a);
                assertClose(e, a, FWD_ATOL, FWD_RTOL, (log ? "logSoftmax " : "softmax ") + Shape.of(s));
                Tensor g = randn(seed++, 1, s), de = Tensor.zeros(s), da = Tensor.zeros(s);
                CPU.softmaxBackward(e, g, log, de);
                opencl.softmaxBackward(e, g, log, da);
                assertClose(de, da, GRAD_ATOL, GRAD_RTOL, (log ? "logSoftmax" : "softmax") + " backward " + Shape.of(s));
            }
        }
    }

    @Test
    void softmaxTakesPermutedInputsAndOutputs() {
        Tensor x = randn(7, 2, 7, 5, 13).permute(1, 2, 0); // [5, 13, 7], not contiguous
        Tensor e = Tensor.zeros(5, 13, 7), a = Tensor.zeros(7, 5, 13).permute(1, 2, 0);
        CPU.softmax(x, false, e);
        opencl.softmax(x, false, a);
        assertClose(e, a, FWD_ATOL, FWD_RTOL, "softmax permuted");
    }

    @Test
    void softmaxOfAnAllNegativeInfinityRowIsNanLikeTheCpu() {
        Tensor x = Tensor.full(Double.NEGATIVE_INFINITY, 2, 5, 1), e = Tensor.zeros(2, 5, 1), a = Tensor.zeros(2, 5, 1);
        CPU.softmax(x, false, e);
        opencl.softmax(x, false, a);
        double[] ev = e.toDoubleArray(), av = a.toDoubleArray();
        for (int i = 0; i < ev.length; i++) assertEquals(Double.isNaN(ev[i]), Double.isNaN(av[i]), "element " + i);
    }

    @Test
    void float64GoesToTheCpuKernels() {
        Tensor x = randn(3, 2, 3, 9, 4).to(DType.F64), e = Tensor.zeros(DType.F64, x.shape()), a = Tensor.zeros(DType.F64, x.shape());
        CPU.softmax(x, true, e);
        opencl.softmax(x, true, a);
        assertClose(e, a, 0, 0, "F64 logSoftmax");
    }

    private static Tensor gaussian(int size, double sigma) {
        double[] g = new double[size];
        double s = 0;
        for (int i = 0; i < size; i++) {
            double c = i - size / 2;
            g[i] = Math.exp(-c * c / (2 * sigma * sigma));
            s += g[i];
        }
        for (int i = 0; i < size; i++) g[i] /= s;
        return Tensor.of(g, size).to(DType.F32);
    }

    @Test
    void blurAndItsTransposeMatchTheCpu() {
        Object[][] cases = {
                {new int[] {5, 17, 19}, gaussian(11, 1.5)},
                {new int[] {3, 11, 11}, gaussian(11, 1.5)},
                {new int[] {2, 8, 5}, randn(40, 1, 3)},
                {new int[] {1, 4, 9}, randn(41, 1, 1)},
                {new int[] {7, 33, 14}, randn(42, 1, 4)},
        };
        long seed = 10;
        for (Object[] c : cases) {
            int[] s = (int[]) c[0];
            Tensor k = (Tensor) c[1];
            int kk = k.numel();
            int[] so = {s[0], s[1] - kk + 1, s[2] - kk + 1};
            Tensor x = Tensor.rand(seed++, s), e = Tensor.zeros(so), a = Tensor.zeros(so);
            CPU.blur(x, k, e);
            opencl.blur(x, k, a);
            assertClose(e, a, FWD_ATOL, FWD_RTOL, "blur " + Shape.of(s) + " K=" + kk);
            Tensor g = randn(seed++, 1, so), de = Tensor.zeros(s), da = Tensor.zeros(s);
            CPU.blurBackward(g, k, de);
            opencl.blurBackward(g, k, da);
            assertClose(de, da, GRAD_ATOL, GRAD_RTOL, "blur backward " + Shape.of(s) + " K=" + kk);
        }
    }

    @Test
    void blurTakesAStridedInput() {
        Tensor x = Tensor.rand(50, 3, 13, 31).slice(2, 1, 31, 2); // [3, 13, 15]
        Tensor k = gaussian(5, 1.0), e = Tensor.zeros(3, 9, 11), a = Tensor.zeros(3, 9, 11);
        CPU.blur(x, k, e);
        opencl.blur(x, k, a);
        assertClose(e, a, FWD_ATOL, FWD_RTOL, "blur strided");
    }

    /** {B, K, S, period, shift}: GroupNorm-like, LayerNorm-like (S = 1), large blocks, a large mean. */
    private static final int[][] GN_CASES = {{6, 5, 13, 3, 0}, {7, 301, 1, 1, 0}, {2, 3, 1999, 1, 0}, {4, 1, 9, 2, 100}, {1, 1, 1, 1, 0}, {3, 7, 3, 3, 0}};

    @Test
    void groupNormForwardAndBackwardMatchTheCpu() {
        long seed = 100;
        for (int[] c : GN_CASES) {
            int b = c[0], k = c[1], s = c[2], period = c[3];
            String what = "groupNorm [" + b + ", " + k + ", " + s + "] period " + period + " shift " + c[4];
            Tensor x = randn(seed++, 2, b, k, s).add(c[4]), w = randn(seed++, 1, period * k), bias = randn(seed++, 1, period * k);
            Tensor ye = Tensor.zeros(b, k, s), ya = Tensor.zeros(b, k, s);
            double[] me = new double[b], re = new double[b], ma = new double[b], ra = new double[b];
            CPU.groupNorm(x, period, w, bias, 1e-5, ye, me, re);
            opencl.groupNorm(x, period, w, bias, 1e-5, ya, ma, ra);
            assertClose(ye, ya, FWD_ATOL, FWD_RTOL, what + " y");
            assertClose(me, ma, FWD_ATOL, FWD_RTOL, what + " mean");
            assertClose(re, ra, FWD_ATOL, FWD_RTOL, what + " rstd");
            Tensor dy = randn(seed++, 1, b, k, s);
            Tensor dxe = Tensor.zeros(b, k, s), dxa = Tensor.zeros(b, k, s);
            Tensor pwe = Tensor.zeros(b, k), pwa = Tensor.zeros(b, k), pbe = Tensor.zeros(b, k), pba = Tensor.zeros(b, k);
            CPU.groupNormBackward(x, dy, period, w, me, re, dxe, pwe, pbe);
            opencl.groupNormBackward(x, dy, period, w, me, re, dxa, pwa, pba);
            assertClose(dxe, dxa, GRAD_ATOL, GRAD_RTOL, what + " dx");
            assertClose(pwe, pwa, GRAD_ATOL, GRAD_RTOL, what + " dwPart");
            assertClose(pbe, pba, GRAD_ATOL, GRAD_RTOL, what + " dbPart");
            // Skipped outputs stay skipped.
            Tensor only = Tensor.zeros(b, k, s);
            opencl.groupNormBackward(x, dy, period, w, me, re, only, null, null);
            assertClose(dxe, only, GRAD_ATOL, GRAD_RTOL, what + " dx alone");
            Tensor pbOnly = Tensor.zeros(b, k);
            opencl.groupNormBackward(x, dy, period, w, me, re, null, null, pbOnly);
            assertClose(pbe, pbOnly, GRAD_ATOL, GRAD_RTOL, what + " dbPart alone");
        }
    }

    /** {N, C, S}: odd sizes, a 2-D input (S = 1), one long channel. */
    private static final int[][] BN_CASES = {{3, 5, 13}, {7, 9, 1}, {2, 3, 2001}, {1, 1, 2}};

    @Test
    void batchNormMatchesTheCpu() {
        long seed = 200;
        for (int[] c : BN_CASES) {
            int n = c[0], ch = c[1], s = c[2];
            String what = "batchNorm [" + n + ", " + ch + ", " + s + "]";
            Tensor x = randn(seed++, 2, n, ch, s).add(3), w = randn(seed++, 1, ch), bias = randn(seed++, 1, ch);
            double[] me = new double[ch], ve = new double[ch], ma = new double[ch], va = new double[ch];
            CPU.batchNormStats(x, me, ve);
            opencl.batchNormStats(x, ma, va);
            assertClose(me, ma, FWD_ATOL, FWD_RTOL, what + " mean");
            assertClose(ve, va, FWD_ATOL, FWD_RTOL, what + " var");
            Tensor ye = Tensor.zeros(n, ch, s), ya = Tensor.zeros(n, ch, s);
            CPU.batchNormNormalise(x, me, ve, 1e-5, w, bias, ye);
            opencl.batchNormNormalise(x, me, ve, 1e-5, w, bias, ya);
            assertClose(ye, ya, FWD_ATOL, FWD_RTOL, what + " y");
            Tensor dy = randn(seed++, 1, n, ch, s);
            for (boolean training : new boolean[] {true, false}) {
                Tensor dxe = Tensor.zeros(n, ch, s), dxa = Tensor.zeros(n, ch, s);
                double[] dwe = new double[ch], dbe = new double[ch], dwa = new double[ch], dba = new double[ch];
                CPU.batchNormBackward(x, dy, me, ve, 1e-5, w, training, dxe, dwe, dbe);
                opencl.batchNormBackward(x, dy, me, ve, 1e-5, w, training, dxa, dwa, dba);
                assertClose(dxe, dxa, GRAD_ATOL, GRAD_RTOL, what + " dx training=" + training);
                assertClose(dwe, dwa, GRAD_ATOL, GRAD_RTOL, what + " dw");
                assertClose(dbe, dba, GRAD_ATOL, GRAD_RTOL, what + " db");
            }
        }
    }
}
