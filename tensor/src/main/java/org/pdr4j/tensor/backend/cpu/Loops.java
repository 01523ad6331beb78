package org.pdr4j.tensor.backend.cpu;

import org.pdr4j.tensor.Parallel;
import org.pdr4j.tensor.Tensor;

/**
 * Iteration over same-shaped strided operands, row by row. Dimensions that are adjacent in
 * every operand's memory are merged first, so a contiguous tensor is one long row and a
 * broadcast operand shows up as an inner stride of 0.
 */
final class Loops {
    private Loops() {}

    /** One row: start offset per operand (in storage elements), the operands' inner strides, length. */
    @FunctionalInterface
    interface Row {
        void run(int[] offsets, int[] innerStrides, int n);
    }

    /** Elements per parallel chunk below which splitting costs more than it saves. */
    static final int GRAIN = 1 << 14;

    /**
     * Calls {@code body} for every row of the operands (all of {@code ops[0]}'s shape), in
     * parallel over rows when the work is large.
     */
    static void rows(Tensor[] ops, Row body) {
        int rank = ops[0].rank(), k = ops.length;
        int[] shape = ops[0].shape().toArray();
        int[][] st = new int[k][];
        for (int j = 0; j < k; j++) st[j] = ops[j].strides();
        // Coalesce from the innermost dimension outwards; drop size-1 dimensions.
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
        int total = ops[0].numel();
        if (total == 0) return;
        int[] base = new int[k];
        for (int j = 0; j < k; j++) base[j] = ops[j].offset();
        if (r == 0) {
            body.run(base, new int[k], 1);
            return;
        }
        // cs[0] is the innermost (row) length; cs[1..r) the outer dims, innermost first.
        final int rr = r;
        int n = cs[0];
        int[] inner = new int[k];
        for (int j = 0; j < k; j++) inner[j] = cst[j][0];
        int rowsCount = total / n;
        int grainRows = Math.max(1, GRAIN / n);
        Parallel.forRange(rowsCount, grainRows, (s, e) -> {
            int[] offs = new int[k];
            for (int row = s; row < e; row++) {
                int rem = row;
                for (int j = 0; j < k; j++) offs[j] = base[j];
                for (int d = 1; d < rr && rem > 0; d++) {
                    int c = rem % cs[d];
                    rem /= cs[d];
                    for (int j = 0; j < k; j++) offs[j] += c * cst[j][d];
                }
                body.run(offs, inner, n);
            }
        });
    }
}
