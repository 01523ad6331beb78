package org.pdr4j.properties;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.ShapeException;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.backend.BinaryOp;

/**
 * Algebraic laws of the tensor ops, on float32 tensors (the cpu backend) laid out contiguously
 * or not ({@link Gen#strided}: permuted, stepped, windowed):
 *
 * <ul>
 *   <li>views: permute by p then by p's inverse, transpose twice, and reshape there and back
 *       give the original (values, shape, and for permute the strides); reshape keeps the
 *       row-major order; view either equals reshape or throws ShapeException; slice has
 *       Python's length and picks {@code start + i * step};
 *   <li>matmul equals a naive double-precision triple loop, within
 *       {@code 2 k 2^-24 sum_q |a_iq| |b_qj|} per element (tolerance growing with k), for
 *       contiguous, transposed and stepped operands, 1-D operands and broadcast batches, at sizes
 *       on both sides of SGEMM's packing threshold and up to its multi-threaded path;
 *   <li>broadcasting any BinaryOp equals expanding both sides and making them contiguous first
 *       (exactly);
 *   <li>concat then split and split then concat, pad then the negated pad, stack as concat of
 *       unsqueezed parts, sliceScatter then slice (all exact); gather and scatterAdd are
 *       adjoint: {@code <gather(x, i), g> = <x, scatterAdd(0, i, g)>} (float64, 1e-12).
 * </ul>
 */
class LawProperties {
    private static final int TRIES = 50;
    private static final double U = 0x1p-24;

    @Provide
    Arbitrary<int[]> shapes() {
        return Gen.shapes(0, 4, 5, 400);
    }

    @Provide
    Arbitrary<int[]> nonScalar() {
        return Gen.shapes(1, 4, 5, 400);
    }

    private static Tensor f32(SplittableRandom r, int[] s) {
        return Gen.strided(r, Gen.uniform(r, s, -2, 2));
    }

    // ---------------------------------------------------------------- views

    @Property(tries = TRIES)
    void permuteThenInverseIsIdentity(@ForAll("shapes") int[] s, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor x = f32(r, s);
        int[] p = Gen.permutation(r, s.length);
        Tensor y = x.permute(p).permute(Gen.inverse(p));
        Gen.assertSame("permute" + Arrays.toString(p) + " then inverse", y, x);
        if (!Arrays.equals(y.strides(), x.strides())) throw new AssertionError("strides " + Arrays.toString(y.strides()) + " vs " + Arrays.toString(x.strides()));
        // And the permuted view reads the elements the permutation names.
        Tensor xp = x.permute(p).contiguous();
        int[] idx = new int[s.length];
        for (int lin = 0; lin < xp.numel(); lin++) {
            int rem = lin;
            for (int i = s.length - 1; i >= 0; i--) {
                idx[i] = rem % xp.size(i);
                rem /= xp.size(i);
            }
            int[] src = new int[s.length];
            for (int i = 0; i < s.length; i++) src[p[i]] = idx[i];
            if (xp.get(idx) != x.get(src)) throw new AssertionError("permute" + Arrays.toString(p) + " at " + Arrays.toString(idx));
        }
    }

    @Property(tries = TRIES)
    void transposeIsAnInvolution(@ForAll("nonScalar") int[] s, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor x = f32(r, s);
        int a = r.nextInt(-s.length, s.length), b = r.nextInt(-s.length, s.length);
        Gen.assertSame("transpose(" + a + ", " + b + ") twice", x.transpose(a, b).transpose(a, b), x);
        Gen.assertSame("transpose(a, b) = transpose(b, a)", x.transpose(a, b), x.transpose(b, a));
    }

    @Property(tries = TRIES)
    void reshapeThereAndBack(@ForAll("shapes") int[] s, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor x = f32(r, s);
        int[] t = Gen.factorShape(r, x.numel(), true);
        Tensor y = x.reshape(t);
        if (!Arrays.equals(y.toDoubleArray(), x.toDoubleArray())) throw new AssertionError("reshape" + Arrays.toString(t) + " changed the row-major order of " + Gen.describe(x));
        Gen.assertSame("reshape" + Arrays.toString(t) + " and back of " + Gen.describe(x), y.reshape(s), x);
        Gen.assertSame("flatten", x.flatten(), Tensor.of(x.toFloatArray(), x.numel()));
    }

