package org.pdr4j.tensor;

/** Stride arithmetic for views. */
final class Views {
    private Views() {}

    /**
     * Strides that let {@code newShape} view memory laid out as ({@code shape}, {@code strides}),
     * or null when none exist (PyTorch's {@code computeStride}): each run of old dimensions that
     * is contiguous in memory may be split into new dimensions of the same total size.
     */
    static int[] viewStrides(Shape shape, int[] strides, Shape newShape) {
        int oldRank = shape.rank(), newRank = newShape.rank();
        int[] out = new int[newRank];
        if (shape.numel() == 0) {
            return newShape.contiguousStrides();
        }
        int viewD = newRank - 1;
        long chunkBase = oldRank == 0 ? 1 : strides[oldRank - 1];
        long tensorNumel = 1, viewNumel = 1;
        for (int d = oldRank - 1; d >= 0; d--) {
            tensorNumel *= shape.dim(d);
            // A chunk ends where the next-outer dimension is not laid out right after this one.
            if (d == 0 || (shape.dim(d - 1) != 1 && strides[d - 1] != tensorNumel * chunkBase)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape.dim(viewD) == 1)) {
                    out[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= newShape.dim(viewD);
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (d > 0) {
                    chunkBase = strides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        if (viewD != -1) {
            // Only trailing size-1 dims (or a rank-0 source) remain.
            while (viewD >= 0) {
                if (newShape.dim(viewD) != 1 && oldRank != 0) return null;
                out[viewD] = 1;
                viewD--;
            }
        }
        return out;
    }
}
