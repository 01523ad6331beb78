package org.pdr4j.tensor.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.backend.Backend;
import org.pdr4j.tensor.backend.cpu.CpuBackend;
import org.pdr4j.tensor.backend.cpu.conv.ConvKernels;
import org.pdr4j.tensor.backend.cpu.conv.ConvSpec;

/**
 * The OpenCL convolution kernels (forward, input, weight and bias gradients) against the CPU
 * kernels on the same random values: against the float64 reference loops and against the
 * float32 fast paths, each within {@code 1e-4 * (|ref| + mean|ref|)} (ConvKernelsTest's
 * tolerance). Cases: groups 1, 2, 8 and depthwise (TAU's 5x5 and 7x7 dilation 3), 1x1,
 * stride 1 and 2, padding 0, 1, 3 and over-padded, dilation 1, 2, 3, odd and asymmetric sizes,
 * bias on and off, an empty batch and non-contiguous operands.
 */
class OpenClConvTest {
    private static Backend opencl;
    private static final Backend CPU = new CpuBackend();

    @BeforeAll
    static void device() {
        opencl = new OpenClBackend(OpenClTestSupport.requireDevice());
    }

    private record Case(String name, ConvSpec spec) {}

    private static ConvSpec spec(int n, int cin, int h, int w, int cout, int k, int stride, int pad, int dil, int groups) {
        return new ConvSpec(n, cin, h, w, cout, k, k, stride, stride, pad, pad, dil, dil, groups);
    }

    private static final List<Case> CASES = List.of(
            new Case("3x3 s1 p1", spec(3, 6, 16, 16, 16, 3, 1, 1, 1, 1)),
            new Case("3x3 odd width", spec(2, 5, 13, 21, 8, 3, 1, 1, 1, 1)),
            new Case("3x3 s2 p1 odd", spec(2, 8, 17, 15, 8, 3, 2, 1, 1, 1)),
            new Case("3x3 s2 p0", spec(2, 4, 11, 12, 6, 3, 2, 0, 1, 1)),
            new Case("3x3 p3 over-padded", spec(1, 2, 9, 7, 5, 3, 1, 3, 1, 1)),
            new Case("3x3 s2 p3 d2", spec(2, 3, 13, 10, 4, 3, 2, 3, 2, 1)),
            new Case("3x3 d2 p2", spec(2, 4, 12, 12, 4, 3, 1, 2, 2, 1)),
            new Case("3x3 d3 p0", spec(1, 3, 15, 14, 5, 3, 1, 0, 3, 1)),
            new Case("5x5 p2", spec(2, 3, 18, 18, 8, 5, 1, 2, 1, 1)),
            new Case("1x1", spec(3, 80, 8, 8, 64, 1, 1, 0, 1, 1)),
            new Case("1x1 odd", spec(2, 13, 7, 5, 9, 1, 1, 0, 1, 1)),
            new Case("1x1 s2", spec(2, 8, 9, 9, 4, 1, 2, 0, 1, 1)),
            new Case("1x1 p1", spec(1, 3, 5, 6, 2, 1, 1, 1, 1, 1)),
            new Case("grouped g2 k3", spec(2, 6, 9, 11, 4, 3, 1, 1, 1, 2)),
            new Case("grouped g2 k5 p2 s2", spec(2, 8, 10, 13, 6, 5, 2, 2, 1, 2)),
            new Case("grouped g8 k3", spec(2, 16, 8, 8, 32, 3, 1, 1, 1, 8)),
            new Case("dw 5x5 p2 (TAU)", spec(2, 24, 16, 16, 24, 5, 1, 2, 1, 24)),
            new Case("dw 7x7 d3 p9 (TAU)", spec(2, 20, 16, 16, 20, 7, 1, 9, 3, 20)),
            new Case("dw 3x3 p1 tails", spec(2, 5, 13, 21, 5, 3, 1, 1, 1, 5)),
            new Case("dw 3x3 s2 p1", spec(2, 8, 15, 16, 8, 3, 2, 1, 1, 8)),
            new Case("dw 3x3 no pad", spec(2, 3, 9, 35, 3, 3, 1, 0, 1, 3)),
            new Case("dw multiplier 2", spec(1, 4, 7, 9, 8, 3, 1, 1, 1, 4)),
            new Case("kernel wider than input", spec(1, 1, 2, 2, 2, 6, 1, 2, 1, 1)),
            new Case("3x2 asymmetric pad", new ConvSpec(2, 3, 9, 33, 8, 3, 2, 1, 1, 1, 0, 1, 1, 1)),
            new Case("asymmetric all", new ConvSpec(2, 3, 11, 9, 5, 2, 4, 1, 2, 0, 3, 2, 1, 1)),
            new Case("1x1 output", spec(2, 3, 5, 5, 4, 5, 1, 0, 1, 1)),
            new Case("large reduction", spec(2, 2, 48, 40, 3, 3, 1, 1, 1, 1)));

    private static Tensor randn(SplittableRandom r, int[] shape) {
        return Tensor.randn(r.nextLong(), shape);
    }

