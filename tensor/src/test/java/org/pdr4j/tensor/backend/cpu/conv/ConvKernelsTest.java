package org.pdr4j.tensor.backend.cpu.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Parallel;
import org.pdr4j.tensor.Tensor;

/**
 * The fast float32 convolution kernels (depthwise, pointwise GEMM, im2col + GEMM, the direct
 * weight gradient) against the float64 reference loops on the same values, for scaled-down versions of the model's shapes:
 * forward, input, weight and bias gradients within {@code 1e-4 * (|ref| + mean|ref|)}. Also:
 * the results are bit-identical with one and two threads, and bad shapes are refused.
 */
class ConvKernelsTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    /** name, spec, expected path. */
    private record Case(String name, ConvSpec spec, ConvKernels.Path path) {}

    private static ConvSpec spec(int n, int cin, int h, int w, int cout, int k, int stride, int pad, int dil, int groups) {
        return new ConvSpec(n, cin, h, w, cout, k, k, stride, stride, pad, pad, dil, dil, groups);
    }

    private static final List<Case> CASES = List.of(
            new Case("3x3 s1 p1", spec(3, 6, 32, 32, 16, 3, 1, 1, 1, 1), ConvKernels.Path.IM2COL),
            new Case("3x3 s1 p1 1ch 64x64", spec(2, 1, 64, 64, 8, 3, 1, 1, 1, 1), ConvKernels.Path.IM2COL),
            new Case("3x3 64 out", spec(2, 16, 16, 16, 64, 3, 1, 1, 1, 1), ConvKernels.Path.IM2COL),
            new Case("3x3 odd width", spec(2, 5, 13, 21, 8, 3, 1, 1, 1, 1), ConvKernels.Path.IM2COL),
            new Case("3x3 d2 p2", spec(2, 4, 32, 32, 16, 3, 1, 2, 2, 1), ConvKernels.Path.IM2COL),
            new Case("5x5 p2", spec(2, 3, 18, 18, 8, 5, 1, 2, 1, 1), ConvKernels.Path.IM2COL),
            new Case("3x3 no pad", spec(2, 6, 10, 18, 8, 3, 1, 0, 1, 1), ConvKernels.Path.IM2COL),
            new Case("3x3 over-padded", spec(1, 2, 16, 12, 8, 3, 1, 3, 1, 1), ConvKernels.Path.IM2COL),
            new Case("3x2", new ConvSpec(2, 3, 9, 33, 8, 3, 2, 1, 1, 1, 0, 1, 1, 1), ConvKernels.Path.IM2COL),
            new Case("3x1", new ConvSpec(2, 4, 12, 16, 8, 3, 1, 1, 1, 1, 0, 1, 1, 1), ConvKernels.Path.IM2COL),
            new Case("3x3 cout 12", spec(2, 4, 16, 16, 12, 3, 1, 1, 1, 1), ConvKernels.Path.IM2COL),
            new Case("3x3 s2 p1 odd", spec(2, 8, 17, 15, 8, 3, 2, 1, 1, 1), ConvKernels.Path.IM2COL),
            new Case("3x3 s2 p1", spec(2, 16, 32, 32, 16, 3, 2, 1, 1, 1), ConvKernels.Path.IM2COL),
            new Case("1x1", spec(3, 80, 16, 16, 64, 1, 1, 0, 1, 1), ConvKernels.Path.POINTWISE),
            new Case("1x1 odd", spec(2, 13, 7, 5, 9, 1, 1, 0, 1, 1), ConvKernels.Path.POINTWISE),
            new Case("1x1 s2", spec(2, 8, 9, 9, 4, 1, 2, 0, 1, 1), ConvKernels.Path.IM2COL),
            new Case("dw 5x5 p2", spec(2, 24, 16, 16, 24, 5, 1, 2, 1, 24), ConvKernels.Path.DEPTHWISE),
            new Case("dw 7x7 d3 p9", spec(2, 20, 16, 16, 20, 7, 1, 9, 3, 20), ConvKernels.Path.DEPTHWISE),
            new Case("dw 3x3 p1", spec(3, 16, 16, 16, 16, 3, 1, 1, 1, 16), ConvKernels.Path.DEPTHWISE),
            new Case("dw 3x3 p1 tails", spec(2, 5, 13, 21, 5, 3, 1, 1, 1, 5), ConvKernels.Path.DEPTHWISE),
            new Case("dw 3x3 no pad", spec(2, 3, 9, 35, 3, 3, 1, 0, 1, 3), ConvKernels.Path.DEPTHWISE),
            new Case("dw 3x3 s2", spec(2, 8, 16, 16, 8, 3, 2, 1, 1, 8), ConvKernels.Path.IM2COL),
            new Case("grouped g8 k3", spec(2, 16, 16, 16, 32, 3, 1, 1, 1, 8), ConvKernels.Path.IM2COL),
            new Case("grouped g8 k11 p5", spec(2, 16, 12, 12, 16, 11, 1, 5, 1, 8), ConvKernels.Path.IM2COL),
            new Case("grouped g2 k5 p2", spec(2, 8, 10, 10, 6, 5, 1, 2, 1, 2), ConvKernels.Path.IM2COL),
            new Case("dilated 3x3 d2 p2", spec(2, 4, 12, 12, 4, 3, 1, 2, 2, 1), ConvKernels.Path.IM2COL),
            new Case("kernel wider than input", spec(1, 1, 2, 2, 2, 6, 1, 2, 1, 1), ConvKernels.Path.IM2COL),
            new Case("asymmetric", new ConvSpec(2, 3, 11, 9, 5, 2, 4, 1, 2, 0, 3, 2, 1, 1), ConvKernels.Path.IM2COL));

    /** The cases whose weight gradient takes {@link DirectConv}; every other one takes its forward's path. */
    private static final java.util.Set<String> DIRECT_WEIGHT_GRAD = java.util.Set.of(
            "3x3 s1 p1", "3x3 s1 p1 1ch 64x64", "3x3 d2 p2", "3x3 no pad", "3x3 over-padded", "3x2", "3x1");

    private static Tensor randn(SplittableRandom r, int[] shape) {
        return Tensor.randn(r.nextLong(), shape);
    }

    private static void assertNear(String what, Tensor fast, Tensor ref) {
        assertEquals(DType.F32, fast.dtype(), what);
        double[] a = fast.toDoubleArray(), e = ref.toDoubleArray();
        assertEquals(e.length, a.length, what + ": size");
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

    @Test
    void fastPathsMatchReference() {
        for (Case c : CASES) {
            ConvSpec s = c.spec();
            assertEquals(c.path(), ConvKernels.path(s), c.name() + ": path");
            assertEquals(DIRECT_WEIGHT_GRAD.contains(c.name()) ? ConvKernels.Path.DIRECT : c.path(), ConvKernels.weightGradPath(s),
                    c.name() + ": weight-gradient path");
            SplittableRandom r = new SplittableRandom(c.name().hashCode());
            Tensor x = randn(r, s.inputShape()), w = randn(r, s.weightShape()), b = randn(r, new int[] {s.cout()});
            Tensor gy = randn(r, s.outputShape());
            Tensor x64 = x.to(DType.F64), w64 = w.to(DType.F64), b64 = b.to(DType.F64), gy64 = gy.to(DType.F64);
            assertNear(c.name() + " forward", ConvKernels.forward(x, w, b, s), ConvKernels.forward(x64, w64, b64, s));
            assertNear(c.name() + " forward no bias", ConvKernels.forward(x, w, null, s), ConvKernels.forward(x64, w64, null, s));
            assertNear(c.name() + " grad input", ConvKernels.backwardInput(gy, w, s), ConvKernels.backwardInput(gy64, w64, s));
            assertNear(c.name() + " grad weight", ConvKernels.backwardWeight(gy, x, s), ConvKernels.backwardWeight(gy64, x64, s));
            assertNear(c.name() + " grad bias", ConvKernels.backwardBias(gy), ConvKernels.backwardBias(gy64));
        }
    }

    @Test
    void sameBitsForAnyThreadCount() {
        for (Case c : CASES) {
            ConvSpec s = c.spec();
            SplittableRandom r = new SplittableRandom(c.name().hashCode() + 1);
            Tensor x = randn(r, s.inputShape()), w = randn(r, s.weightShape()), b = randn(r, new int[] {s.cout()});
            Tensor gy = randn(r, s.outputShape());
            float[][] one = new float[4][], two = new float[4][];
            for (int t = 1; t <= 2; t++) {
                Parallel.setThreads(t);
                float[][] out = t == 1 ? one : two;
                out[0] = ConvKernels.forward(x, w, b, s).toFloatArray();
                out[1] = ConvKernels.backwardInput(gy, w, s).toFloatArray();
                out[2] = ConvKernels.backwardWeight(gy, x, s).toFloatArray();
                out[3] = ConvKernels.backwardBias(gy).toFloatArray();
            }
            for (int k = 0; k < 4; k++) assertArrayEquals(one[k], two[k], c.name() + " result " + k);
        }
    }

    @Test
    void nonContiguousInputs() {
        ConvSpec s = spec(2, 4, 8, 8, 4, 3, 1, 1, 1, 4);
        SplittableRandom r = new SplittableRandom(7);
        Tensor x = randn(r, new int[] {2, 8, 8, 4}).permute(0, 3, 1, 2);
        Tensor w = randn(r, s.weightShape());
        assertNear("permuted input", ConvKernels.forward(x, w, null, s), ConvKernels.forward(x.to(DType.F64), w.to(DType.F64), null, s));
    }

    @Test
    void badShapesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ConvSpec.of(new int[] {1, 4, 8, 8}, new int[] {4, 3, 3, 3}, new int[] {1}, new int[] {1}, new int[] {1}, 1));
        assertThrows(IllegalArgumentException.class, () -> ConvSpec.of(new int[] {1, 4, 8, 8}, new int[] {6, 2, 3, 3}, new int[] {1}, new int[] {1}, new int[] {1}, 3));
        assertThrows(IllegalArgumentException.class, () -> ConvSpec.of(new int[] {1, 4, 2, 2}, new int[] {4, 4, 5, 5}, new int[] {1}, new int[] {0}, new int[] {1}, 1));
        ConvSpec s = spec(1, 2, 4, 4, 2, 3, 1, 1, 1, 1);
        assertThrows(IllegalArgumentException.class, () -> ConvKernels.forward(Tensor.zeros(1, 3, 4, 4), Tensor.zeros(2, 2, 3, 3), null, s));
    }

    @Test
    void pooling() {
        Tensor x = Tensor.arange(2 * 5 * 7).reshape(1, 2, 5, 7).to(DType.F32);
        Tensor y = Pool2d.forward(x, Pool2d.Windows.fixed(5, 2, 2), Pool2d.Windows.fixed(7, 3, 2));
        assertArrayEquals(new int[] {1, 2, 2, 3}, y.shape().toArray());
        assertEquals((0 + 1 + 2 + 7 + 8 + 9) / 6.0, y.get(0, 0, 0, 0), 1e-6);
        Tensor a = Pool2d.forward(x, Pool2d.Windows.adaptive(5, 3), Pool2d.Windows.adaptive(7, 1));
        // rows [0,2) [1,4) [3,5)
        double m = 0;
        for (int i = 1; i < 4; i++) for (int j = 0; j < 7; j++) m += i * 7 + j;
        assertEquals(m / 21, a.get(0, 0, 1, 0), 1e-5);
        Tensor g = Pool2d.backward(Tensor.ones(1, 2, 3, 1), 5, 7, Pool2d.Windows.adaptive(5, 3), Pool2d.Windows.adaptive(7, 1));
        assertEquals(1.0 / 14 + 1.0 / 21, g.get(0, 0, 1, 0), 1e-6);
    }
}
