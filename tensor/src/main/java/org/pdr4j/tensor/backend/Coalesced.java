package org.pdr4j.tensor.backend;

import org.pdr4j.tensor.Tensor;

/**
 * Same-shaped strided operands with their dimensions merged wherever they are adjacent in every
 * operand's memory and size-1 dimensions dropped, innermost first: a contiguous tensor becomes one
 * dimension, a broadcast operand shows a stride of 0. The CPU loops and the OpenCL kernels'
 * index arithmetic both start from this.
 *
 * @param rank    merged dimensions (0 for a single element)
 * @param shape   {@code shape[0..rank)}, innermost first
 * @param strides {@code strides[j][0..rank)} of operand {@code j}, innermost first
 */
public record Coalesced(int rank, int[] shape, int[][] strides) {
    /** The merged layout of {@code ops}, all of {@code ops[0]}'s shape. */
    public static Coalesced of(Tensor... ops) {
        int rank = ops[0].rank(), k = ops.length;
        int[] shape = ops[0].shape().toArray();
        int[][] st = new int[k][];
        for (int j = 0; j < k; j++) st[j] = ops[j].strides();
        int[] cs = new int[Math.max(rank, 1)];
        int[][] cst = new int[k][Math.max(rank, 1)];
        int r = 0;
        for (int d = rank - 1; d >= 0; d--) {
            if (shape[d] == 1) continue;
            if (r > 0) {
                boolean merge = true;
                for (int j = 0; j < k && merge; j++) merge = st[j][d] == cst[j][r - 1] * cs[r - 1];
                if (merge) {
                    cs[r - 1] *= shape[d];
                    continue;
                }
            }
            cs[r] = shape[d];
            for (int j = 0; j < k; j++) cst[j][r] = st[j][d];
            r++;
        }
        return new Coalesced(r, cs, cst);
    }
}