    @Property(tries = TRIES)
    void viewEqualsReshapeOrThrows(@ForAll("shapes") int[] s, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor x = f32(r, s);
        int[] t = Gen.factorShape(r, x.numel(), true);
        Tensor v;
        try {
            v = x.view(t);
        } catch (ShapeException e) {
            if (x.isContiguous()) throw new AssertionError("view" + Arrays.toString(t) + " refused a contiguous " + Gen.describe(x), e);
            return;
        }
        if (v.storage() != x.storage()) throw new AssertionError("view copied");
        Gen.assertSame("view" + Arrays.toString(t) + " of " + Gen.describe(x), v, x.reshape(t));
    }

    /** slice(d, start, end, step) has len(range(start', end', step)) elements, element i at start' + i * step. */
    @Property(tries = TRIES)
    void sliceFollowsPythonSemantics(@ForAll("nonScalar") int[] s, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor x = f32(r, s);
        int d = r.nextInt(s.length), n = s[d];
        int start = r.nextInt(-2 * n - 1, 2 * n + 2), end = r.nextInt(-2 * n - 1, 2 * n + 2);
        int[] bigSteps = {n, n + 1, 1 << 30, Integer.MAX_VALUE - 1, Integer.MAX_VALUE};
        int step = r.nextInt(5) == 0 ? bigSteps[r.nextInt(bigSteps.length)] : 1 + r.nextInt(4);
        long st = Math.min(Math.max(start < 0 ? (long) start + n : start, 0), n);
        long en = Math.min(Math.max(end < 0 ? (long) end + n : end, 0), n);
        long len = en <= st ? 0 : (en - st + step - 1) / step;
        String what = "slice(" + d + ", " + start + ", " + end + ", " + step + ") of " + x.shape();
        Tensor y = x.slice(d, start, end, step);
        if (y.size(d) != len) throw new AssertionError(what + " has " + y.size(d) + " elements along dim " + d + ", Python gives " + len);
        for (int i = 0; i < len; i++) {
            Gen.assertSame(what + " element " + i, y.select(d, i), x.select(d, (int) (st + (long) i * step)));
        }
    }

    // ---------------------------------------------------------------- matmul

    /** A float32 operand laid out as asked: 0 contiguous, 1 stored transposed (matrices), 2 {@link Gen#strided}. */
    private static Tensor operand(SplittableRandom r, int[] shape, int layout) {
        Tensor v = Gen.uniform(r, shape, -1, 1).to(DType.F32);
        return switch (layout) {
            case 1 -> shape.length < 2 ? v : v.transpose(-1, -2).contiguous().transpose(-1, -2);
            case 2 -> Gen.strided(r, v);
            default -> v;
        };
    }

