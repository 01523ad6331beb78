package org.pdr4j.tensor.backend.cpu.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lane sums in a fixed order. {@code reduceLanes(ADD)} leaves the order unspecified, and it
 * does change between the interpreter and the JIT's code, so the same input could give
 * different bits within one run. Here the lanes are added as a butterfly (lane i with lane
 * i ^ half, halving each step): one order, always. Written out step by step (the branches
 * fold, LANES being a constant) so C2 keeps the vector in a register.
 */
public final class SimdReduce {
    private SimdReduce() {}

    private static final VectorSpecies<Float> F = SimdSpecies.F;
    private static final int L = SimdSpecies.LANES;
    private static final VectorShuffle<Float> X8 = xor(8), X4 = xor(4), X2 = xor(2), X1 = xor(1);

    private static VectorShuffle<Float> xor(int h) {
        return h < L ? VectorShuffle.fromOp(F, i -> i ^ h) : null;
    }

    /** The sum of v's lanes, in the same order on every call. */
    public static float sum(FloatVector v) {
        if (L > 16) throw new AssertionError("vectors wider than 16 floats are not expected");
        if (L == 16) v = v.add(v.rearrange(X8));
        if (L >= 8) v = v.add(v.rearrange(X4));
        if (L >= 4) v = v.add(v.rearrange(X2));
        if (L >= 2) v = v.add(v.rearrange(X1));
        return v.lane(0);
    }
}
