package org.pdr4j.tensor.backend.cpu;

import org.pdr4j.tensor.Parallel;
import org.pdr4j.tensor.Storage;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.backend.ReduceOp;
import org.pdr4j.tensor.backend.cpu.simd.SimdKernels;

/**
 * Reductions on float32. The input is viewed as a [kept, reduced] matrix; a unit-stride reduced
 * axis is summed along rows with vectors, a unit-stride kept axis column-wise (one vector step
 * per reduced index; Math.max semantics keep NaN). Each output is accumulated by one thread in a fixed order.
 */
final class CpuReduce {
    private CpuReduce() {}

    static void reduce(ReduceOp op, Tensor x, boolean[] axes, Tensor out) {
        int rank = x.rank();
        int[] perm = new int[rank];
        int p = 0, keptCount = 1, redCount = 1;
        for (int d = 0; d < rank; d++) if (!axes[d]) { perm[p++] = d; keptCount *= x.size(d); }
        for (int d = 0; d < rank; d++) if (axes[d]) { perm[p++] = d; redCount *= x.size(d); }
        final int kept = keptCount, red = redCount;
        float[] o = ((Storage.F32) out.storage()).array();
        int oo = out.offset();
        float identity = (float) op.identity();
        if (red == 0 || kept == 0) {
            for (int i = 0; i < kept; i++) o[oo + i] = identity;
            return;
        }
        // out is contiguous in kept order (keepdim shape of a fresh tensor).
        Tensor m = x.permute(perm).reshape(kept, red);
        float[] xs = ((Storage.F32) m.storage()).array();
        int xo = m.offset(), sk = m.stride(0), sr = m.stride(1);
        if (sr == 1 || red == 1) {
            int grain = Math.max(1, Loops.GRAIN / red);
            Parallel.forRange(kept, grain, (s, e) -> {
                for (int i = s; i < e; i++) o[oo + i] = row(op, xs, xo + i * sk, red);
            });
        } else if (sk == 1) {
            int grain = Math.max(16, Loops.GRAIN / red);
            int kind = op == ReduceOp.SUM ? 0 : op == ReduceOp.MAX ? 1 : 2;
            Parallel.forRange(kept, grain, (s, e) -> {
                java.util.Arrays.fill(o, oo + s, oo + e, identity);
                for (int r = 0; r < red; r++) SimdKernels.accumulate(kind, o, oo + s, xs, xo + r * sr + s, e - s);
            });
        } else {
            Parallel.forRange(kept, Math.max(1, Loops.GRAIN / red), (s, e) -> {
                for (int i = s; i < e; i++) {
                    double acc = op.identity();
                    for (int r = 0; r < red; r++) acc = op.combine(acc, xs[xo + i * sk + r * sr]);
                    o[oo + i] = (float) acc;
                }
            });
        }
    }

    private static float row(ReduceOp op, float[] x, int off, int n) {
        return switch (op) {
            case SUM -> blockedSum(x, off, n);
            case MAX -> SimdKernels.extreme(true, x, off, n);
            case MIN -> SimdKernels.extreme(false, x, off, n);
        };
    }

    /** Sums long rows in blocks of 4096, then the block sums: float error grows with log n, not n. */
    private static float blockedSum(float[] x, int off, int n) {
        final int block = 4096;
        if (n <= block) return SimdKernels.sum(x, off, n);
        int nb = (n + block - 1) / block;
        float[] partial = new float[nb];
        for (int b = 0; b < nb; b++) partial[b] = SimdKernels.sum(x, off + b * block, Math.min(block, n - b * block));
        return blockedSum(partial, 0, nb);
    }
}
