package org.pdr4j.properties;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.pdr4j.autograd.Var;
import org.pdr4j.tensor.Tensor;

/**
 * Gradients of the view and data-movement {@link Var} ops equal float64 central differences:
 * reshape (incl. -1 and reshapes of non-contiguous views), permute, transpose, narrow, slice
 * with step and negative bounds, select, expand, squeeze/unsqueeze, contiguous, pad (positive
 * and negative, i.e. crops), gather and indexSelect (repeated indices, so the adjoint must
 * accumulate), split (sizes may be 0), concat and stack. GradCheck's random upstream
 * gradient makes a gradient routed to the wrong element show up even when the op only copies.
 *
 * <p>Tolerance: {@code GradCheck} with eps = 1e-6, atol = 1e-5, rtol = 1e-4 (these ops are
 * linear, so the check is in fact exact to rounding).
 */
class MovementGradProperties {
    private static final int TRIES = 50;

    @Provide
    Arbitrary<int[]> shapes() {
        return Gen.gradShapes(0, 4);
    }

    @Provide
    Arbitrary<int[]> nonScalar() {
        return Gen.gradShapes(1, 4);
    }

    private static Tensor values(SplittableRandom r, int[] s) {
        return Gen.uniform(r, s, -2, 2);
    }

    @Property(tries = TRIES)
    void reshape(@ForAll("shapes") int[] s, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] target = Gen.factorShape(r, Gen.numel(s), true);
        Gen.assertGrad("reshape" + Arrays.toString(target), v -> v[0].reshape(target), values(r, s));
    }

    /** Reshape of a permuted (non-contiguous) view: the forward must copy, the backward reshape back. */
    @Property(tries = TRIES)
    void reshapeOfPermuted(@ForAll("shapes") int[] s, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] p = Gen.permutation(r, s.length), target = Gen.factorShape(r, Gen.numel(s), true);
        Gen.assertGrad("permute" + Arrays.toString(p) + ".reshape" + Arrays.toString(target),
                v -> v[0].permute(p).reshape(target), values(r, s));
    }

    @Property(tries = TRIES)
    void flatten(@ForAll("shapes") int[] s, @ForAll long seed) {
        Gen.assertGrad("flatten", v -> v[0].flatten(), values(new SplittableRandom(seed), s));
    }

    @Property(tries = TRIES)
    void permute(@ForAll("shapes") int[] s, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] p = Gen.permutation(r, s.length);
        for (int i = 0; i < p.length; i++) if (r.nextBoolean()) p[i] -= p.length;
        Gen.assertGrad("permute" + Arrays.toString(p), v -> v[0].permute(p), values(r, s));
    }

    @Property(tries = TRIES)
    void transpose(@ForAll("nonScalar") int[] s, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int a = r.nextInt(-s.length, s.length), b = r.nextInt(-s.length, s.length);
        Gen.assertGrad("transpose(" + a + ", " + b + ")", v -> v[0].transpose(a, b), values(r, s));
    }

    @Property(tries = TRIES)
    void narrow(@ForAll("nonScalar") int[] s, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int d = r.nextInt(s.length), start = r.nextInt(s[d] + 1), len = r.nextInt(s[d] - start + 1);
        int dim = r.nextBoolean() ? d : d - s.length;
        Gen.assertGrad("narrow(" + dim + ", " + start + ", " + len + ")", v -> v[0].narrow(dim, start, len), values(r, s));
    }

    @Property(tries = TRIES)
    void sliceWithStep(@ForAll("nonScalar") int[] s, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int d = r.nextInt(s.length), n = s[d];
        int start = r.nextInt(-n - 1, n + 2), end = r.nextInt(-n - 1, n + 2), step = 1 + r.nextInt(3);
        Gen.assertGrad("slice(" + d + ", " + start + ", " + end + ", " + step + ")", v -> v[0].slice(d, start, end, step), values(r, s));
    }

    /** Two slices of a slice: strides multiply and offsets add through the backward's sliceScatter. */
    @Property(tries = TRIES)
    void sliceOfSlice(@ForAll("nonScalar") int[] s, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int d = r.nextInt(s.length), d2 = r.nextInt(s.length), st = 1 + r.nextInt(2), st2 = 1 + r.nextInt(2);
        int start = r.nextInt(s[d]), start2 = r.nextInt(2);
        Gen.assertGrad("slice(" + d + ", " + start + ", end, " + st + ").slice(" + d2 + ", " + start2 + ", end, " + st2 + ")",
                v -> v[0].slice(d, start, Integer.MAX_VALUE, st).slice(d2, start2, Integer.MAX_VALUE, st2), values(r, s));
    }

    @Property(tries = TRIES)
    void select(@ForAll("nonScalar") int[] s, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int d = r.nextInt(s.length), i = r.nextInt(-s[d], s[d]);
        Gen.assertGrad("select(" + d + ", " + i + ")", v -> v[0].select(d, i), values(r, s));
    }

    /** Expanding size-1 dims and adding leading dims; the backward sums over the repeats. */
    @Property(tries = TRIES)
    void expand(@ForAll("shapes") int[] s, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] src = s.clone();
        for (int i = 0; i < src.length; i++) if (r.nextInt(2) == 0) src[i] = 1;
        int lead = r.nextInt(3);
        int[] sizes = new int[lead + s.length];
        for (int i = 0; i < lead; i++) sizes[i] = 1 + r.nextInt(3);
        for (int i = 0; i < s.length; i++) sizes[lead + i] = src[i] == s[i] && r.nextInt(3) == 0 ? -1 : s[i];
        Gen.assertGrad("expand" + Arrays.toString(sizes) + " of " + Arrays.toString(src), v -> v[0].expand(sizes), values(r, src));
    }

    @Property(tries = TRIES)
    void squeezeAll(@ForAll("shapes") int[] s, @ForAll long seed) {
        Gen.assertGrad("squeeze()", v -> v[0].squeeze(), values(new SplittableRandom(seed), s));
    }

    @Property(tries = TRIES)
    void squeezeDim(@ForAll("nonScalar") int[] s, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int d = r.nextInt(-s.length, s.length);
        Gen.assertGrad("squeeze(" + d + ")", v -> v[0].squeeze(d), values(r, s));
    }

    @Property(tries = TRIES)
    void unsqueeze(@ForAll("shapes") int[] s, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int d = r.nextInt(-s.length - 1, s.length + 1);
        Gen.assertGrad("unsqueeze(" + d + ")", v -> v[0].unsqueeze(d), values(r, s));
    }

    /** contiguous() of a permuted view records a copy whose gradient passes through. */
    @Property(tries = TRIES)
    void contiguous(@ForAll("shapes") int[] s, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] p = Gen.permutation(r, s.length);
        Gen.assertGrad("permute" + Arrays.toString(p) + ".contiguous()", v -> v[0].permute(p).contiguous().mul(v[0].permute(p)), values(r, s));
    }

    /** Pads (before, after) pairs from the last dim; negative amounts crop, sizes may reach 0. */
    @Property(tries = TRIES)
    void pad(@ForAll("nonScalar") int[] s, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int dims = 1 + r.nextInt(s.length);
        int[] pads = new int[2 * dims];
        for (int p = 0; p < dims; p++) {
            int n = s[s.length - 1 - p];
            pads[2 * p] = r.nextInt(-n, 3);
            pads[2 * p + 1] = r.nextInt(-(n + pads[2 * p]), 3);
        }
        double value = r.nextDouble(-1, 1);
        Gen.assertGrad("pad(" + Arrays.toString(pads) + ", " + value + ")", v -> v[0].pad(pads, value), values(r, s));
    }

    @Property(tries = TRIES)
    void gather(@ForAll("nonScalar") int[] s, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int d = r.nextInt(s.length);
        int[] is = s.clone();
        for (int i = 0; i < is.length; i++) is[i] = i == d ? 1 + r.nextInt(4) : 1 + r.nextInt(s[i]);
        Tensor idx = Gen.index(r, is, s[d]);
        Gen.assertGrad("gather(" + d + ", " + Gen.describe(idx) + ")", v -> v[0].gather(d, idx), values(r, s));
    }

    @Property(tries = TRIES)
    void indexSelect(@ForAll("nonScalar") int[] s, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int d = r.nextInt(s.length);
        Tensor idx = Gen.index(r, new int[] {r.nextInt(5)}, s[d]);
        int dim = r.nextBoolean() ? d : d - s.length;
        Gen.assertGrad("indexSelect(" + dim + ", " + Gen.describe(idx) + ")", v -> v[0].indexSelect(dim, idx), values(r, s));
    }

    /** Random split sizes (zeros allowed); the parts are re-joined in reverse order with distinct weights. */
    @Property(tries = TRIES)
    void split(@ForAll("nonScalar") int[] s, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int d = r.nextInt(s.length);
        int[] sizes = randomSplit(r, s[d]);
        Gen.assertGrad("split(" + Arrays.toString(sizes) + ", " + d + ")", v -> {
            List<Var> parts = v[0].split(sizes, d);
            List<Var> weighted = new ArrayList<>();
            for (int i = parts.size() - 1; i >= 0; i--) weighted.add(parts.get(i).mul(i + 1.0));
            return Var.concat(weighted, d);
        }, values(r, s));
    }

    /** 1..4 sizes (zeros allowed) adding up to {@code n}. */
    static int[] randomSplit(SplittableRandom r, int n) {
        int k = 1 + r.nextInt(4);
        int[] cuts = new int[k + 1];
        for (int i = 1; i < k; i++) cuts[i] = r.nextInt(n + 1);
        cuts[k] = n;
        Arrays.sort(cuts, 1, k);
        int[] sizes = new int[k];
        for (int i = 0; i < k; i++) sizes[i] = cuts[i + 1] - cuts[i];
        return sizes;
    }

    @Property(tries = TRIES)
    void concat(@ForAll("nonScalar") int[] s, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int d = r.nextInt(s.length), k = 1 + r.nextInt(3);
        Tensor[] parts = new Tensor[k];
        for (int i = 0; i < k; i++) {
            int[] ps = s.clone();
            ps[d] = r.nextInt(4);
            parts[i] = values(r, ps);
        }
        int dim = r.nextBoolean() ? d : d - s.length;
        Gen.assertGrad("concat(dim " + dim + ")", v -> Var.concat(Arrays.asList(v), dim), parts);
    }

    @Property(tries = TRIES)
    void stack(@ForAll("shapes") int[] s, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int k = 1 + r.nextInt(3), dim = r.nextInt(-s.length - 1, s.length + 1);
        Tensor[] parts = new Tensor[k];
        for (int i = 0; i < k; i++) parts[i] = values(r, s);
        Gen.assertGrad("stack(dim " + dim + ")", v -> Var.stack(Arrays.asList(v), dim), parts);
    }

    /** A chain of views and a copy: permute, slice, expand, reshape, pad. */
    @Property(tries = TRIES)
    void chainedViews(@ForAll("nonScalar") int[] s, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] p = Gen.permutation(r, s.length);
        Gen.assertGrad("chain perm " + Arrays.toString(p), v -> {
            Var y = v[0].permute(p).slice(0, 0, Integer.MAX_VALUE, 2).unsqueeze(0);
            int[] sizes = new int[y.rank()];
            Arrays.fill(sizes, -1);
            sizes[0] = 2;
            y = y.expand(sizes).pad(new int[] {1, -1}, 0.5);
            return y.reshape(-1).mul(y.reshape(-1));
        }, values(r, s));
    }
}
