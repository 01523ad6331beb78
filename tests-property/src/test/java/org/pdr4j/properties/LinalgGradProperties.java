package org.pdr4j.properties;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.pdr4j.autograd.Var;
import org.pdr4j.tensor.Tensor;

/**
 * Gradients of {@link Var#matmul} equal float64 central differences: 1-D by 1-D (dot), 1-D by
 * 2-D and 2-D by 1-D (the promoted dim is removed), 2-D by 2-D, batched operands whose batch
 * dims broadcast (either side size 1 or missing, 1-D with batched included), transposed
 * (non-contiguous) operands, and one operand used on both sides.
 *
 * <p>Tolerance: {@code GradCheck} with eps = 1e-6, atol = 1e-5, rtol = 1e-4.
 */
class LinalgGradProperties {
    private static final int TRIES = 50;

    private static Tensor values(SplittableRandom r, int[] s) {
        return Gen.uniform(r, s, -1.5, 1.5);
    }

    /** Random M, K, N in 1..4 and batch shapes (rank 0..2) that broadcast, possibly 1-D operands. */
    @Property(tries = TRIES)
    void matmul(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int m, @ForAll @IntRange(min = 1, max = 4) int k,
            @ForAll @IntRange(min = 1, max = 4) int n, @ForAll @IntRange(min = 0, max = 2) int batchRank,
            @ForAll boolean vecA, @ForAll boolean vecB) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] base = new int[batchRank];
        for (int i = 0; i < batchRank; i++) base[i] = 1 + r.nextInt(3);
        int[][] batch = Gen.broadcastable(r, base, 2);
        int[] sa = vecA ? new int[] {k} : concat(batch[0], m, k);
        int[] sb = vecB ? new int[] {k} : concat(batch[1], k, n);
        Gen.assertGrad("matmul " + Arrays.toString(sa) + " @ " + Arrays.toString(sb), v -> v[0].matmul(v[1]), values(r, sa), values(r, sb));
    }

    /** 1-D by 1-D: a dot product with a rank-0 result. */
    @Property(tries = TRIES)
    void dot(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int k) {
        SplittableRandom r = new SplittableRandom(seed);
        Gen.assertGrad("dot [" + k + "]", v -> v[0].matmul(v[1]), values(r, new int[] {k}), values(r, new int[] {k}));
    }

    /** Operands seen through transposes: A^T B and A B^T on stored [K, M] and [N, K] tensors. */
    @Property(tries = TRIES)
    void matmulTransposed(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int m, @ForAll @IntRange(min = 1, max = 4) int k,
            @ForAll @IntRange(min = 1, max = 4) int n, @ForAll boolean batched) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] sa = batched ? new int[] {2, k, m} : new int[] {k, m};
        int[] sb = batched ? new int[] {n, k} : new int[] {2, n, k};
        Gen.assertGrad("matmul " + Arrays.toString(sa) + "^T @ " + Arrays.toString(sb) + "^T",
                v -> v[0].transpose(-1, -2).matmul(v[1].transpose(-1, -2)), values(r, sa), values(r, sb));
    }

    /** {@code X X^T}: the same leaf on both sides, gradients from both accumulate. */
    @Property(tries = TRIES)
    void gram(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int m, @ForAll @IntRange(min = 1, max = 4) int k) {
        SplittableRandom r = new SplittableRandom(seed);
        Gen.assertGrad("X X^T [" + m + ", " + k + "]", v -> v[0].matmul(v[0].transpose(0, 1)), values(r, new int[] {m, k}));
    }

    private static int[] concat(int[] batch, int r, int c) {
        int[] d = Arrays.copyOf(batch, batch.length + 2);
        d[batch.length] = r;
        d[batch.length + 1] = c;
        return d;
    }
}
