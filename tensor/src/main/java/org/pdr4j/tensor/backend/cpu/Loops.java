package org.pdr4j.tensor.backend.cpu;

import org.pdr4j.tensor.Parallel;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.backend.Coalesced;

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
        int k = ops.length;
        // Coalesce from the innermost dimension outwards; drop size-1 dimensions.
        Coalesced merged = Coalesced.of(ops);
        int r = merged.rank();
        int[] cs = merged.shape();
        int[][] cst = merged.strides();
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