    private static void assertNear(String what, Tensor actual, Tensor ref) {
        assertEquals(DType.F32, actual.dtype(), what);
        assertEquals(ref.shape(), actual.shape(), what + ": shape");
        double[] a = actual.toDoubleArray(), e = ref.toDoubleArray();
        double mean = 0;
        for (double v : e) mean += Math.abs(v);
        mean /= Math.max(1, e.length);
        for (int i = 0; i < a.length; i++) {
            double tol = 1e-4 * (Math.abs(e[i]) + mean);
            if (!(Math.abs(a[i] - e[i]) <= tol)) {
                throw new AssertionError(what + ": element " + i + " is " + a[i] + ", reference " + e[i] + " (tol " + tol + ")");
            }
        }
    }

    /** All four functions of one spec on the device against the float64 reference and the CPU's float32 paths. */
    private static void checkAll(String name, ConvSpec s, Tensor x, Tensor w, Tensor b, Tensor gy) {
        Tensor x64 = x.to(DType.F64), w64 = w.to(DType.F64), b64 = b.to(DType.F64), gy64 = gy.to(DType.F64);
        Tensor y = opencl.conv2d(x, w, b, s), y0 = opencl.conv2d(x, w, null, s);
        Tensor gx = opencl.conv2dBackwardInput(gy, w, s), gw = opencl.conv2dBackwardWeight(gy, x, s);
        Tensor gb = opencl.conv2dBackwardBias(gy);
        assertNear(name + " forward", y, ConvKernels.forward(x64, w64, b64, s));
        assertNear(name + " forward no bias", y0, ConvKernels.forward(x64, w64, null, s));
        assertNear(name + " grad input", gx, ConvKernels.backwardInput(gy64, w64, s));
        assertNear(name + " grad weight", gw, ConvKernels.backwardWeight(gy64, x64, s));
        assertNear(name + " grad bias", gb, ConvKernels.backwardBias(gy64));
        assertNear(name + " forward vs cpu", y, CPU.conv2d(x, w, b, s));
        assertNear(name + " grad input vs cpu", gx, CPU.conv2dBackwardInput(gy, w, s));
        assertNear(name + " grad weight vs cpu", gw, CPU.conv2dBackwardWeight(gy, x, s));
        assertNear(name + " grad bias vs cpu", gb, CPU.conv2dBackwardBias(gy));
    }

    @Test
    void matchesCpuKernels() {
        for (Case c : CASES) {
            ConvSpec s = c.spec();
            SplittableRandom r = new SplittableRandom(c.name().hashCode());
            checkAll(c.name(), s, randn(r, s.inputShape()), randn(r, s.weightShape()), randn(r, new int[] {s.cout()}),
                    randn(r, s.outputShape()));
        }
    }

    @Test
    void nonContiguousOperands() {
        ConvSpec s = spec(2, 4, 8, 7, 6, 3, 2, 1, 1, 2);
        SplittableRandom r = new SplittableRandom(7);
        Tensor x = randn(r, new int[] {2, 8, 7, 4}).permute(0, 3, 1, 2);
        Tensor w = randn(r, new int[] {6, 3, 3, 4}).permute(0, 3, 1, 2).slice(1, 0, 2, 1);
        Tensor b = randn(r, new int[] {12}).slice(0, 1, 12, 2);
        Tensor gy = randn(r, new int[] {2, 6, 4, 8}).slice(3, 0, 8, 2);
        checkAll("permuted/sliced", s, x, w, b, gy);
    }

    @Test
    void emptyBatch() {
        ConvSpec s = spec(0, 3, 5, 5, 4, 3, 1, 1, 1, 1);
        Tensor x = Tensor.zeros(s.inputShape()), w = Tensor.ones(s.weightShape()), gy = Tensor.zeros(s.outputShape());
        assertEquals(0, opencl.conv2d(x, w, null, s).numel());
        assertEquals(0, opencl.conv2dBackwardInput(gy, w, s).numel());
        assertNear("empty grad weight", opencl.conv2dBackwardWeight(gy, x, s), Tensor.zeros(s.weightShape()));
        assertNear("empty grad bias", opencl.conv2dBackwardBias(gy), Tensor.zeros(4));
    }

    @Test
    void float64RunsTheCpuKernelsAndBadShapesAreRefused() {
        ConvSpec s = spec(1, 2, 5, 5, 3, 3, 1, 1, 1, 1);
        SplittableRandom r = new SplittableRandom(3);
        Tensor x = randn(r, s.inputShape()).to(DType.F64), w = randn(r, s.weightShape()).to(DType.F64);
        Tensor y = opencl.conv2d(x, w, null, s);
        assertEquals(DType.F64, y.dtype());
        assertNear("f64", y.to(DType.F32), ConvKernels.forward(x, w, null, s));
        Tensor x32 = x.to(DType.F32), w32 = w.to(DType.F32);
        assertThrows(IllegalArgumentException.class, () -> opencl.conv2d(x32, w32.slice(0, 0, 2, 1), null, s));
        assertThrows(IllegalArgumentException.class, () -> opencl.conv2d(x32, w32, Tensor.zeros(2), s));
        assertThrows(IllegalArgumentException.class, () -> opencl.conv2dBackwardBias(Tensor.zeros(3, 4)));
    }
}