    @Property(tries = TRIES)
    void matmulEqualsNaiveLoop(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int m, @ForAll @IntRange(min = 1, max = 80) int k,
            @ForAll @IntRange(min = 1, max = 40) int n, @ForAll @IntRange(min = 0, max = 2) int batchRank,
            @ForAll @IntRange(min = 0, max = 2) int layoutA, @ForAll @IntRange(min = 0, max = 2) int layoutB,
            @ForAll boolean vecA, @ForAll boolean vecB) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] base = new int[batchRank];
        for (int i = 0; i < batchRank; i++) base[i] = 1 + r.nextInt(3);
        int[][] batch = Gen.broadcastable(r, base, 2);
        int[] sa = vecA ? new int[] {k} : withMatrix(batch[0], m, k);
        int[] sb = vecB ? new int[] {k} : withMatrix(batch[1], k, n);
        Tensor a = operand(r, sa, layoutA), b = operand(r, sb, layoutB);
        Tensor c = a.matmul(b);
        // Expected shape (NumPy): broadcast batch, then m and n unless that side was 1-D.
        int[] bs = Gen.broadcastShape(vecA ? new int[0] : batch[0], vecB ? new int[0] : batch[1]);
        List<Integer> es = new ArrayList<>();
        for (int x : bs) es.add(x);
        if (!vecA) es.add(m);
        if (!vecB) es.add(n);
        int[] expectedShape = es.stream().mapToInt(Integer::intValue).toArray();
        String what = "matmul " + a.shape() + " strides " + Arrays.toString(a.strides()) + " @ " + b.shape() + " strides " + Arrays.toString(b.strides());
        if (!c.shape().equals(Shape.of(expectedShape))) throw new AssertionError(what + " gave shape " + c.shape() + ", expected " + Arrays.toString(expectedShape));
        // Views of every operand as [batch..., m, k] / [batch..., k, n] / [batch..., m, n].
        Tensor a4 = (vecA ? a.unsqueeze(0) : a).broadcastTo(Shape.of(withMatrix(bs, vecA ? 1 : m, k)));
        Tensor b4 = (vecB ? b.unsqueeze(1) : b).broadcastTo(Shape.of(withMatrix(bs, k, vecB ? 1 : n)));
        Tensor c4 = c.reshape(withMatrix(bs, vecA ? 1 : m, vecB ? 1 : n));
        int mm = vecA ? 1 : m, nn = vecB ? 1 : n, nb = Gen.numel(bs);
        int[] bidx = new int[bs.length];
        for (int p = 0; p < nb; p++) {
            int rem = p;
            for (int i = bs.length - 1; i >= 0; i--) {
                bidx[i] = rem % bs[i];
                rem /= bs[i];
            }
            for (int i = 0; i < mm; i++) {
                for (int j = 0; j < nn; j++) {
                    double sum = 0, mag = 0;
                    for (int q = 0; q < k; q++) {
                        double av = a4.get(withMatrix(bidx, i, q)), bv = b4.get(withMatrix(bidx, q, j));
                        sum += av * bv;
                        mag += Math.abs(av * bv);
                    }
                    double got = c4.get(withMatrix(bidx, i, j)), tol = 2 * k * U * mag + Float.MIN_NORMAL;
                    if (!(Math.abs(got - sum) <= tol)) {
                        throw new AssertionError(what + ": batch " + Arrays.toString(bidx) + " (" + i + ", " + j + ") is " + got
                                + ", naive loop gives " + sum + " (tolerance " + tol + ")");
                    }
                }
            }
        }
    }

    /**
     * Products large enough for SGEMM's packed, multi-threaded path (m n k above 64^3, k across a
     * 256-deep block), with random edge tiles; operands contiguous or stored transposed.
     */
    @Property(tries = 8)
    void largeMatmulEqualsNaiveLoop(@ForAll long seed, @ForAll @IntRange(min = 60, max = 130) int m, @ForAll @IntRange(min = 200, max = 300) int k,
            @ForAll @IntRange(min = 60, max = 130) int n, @ForAll boolean transA, @ForAll boolean transB) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor a = operand(r, new int[] {m, k}, transA ? 1 : 0), b = operand(r, new int[] {k, n}, transB ? 1 : 0);
        double[] av = a.toDoubleArray(), bv = b.toDoubleArray(), cv = a.matmul(b).toDoubleArray();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0, mag = 0;
                for (int q = 0; q < k; q++) {
                    double t = av[i * k + q] * bv[q * n + j];
                    sum += t;
                    mag += Math.abs(t);
                }
                double tol = 2 * k * U * mag + Float.MIN_NORMAL;
                if (!(Math.abs(cv[i * n + j] - sum) <= tol)) {
                    throw new AssertionError("matmul [" + m + ", " + k + "] (transposed " + transA + ") @ [" + k + ", " + n + "] (transposed "
                            + transB + "), seed " + seed + ": (" + i + ", " + j + ") is " + cv[i * n + j] + ", naive loop gives " + sum);
                }
            }
        }
    }

    private static int[] withMatrix(int[] batch, int r, int c) {
        int[] d = Arrays.copyOf(batch, batch.length + 2);
        d[batch.length] = r;
        d[batch.length + 1] = c;
        return d;
    }

    // ---------------------------------------------------------------- broadcasting

    /** x op y with broadcasting equals the op on explicitly expanded, contiguous copies, bit for bit. */
    @Property(tries = 150)
    void broadcastEqualsExplicitExpand(@ForAll("shapes") int[] s, @ForAll long seed, @ForAll BinaryOp op) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] sh = Gen.broadcastable(r, s, 2);
        Tensor x = f32(r, sh[0]), y = op == BinaryOp.POW ? Gen.strided(r, Gen.uniform(r, sh[1], 0.5, 2)) : f32(r, sh[1]);
        if (op == BinaryOp.POW) x = x.abs().add(0.1);
        int[] out = Gen.broadcastShape(sh[0], sh[1]);
        Tensor xe = x.expand(out).contiguous(), ye = y.expand(out).contiguous();
        Gen.assertSame(op + " of " + Gen.describe(x, y), BackendLawProperties.zip(op, x, y), BackendLawProperties.zip(op, xe, ye));
    }

    // ---------------------------------------------------------------- movement

    @Property(tries = TRIES)
    void concatThenSplitRoundTrips(@ForAll("nonScalar") int[] s, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int d = r.nextInt(s.length);
        int[] sizes = MovementGradProperties.randomSplit(r, s[d]);
        List<Tensor> parts = new ArrayList<>();
        for (int sz : sizes) {
            int[] ps = s.clone();
            ps[d] = sz;
            parts.add(f32(r, ps));
        }
        Tensor c = Tensor.concat(parts, d);
        List<Tensor> back = c.split(sizes, d);
        for (int i = 0; i < sizes.length; i++) Gen.assertSame("concat/split part " + i + " dim " + d + " sizes " + Arrays.toString(sizes), back.get(i), parts.get(i));
        Gen.assertSame("split then concat", Tensor.concat(back, d), c);
    }

    @Property(tries = TRIES)
    void stackEqualsConcatOfUnsqueezed(@ForAll("shapes") int[] s, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int k = 1 + r.nextInt(3), d = r.nextInt(-s.length - 1, s.length + 1);
        List<Tensor> parts = new ArrayList<>(), unsq = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            parts.add(f32(r, s));
            unsq.add(parts.get(i).unsqueeze(d));
        }
        Gen.assertSame("stack(dim " + d + ")", Tensor.stack(parts, d), Tensor.concat(unsq, d));
    }

    @Property(tries = TRIES)
    void padThenNegativePadRoundTrips(@ForAll("shapes") int[] s, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor x = f32(r, s);
        int[] pads = new int[2 * (s.length == 0 ? 0 : 1 + r.nextInt(s.length))];
        for (int i = 0; i < pads.length; i++) pads[i] = r.nextInt(4);
        int[] neg = pads.clone();
        for (int i = 0; i < neg.length; i++) neg[i] = -neg[i];
        float value = (float) r.nextDouble(-3, 3);
        Tensor p = x.pad(pads, value);
        Gen.assertSame("pad" + Arrays.toString(pads) + " then pad" + Arrays.toString(neg) + " of " + Gen.describe(x), p.pad(neg, 0), x);
        double inside = x.to(DType.F64).sum().item(), all = p.to(DType.F64).sum().item();
        double expected = inside + (p.numel() - x.numel()) * (double) value;
        if (!(Math.abs(all - expected) <= 1e-9 * (1 + Math.abs(expected)))) {
            throw new AssertionError("pad" + Arrays.toString(pads) + " with " + value + ": padded sum " + all + ", expected " + expected);
        }
    }

    @Property(tries = TRIES)
    void sliceScatterThenSliceGivesSource(@ForAll("nonScalar") int[] s, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor x = f32(r, s);
        int d = r.nextInt(s.length), start = r.nextInt(s[d] + 1), step = 1 + r.nextInt(3);
        Tensor view = x.slice(d, start, s[d], step);
        Tensor src = f32(r, view.shape().toArray());
        Tensor y = x.sliceScatter(src, d, start, s[d], step);
        Gen.assertSame("sliceScatter then slice", y.slice(d, start, s[d], step), src);
        // Elsewhere unchanged: scatter the original slice back.
        Gen.assertSame("sliceScatter of the original slice", y.sliceScatter(view, d, start, s[d], step), x);
    }

    /** {@code <gather(x, d, i), g> = <x, scatterAdd(zeros, d, i, g)>}, and indexSelect = gather with a broadcast index. */
    @Property(tries = TRIES)
    void gatherAndScatterAddAreAdjoint(@ForAll("nonScalar") int[] s, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int d = r.nextInt(s.length);
        int[] is = s.clone();
        for (int i = 0; i < is.length; i++) is[i] = i == d ? 1 + r.nextInt(6) : 1 + r.nextInt(s[i]);
        Tensor idx = Gen.index(r, is, s[d]);
        Tensor x = Gen.uniform(r, s, -1, 1), g = Gen.uniform(r, is, -1, 1);
        double lhs = x.gather(d, idx).mul(g).sum().item();
        double rhs = x.mul(Tensor.zeros(DType.F64, Shape.of(s)).scatterAdd(d, idx, g)).sum().item();
        if (!(Math.abs(lhs - rhs) <= 1e-12 * (1 + Math.abs(lhs)))) {
            throw new AssertionError("gather/scatterAdd along " + d + ": " + lhs + " vs " + rhs + Gen.describe(x, idx, g));
        }
        // F32 on the cpu backend agrees with F64 on ref.
        Gen.assertClose("gather F32 vs F64", x.to(DType.F32).gather(d, idx), x.to(DType.F32).to(DType.F64).gather(d, idx), 0, 0);
        Tensor sel = Gen.index(r, new int[] {1 + r.nextInt(5)}, s[d]);
        int[] view = new int[s.length];
        Arrays.fill(view, 1);
        view[d] = sel.size(0);
        Shape outShape = Shape.of(s).with(d, sel.size(0));
        Gen.assertSame("indexSelect(" + d + ", " + Gen.describe(sel) + ")", x.indexSelect(d, sel), x.gather(d, sel.reshape(view).broadcastTo(outShape).contiguous()));
    }
}
