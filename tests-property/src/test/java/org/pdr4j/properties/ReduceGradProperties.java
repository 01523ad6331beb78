package org.pdr4j.properties;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.pdr4j.autograd.Var;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.Tensor;

/**
 * Gradients of the reductions ({@code sum}, {@code mean}, {@code max}/{@code min} (amax/amin),
 * {@code var}) equal float64 central differences, over random axis subsets (shuffled, negative
 * or not, empty included) with and without keepDim, on contiguous and permuted inputs. max/min
 * inputs are pairwise distinct (gaps above 0.04), so no tie sits within eps of a data point;
 * ties are checked separately against the documented even split.
 *
 * <p>Tolerance: {@code GradCheck} with eps = 1e-6, atol = 1e-5, rtol = 1e-4. The tie law is
 * exact up to 1e-12.
 */
class ReduceGradProperties {
    private static final int TRIES = 50;

    @Provide
    Arbitrary<int[]> shapes() {
        return Gen.gradShapes(0, 4);
    }

    /** Permutes the input first when asked (rank >= 2), so the reduction reads a non-contiguous view. */
    private static Var maybePermuted(Var x, int[] perm) {
        return perm == null ? x : x.permute(perm);
    }

    private static int[] perm(SplittableRandom r, int rank, boolean view) {
        return view && rank >= 2 ? Gen.permutation(r, rank) : null;
    }

    private static int[] permuted(int[] s, int[] perm) {
        if (perm == null) return s;
        int[] out = new int[s.length];
        for (int i = 0; i < s.length; i++) out[i] = s[perm[i]];
        return out;
    }

    @Property(tries = TRIES)
    void sumAll(@ForAll("shapes") int[] s, @ForAll long seed) {
        Gen.assertGrad("sum()", v -> v[0].sum(), Gen.uniform(new SplittableRandom(seed), s, -2, 2));
    }

    @Property(tries = TRIES)
    void sumAxes(@ForAll("shapes") int[] s, @ForAll long seed, @ForAll boolean keepDim, @ForAll boolean view) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] p = perm(r, s.length, view), axes = Gen.axes(r, s.length);
        Gen.assertGrad("sum(" + Arrays.toString(axes) + ", " + keepDim + ") perm " + Arrays.toString(p),
                v -> maybePermuted(v[0], p).sum(axes, keepDim), Gen.uniform(r, s, -2, 2));
    }

    @Property(tries = TRIES)
    void meanAll(@ForAll("shapes") int[] s, @ForAll long seed) {
        Gen.assertGrad("mean()", v -> v[0].mean(), Gen.uniform(new SplittableRandom(seed), s, -2, 2));
    }

    @Property(tries = TRIES)
    void meanAxes(@ForAll("shapes") int[] s, @ForAll long seed, @ForAll boolean keepDim, @ForAll boolean view) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] p = perm(r, s.length, view), axes = Gen.axes(r, s.length);
        Gen.assertGrad("mean(" + Arrays.toString(axes) + ", " + keepDim + ") perm " + Arrays.toString(p),
                v -> maybePermuted(v[0], p).mean(axes, keepDim), Gen.uniform(r, s, -2, 2));
    }

    @Property(tries = TRIES)
    void maxAll(@ForAll("shapes") int[] s, @ForAll long seed) {
        Gen.assertGrad("max()", v -> v[0].max(), Gen.distinct(new SplittableRandom(seed), s));
    }

    @Property(tries = TRIES)
    void maxAxes(@ForAll("shapes") int[] s, @ForAll long seed, @ForAll boolean keepDim, @ForAll boolean view) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] p = perm(r, s.length, view), axes = Gen.axes(r, s.length);
        Gen.assertGrad("max(" + Arrays.toString(axes) + ", " + keepDim + ") perm " + Arrays.toString(p),
                v -> maybePermuted(v[0], p).max(axes, keepDim), Gen.distinct(r, s));
    }

    @Property(tries = TRIES)
    void minAxes(@ForAll("shapes") int[] s, @ForAll long seed, @ForAll boolean keepDim, @ForAll boolean view) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] p = perm(r, s.length, view), axes = Gen.axes(r, s.length);
        Gen.assertGrad("min(" + Arrays.toString(axes) + ", " + keepDim + ") perm " + Arrays.toString(p),
                v -> maybePermuted(v[0], p).min(axes, keepDim), Gen.distinct(r, s));
    }

    @Property(tries = TRIES)
    void var(@ForAll("shapes") int[] s, @ForAll long seed, @ForAll boolean keepDim, @ForAll boolean view) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] p = perm(r, s.length, view), axes = Gen.axes(r, s.length);
        int correction = r.nextInt(2);
        int[] ps = permuted(s, p);
        int n = 1;
        for (int a : axes) n *= ps[a < 0 ? a + ps.length : a];
        Assume.that(n > correction);
        Gen.assertGrad("var(" + Arrays.toString(axes) + ", " + keepDim + ", " + correction + ") perm " + Arrays.toString(p),
                v -> maybePermuted(v[0], p).var(axes, keepDim, correction), Gen.uniform(r, s, -2, 2));
    }

    /** Tied maxima share the upstream gradient evenly: with all values equal, each gets g / n of its group. */
    @Property(tries = TRIES)
    void maxTiesShareEvenly(@ForAll("shapes") int[] s, @ForAll long seed, @ForAll boolean max) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] axes = Gen.axes(r, s.length);
        Var x = Var.param(Tensor.full(DType.F64, Shape.of(s), r.nextDouble(-1, 1)));
        Var y = max ? x.max(axes, true) : x.min(axes, true);
        Tensor seedGrad = Gen.uniform(r, y.shape().toArray(), -1, 1);
        y.backward(seedGrad, false);
        int n = 1;
        for (int a : axes) n *= x.size(a);
        Tensor expected = seedGrad.div(Tensor.full(DType.F64, Shape.scalar(), n)).broadcastTo(x.shape());
        Gen.assertClose((max ? "max" : "min") + Arrays.toString(axes) + " ties on " + Arrays.toString(s), x.grad(), expected, 0, 1e-12);
    }
}
