package org.pdr4j.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.pdr4j.autograd.Var;
import org.pdr4j.autograd.ops.NormOps;
import org.pdr4j.nn.loss.Losses;
import org.pdr4j.nn.loss.Ssim;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.Tensor;

/**
 * Gradients of the normalisations (groupNorm, batchNorm in training and eval, layerNorm),
 * softmax, logSoftmax, the separable blur, SSIM, L1+SSIM and diffDivReg equal float64 central
 * differences (GradCheck: eps 1e-6, atol 1e-5, rtol 1e-4), for input, weight and bias, on
 * random shapes. Inputs are offset and scaled (|mean| up to 2) so the normalisation is not
 * trivially centred. The float32 kernels are also checked against the float64 path.
 */
class NormGradProperties {
    private static final int TRIES = 30;

    private static int[] shape(int... d) { return d; }

    @Property(tries = TRIES)
    void groupNorm(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 3) int groups,
                   @ForAll @IntRange(min = 1, max = 2) int perGroup, @ForAll @IntRange(min = 0, max = 2) int spatialRank,
                   @ForAll boolean affine, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int c = groups * perGroup;
        int[] s = spatialRank == 0 ? shape(n, c) : spatialRank == 1 ? shape(n, c, 1 + r.nextInt(4)) : shape(n, c, 1 + r.nextInt(3), 1 + r.nextInt(3));
        Assume.that(Gen.numel(s) / (n * c) * perGroup > 1); // a group of one value has no gradient
        Tensor x = Gen.uniform(r, s, -2, 2).add(r.nextDouble(-2, 2));
        if (affine) {
            Gen.assertGrad("groupNorm(" + groups + ") " + Shape.of(s), v -> NormOps.groupNorm(v[0], groups, v[1], v[2], 1e-5),
                    x, Gen.uniform(r, shape(c), 0.5, 2), Gen.uniform(r, shape(c), -1, 1));
        } else {
            Gen.assertGrad("groupNorm(" + groups + ", no affine) " + Shape.of(s), v -> NormOps.groupNorm(v[0], groups, null, null, 1e-5), x);
        }
    }

    @Property(tries = TRIES)
    void batchNormTraining(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 3) int c,
                           @ForAll boolean spatial, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] s = spatial ? shape(n, c, 1 + r.nextInt(3), 1 + r.nextInt(3)) : shape(n, c);
        Assume.that(Gen.numel(s) / c > 1);
        Tensor x = Gen.uniform(r, s, -2, 2).add(r.nextDouble(-2, 2));
        Gen.assertGrad("batchNorm(train) " + Shape.of(s),
                v -> NormOps.batchNorm(v[0], v[1], v[2], Tensor.zeros(DType.F64, Shape.of(c)), Tensor.full(DType.F64, Shape.of(c), 1), true, 0.1, 1e-5),
                x, Gen.uniform(r, shape(c), 0.5, 2), Gen.uniform(r, shape(c), -1, 1));
    }

    @Property(tries = TRIES)
    void batchNormEval(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 3) int c, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] s = shape(n, c, 1 + r.nextInt(3), 1 + r.nextInt(3));
        Tensor rm = Gen.uniform(r, shape(c), -1, 1), rv = Gen.uniform(r, shape(c), 0.5, 2);
        Gen.assertGrad("batchNorm(eval) " + Shape.of(s), v -> NormOps.batchNorm(v[0], v[1], v[2], rm, rv, false, 0.1, 1e-5),
                Gen.uniform(r, s, -2, 2), Gen.uniform(r, shape(c), 0.5, 2), Gen.uniform(r, shape(c), -1, 1));
    }

    @Property(tries = TRIES)
    void layerNorm(@ForAll @IntRange(min = 1, max = 3) int rank, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) s[i] = 1 + r.nextInt(4);
        int k = 1 + r.nextInt(rank);
        int[] ns = java.util.Arrays.copyOfRange(s, rank - k, rank);
        Assume.that(Gen.numel(ns) > 1);
        Tensor x = Gen.uniform(r, s, -2, 2).add(r.nextDouble(-2, 2));
        Gen.assertGrad("layerNorm " + Shape.of(s) + " over " + Shape.of(ns), v -> NormOps.layerNorm(v[0], ns, v[1], v[2], 1e-5),
                x, Gen.uniform(r, ns, 0.5, 2), Gen.uniform(r, ns, -1, 1));
    }

    @Property(tries = TRIES)
    void softmax(@ForAll @IntRange(min = 1, max = 3) int rank, @ForAll boolean log, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) s[i] = 1 + r.nextInt(4);
        int dim = r.nextInt(rank) - (r.nextBoolean() ? rank : 0);
        Tensor x = Gen.uniform(r, s, -3, 3);
        Gen.assertGrad((log ? "logSoftmax" : "softmax") + " dim " + dim + " " + Shape.of(s),
                v -> log ? NormOps.logSoftmax(v[0], dim) : NormOps.softmax(v[0], dim), x);
    }

    @Property(tries = TRIES)
    void separableBlur(@ForAll @IntRange(min = 1, max = 2) int p, @ForAll @IntRange(min = 1, max = 4) int k, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] kernel = new double[k];
        for (int i = 0; i < k; i++) kernel[i] = r.nextDouble(-1, 1); // not symmetric: checks the transpose in general
        int[] s = shape(p, k + r.nextInt(3), k + r.nextInt(4));
        Gen.assertGrad("blur k=" + k + " " + Shape.of(s), v -> Ssim.blur(v[0], kernel), Gen.uniform(r, s, -1, 1));
    }

    @Property(tries = 10)
    void ssim(@ForAll boolean fiveD, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] s = fiveD ? shape(1, 2, 1, 11 + r.nextInt(2), 11 + r.nextInt(2)) : shape(1, 1 + r.nextInt(2), 11 + r.nextInt(2), 11 + r.nextInt(2));
        Tensor x = Gen.uniform(r, s, 0, 1), y = x.mul(0.6).add(Gen.uniform(r, s, 0, 0.4));
        Gen.assertGrad("ssim " + Shape.of(s), v -> Ssim.ssim(v[0], v[1]), x, y);
    }

    @Property(tries = TRIES)
    void ssimSmallWindow(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] s = shape(1 + r.nextInt(2), 1, 3 + r.nextInt(3), 3 + r.nextInt(3));
        Tensor x = Gen.uniform(r, s, 0, 1), y = Gen.uniform(r, s, 0, 1);
        Gen.assertGrad("ssim(3, 1.0) " + Shape.of(s), v -> Ssim.ssim(v[0], v[1], 3, 1.0), x, y);
    }

    @Property(tries = 10)
    void l1Ssim(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] s = shape(1, 1, 1, 11 + r.nextInt(2), 11 + r.nextInt(2));
        Tensor x = Gen.uniform(r, s, 0.2, 0.8), y = x.add(Gen.signedAway(r, s, 0.02, 0.2)); // no |x - y| kink within eps
        Gen.assertGrad("l1Ssim " + Shape.of(s), v -> Losses.l1Ssim(v[0], v[1], 0.3), x, y);
    }

    @Property(tries = TRIES)
    void diffDivReg(@ForAll @IntRange(min = 1, max = 2) int b, @ForAll @IntRange(min = 3, max = 4) int t, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] s = shape(b, t, 1, 1 + r.nextInt(2), 1 + r.nextInt(3));
        Gen.assertGrad("diffDivReg " + Shape.of(s), v -> Losses.diffDivReg(v[0], v[1], 0.1, 1e-12), Gen.uniform(r, s, 0, 1), Gen.uniform(r, s, 0, 1));
    }

    @Property(tries = 5)
    void diffDivRegIsZeroForTwoFrames(@ForAll @IntRange(min = 1, max = 2) int t, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] s = shape(2, t, 1, 2, 2);
        assertEquals(0.0, Losses.diffDivReg(Var.param(Gen.uniform(r, s, 0, 1)), Var.param(Gen.uniform(r, s, 0, 1))).item());
    }

    /** The float32 kernels (vectors, tails, chunks) agree with the float64 path on shapes with lane tails. */
    @Property(tries = TRIES)
    void float32MatchesFloat64(@ForAll @IntRange(min = 1, max = 40) int spatial, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 1 + r.nextInt(3), c = 2 * (1 + r.nextInt(3));
        int[] s = shape(n, c, spatial);
        Tensor x64 = Gen.uniform(r, s, -2, 2).mul(r.nextDouble(0.5, 3)).add(r.nextDouble(-5, 5));
        Tensor w64 = Gen.uniform(r, shape(c), 0.5, 2), b64 = Gen.uniform(r, shape(c), -1, 1), u64 = Gen.uniform(r, s, -1, 1);
        for (int which = 0; which < 4; which++) {
            int op = which;
            java.util.function.Function<Var[], Var> f = v -> switch (op) {
                case 0 -> NormOps.groupNorm(v[0], 2, v[1], v[2], 1e-5);
                case 1 -> NormOps.batchNorm(v[0], v[1], v[2], null, null, true, 0.1, 1e-5);
                case 2 -> NormOps.layerNorm(v[0], shape(spatial), null, null, 1e-5);
                default -> NormOps.softmax(v[0], -1);
            };
            Assume.that(op != 1 || n * spatial > 1);
            Var[] a = {Var.param(x64.to(DType.F32)), Var.param(w64.to(DType.F32)), Var.param(b64.to(DType.F32))};
            Var[] d = {Var.param(x64), Var.param(w64), Var.param(b64)};
            Var ya = f.apply(a), yd = f.apply(d);
            Gen.assertClose("f32 forward op " + op, ya.value(), yd.value(), 1e-4, 1e-4);
            ya.backward(u64.to(DType.F32), false);
            yd.backward(u64, false);
            Gen.assertClose("f32 grad x op " + op, a[0].grad(), d[0].grad(), 1e-3, 1e-3);
        }
    }

    /** Large blocks (several float32 chunks, long vector runs): float32 within 1e-4 of float64. */
    @Example
    void largeShapesFloat32MatchesFloat64() {
        SplittableRandom r = new SplittableRandom(7);
        int[][] shapes = {shape(2, 4, 40, 40), shape(2, 2, 64, 64), shape(3, 5000)};
        for (int op = 0; op < 3; op++) {
            int[] s = shapes[op];
            int c = s[1], which = op;
            Tensor x64 = Gen.uniform(r, s, -2, 2).mul(3).add(10), w64 = Gen.uniform(r, shape(c), 0.5, 2), b64 = Gen.uniform(r, shape(c), -1, 1);
            Tensor u64 = Gen.uniform(r, s, -1, 1);
            java.util.function.Function<Var[], Var> f = v -> switch (which) {
                case 0 -> NormOps.groupNorm(v[0], 2, v[1], v[2], 1e-5);
                case 1 -> NormOps.batchNorm(v[0], v[1], v[2], null, null, true, 0.1, 1e-5);
                default -> NormOps.layerNorm(v[0], shape(5000), null, null, 1e-5);
            };
            Var[] a = {Var.param(x64.to(DType.F32)), Var.param(w64.to(DType.F32)), Var.param(b64.to(DType.F32))};
            Var[] d = {Var.param(x64), Var.param(w64), Var.param(b64)};
            Var ya = f.apply(a), yd = f.apply(d);
            Gen.assertClose("large f32 forward op " + op, ya.value(), yd.value(), 1e-4, 1e-4);
            ya.backward(u64.to(DType.F32), false);
            yd.backward(u64, false);
            Gen.assertClose("large f32 grad x op " + op, a[0].grad(), d[0].grad(), 1e-4, 1e-4);
            if (op < 2) Gen.assertClose("large f32 grad w op " + op, a[1].grad(), d[1].grad(), 1e-3, 1e-4);
        }
    }

    /** The same bits with 1 and 3 threads (sums have an order fixed by the sizes alone). */
    @Example
    void resultsDoNotDependOnThreadCount() {
        Tensor x = Tensor.randn(11, 4, 8, 24, 24).mul(2).add(1), w = Tensor.randn(12, 8), b = Tensor.randn(13, 8), u = Tensor.randn(14, 4, 8, 24, 24);
        int before = org.pdr4j.tensor.Parallel.threads();
        Tensor[][] out = new Tensor[2][];
        try {
            for (int t = 0; t < 2; t++) {
                org.pdr4j.tensor.Parallel.setThreads(t == 0 ? 1 : 3);
                Var xv = Var.param(x), wv = Var.param(w), bv = Var.param(b);
                Var y = NormOps.groupNorm(xv, 4, wv, bv, 1e-5).add(NormOps.batchNorm(xv, wv, bv, null, null, true, 0.1, 1e-5))
                        .add(NormOps.softmax(xv, -1)).add(NormOps.layerNorm(xv, shape(24, 24), null, null, 1e-5));
                y.backward(u, false);
                out[t] = new Tensor[] {y.value(), xv.grad(), wv.grad(), bv.grad()};
            }
        } finally {
            org.pdr4j.tensor.Parallel.setThreads(before);
        }
        for (int i = 0; i < 4; i++) Gen.assertSame("threads 1 vs 3, tensor " + i, out[1][i], out[0][i]);
    }
}
