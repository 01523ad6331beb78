package org.pdr4j.tensor.backend.cpu.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pdr4j.tensor.Parallel;

/** Sgemm against a double-accumulating triple loop, over every path (small, GEMV-like, blocked). */
class SgemmTest {
    private static final int[] DIMS = {1, 7, 13, 17, 33, 65, 129};
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    /** One product with its own layout: offsets and padded leading dimensions. */
    private record Case(boolean ta, boolean tb, int m, int n, int k, float alpha, float beta,
            int aOff, int aPad, int bOff, int bPad, int cOff, int cPad) {
        int lda() { return (ta ? m : k) + aPad; }
        int ldb() { return (tb ? k : n) + bPad; }
        int ldc() { return n + cPad; }
        int aLen() { return aOff + (ta ? k : m) * lda(); }
        int bLen() { return bOff + (tb ? n : k) * ldb(); }
        int cLen() { return cOff + m * ldc(); }
    }

    private static float[] random(SplittableRandom rnd, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) x[i] = (float) (rnd.nextDouble() * 2 - 1);
        return x;
    }

    /** Runs Sgemm for one case and checks every element of C, including untouched padding. */
    private static void check(Case t, SplittableRandom rnd) {
        float[] a = random(rnd, t.aLen()), b = random(rnd, t.bLen()), c = random(rnd, t.cLen());
        if (t.beta() == 0f) java.util.Arrays.fill(c, Float.NaN); // beta 0 must not read C
        float[] before = c.clone();
        Sgemm.sgemm(t.ta(), t.tb(), t.m(), t.n(), t.k(), t.alpha(), a, t.aOff(), t.lda(), b, t.bOff(), t.ldb(),
                t.beta(), c, t.cOff(), t.ldc());
        // |error| of a k-term float sum is bounded by ~k * eps * sum|a*b|; |a|,|b| <= 1 here
        double tol = 1e-6 * (t.k() + 4) * Math.abs(t.alpha()) + 1e-6 * Math.abs(t.beta());
        for (int idx = 0; idx < c.length; idx++) {
            int rel = idx - t.cOff(), i = rel / t.ldc(), j = rel % t.ldc();
            if (rel < 0 || j >= t.n()) {
                assertEquals(Float.floatToRawIntBits(before[idx]), Float.floatToRawIntBits(c[idx]),
                        "wrote outside C at " + idx + " for " + t);
                continue;
            }
            double s = 0;
            for (int p = 0; p < t.k(); p++) {
                double av = t.ta() ? a[t.aOff() + p * t.lda() + i] : a[t.aOff() + i * t.lda() + p];
                double bv = t.tb() ? b[t.bOff() + j * t.ldb() + p] : b[t.bOff() + p * t.ldb() + j];
                s += av * bv;
            }
            double want = t.alpha() * s + (t.beta() == 0f ? 0 : t.beta() * (double) before[idx]);
            double got = c[idx];
            assertTrue(Math.abs(got - want) <= tol, () -> "C(" + i + "," + j + ") = " + got + ", want " + want
                    + " (tol " + tol + ") for " + t);
        }
    }

    private static Case plain(boolean ta, boolean tb, int m, int n, int k) {
        return new Case(ta, tb, m, n, k, 1f, 0f, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void mixedSizesAllTransposes() {
        SplittableRandom rnd = new SplittableRandom(42);
        Parallel.setThreads(2);
        List<int[]> shapes = new ArrayList<>();
        for (int m : DIMS) shapes.add(new int[] {m, DIMS[rnd.nextInt(DIMS.length)], DIMS[rnd.nextInt(DIMS.length)]});
        for (int n : DIMS) shapes.add(new int[] {DIMS[rnd.nextInt(DIMS.length)], n, DIMS[rnd.nextInt(DIMS.length)]});
        for (int k : DIMS) shapes.add(new int[] {DIMS[rnd.nextInt(DIMS.length)], DIMS[rnd.nextInt(DIMS.length)], k});
        shapes.add(new int[] {129, 129, 129}); // blocked, tails in every dimension
        shapes.add(new int[] {250, 260, 200}); // blocked on a 2-thread grid
        shapes.add(new int[] {13, 129, 300});  // blocked, two depth blocks
        shapes.add(new int[] {200, 40, 300});  // crosses an MC row block and a KC depth block
        shapes.add(new int[] {9, 4100, 7});    // crosses an NC column block
        shapes.add(new int[] {2, 300, 400});   // few rows: GEMV (op(B) row-major) or dot products
        shapes.add(new int[] {1, 2100, 60});   // several GEMV column chunks
        shapes.add(new int[] {3, 4000, 200});  // GEMV / dots split over 2 threads
        shapes.add(new int[] {300, 3, 400});   // few columns: dot products, or blocked when transA
        for (int[] s : shapes) {
            for (int tr = 0; tr < 4; tr++) check(plain((tr & 1) != 0, (tr & 2) != 0, s[0], s[1], s[2]), rnd);
        }
    }

    @Test
    void alphaBetaOffsetsAndPaddedLeadingDims() {
        SplittableRandom rnd = new SplittableRandom(7);
        float[][] alphaBeta = {{1f, 0f}, {1f, 1f}, {-0.5f, 0.25f}, {2f, 0f}, {0.75f, -1f}};
        int[][] shapes = {{1, 1, 1}, {7, 13, 17}, {33, 17, 65}, {65, 33, 7}, {4, 70, 100}, {50, 70, 300}};
        for (int[] s : shapes) {
            for (float[] ab : alphaBeta) {
                for (int tr = 0; tr < 4; tr++) {
                    check(new Case((tr & 1) != 0, (tr & 2) != 0, s[0], s[1], s[2], ab[0], ab[1],
                            3, 5, 1, 2, 4, 3), rnd);
                }
            }
        }
    }

    @Test
    void longDepth() {
        SplittableRandom rnd = new SplittableRandom(3);
        check(plain(false, false, 5, 37, 4099), rnd);   // small-row path
        check(plain(false, true, 33, 40, 4099), rnd);   // blocked, 17 depth blocks
        check(new Case(true, false, 17, 33, 4099, -1f, 0.5f, 2, 1, 0, 3, 1, 1), rnd);
    }

    @Test
    void degenerateShapes() {
        float[] a = {1, 2, 3, 4}, b = {5, 6, 7, 8};
        float[] c = {1, 2, 3, 4};
        Sgemm.sgemm(false, false, 2, 2, 0, 1f, a, 0, 0, b, 0, 2, 0.5f, c, 0, 2); // k = 0: C = beta*C
        assertArrayEquals(new float[] {0.5f, 1, 1.5f, 2}, c);
        float[] nan = {Float.NaN, Float.NaN};
        Sgemm.sgemm(false, false, 1, 2, 2, 0f, a, 0, 2, b, 0, 2, 0f, nan, 0, 2); // alpha = beta = 0
        assertArrayEquals(new float[] {0, 0}, nan);
        float[] untouched = {9};
        Sgemm.sgemm(false, false, 0, 1, 3, 1f, a, 0, 3, b, 0, 1, 0f, untouched, 0, 1);
        Sgemm.sgemm(false, false, 1, 0, 3, 1f, a, 0, 3, b, 0, 0, 0f, untouched, 0, 0);
        assertArrayEquals(new float[] {9}, untouched);
        assertThrows(IllegalArgumentException.class,
                () -> Sgemm.sgemm(false, false, 2, 2, 2, 1f, a, 0, 1, b, 0, 2, 0f, c, 0, 2));
        assertThrows(IllegalArgumentException.class,
                () -> Sgemm.sgemm(false, false, -1, 2, 2, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2));
    }

    @Test
    void bitIdenticalAcrossRunsAndThreadCounts() {
        SplittableRandom rnd = new SplittableRandom(11);
        // one shape per path (blocked grid split by rows / by columns, GEMV, dots, small), each big enough to fork
        int[][] shapes = {{300, 301, 517}, {13, 2000, 600}, {3, 4000, 400}, {1200, 3, 900}, {20, 20, 20}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            float[] a = random(rnd, m * k), b = random(rnd, k * n);
            Parallel.setThreads(1);
            float[] one = run(m, n, k, a, b), oneAgain = run(m, n, k, a, b);
            Parallel.setThreads(2);
            float[] two = run(m, n, k, a, b), twoAgain = run(m, n, k, a, b);
            assertArrayEquals(one, oneAgain, "threads=1 twice");
            assertArrayEquals(two, twoAgain, "threads=2 twice");
            // threads only split rows or column panels, never k, so the count does not matter either
            assertArrayEquals(one, two, "threads=1 vs threads=2");
        }
    }

    private static float[] run(int m, int n, int k, float[] a, float[] b) {
        float[] c = new float[m * n];
        Sgemm.sgemm(false, false, m, n, k, 1.5f, a, 0, k, b, 0, n, 0f, c, 0, n);
        return c;
    }
}
