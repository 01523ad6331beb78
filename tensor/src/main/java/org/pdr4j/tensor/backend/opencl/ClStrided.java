package org.pdr4j.tensor.backend.opencl;

import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Storage;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.backend.Coalesced;

/**
 * Host-side layout of same-shaped strided operands for the element-wise kernels: dimensions
 * that are adjacent in every operand's memory are merged and size-1 dimensions dropped (as the
 * CPU backend's loops do), and each operand is uploaded as the span of storage its view touches,
 * with its offset rebased into that span. So broadcast operands (stride 0) upload one element
 * per broadcast run, not the expanded tensor, and no host-side gather is made.
 */
final class ClStrided {
    private ClStrided() {}

    /** Coalesced shape (outermost first) followed by each operand's strides: the kernels' {@code meta}. */
    record Layout(int rank, int[] meta) {}

    /** The layout of {@code ops}, all of {@code ops[0]}'s shape. */
    static Layout layout(Tensor... ops) {
        int k = ops.length;
        Coalesced merged = Coalesced.of(ops);
        int r = merged.rank();
        int[] cs = merged.shape();
        int[][] cst = merged.strides();
        int[] meta = new int[Math.max(1, r * (k + 1))];
        for (int d = 0; d < r; d++) {
            meta[d] = cs[r - 1 - d];
            for (int j = 0; j < k; j++) meta[(j + 1) * r + d] = cst[j][r - 1 - d];
        }
        return new Layout(r, meta);
    }

    /** Lowest and highest storage index {@code t}'s view touches ({@code t} non-empty). */
    static int[] span(Tensor t) {
        long lo = t.offset(), hi = t.offset();
        for (int d = 0; d < t.rank(); d++) {
            long ext = (long) (t.size(d) - 1) * t.stride(d);
            if (ext < 0) lo += ext;
            else hi += ext;
        }
        return new int[] {(int) lo, (int) hi};
    }

    static float[] f32(Tensor t, String op) {
        if (t.dtype() != DType.F32) throw new IllegalArgumentException(op + ": opencl backend computes F32, got " + t.dtype());
        return ((Storage.F32) t.storage()).array();
    }

    /** A device copy of the storage {@code t} touches; {@link Uploaded#offset} is t's offset within it. */
    static Uploaded upload(ClContext cl, Tensor t, String op) {
        float[] a = f32(t, op);
        int[] s = span(t);
        int n = s[1] - s[0] + 1;
        ClBuffer b = cl.buffer(n);
        try {
            cl.write(b, 0, a, s[0], n);
        } catch (RuntimeException e) {
            b.close();
            throw e;
        }
        return new Uploaded(b, t.offset() - s[0]);
    }

    /** An operand on the device: its buffer and its view's offset in it. */
    record Uploaded(ClBuffer buffer, int offset) implements AutoCloseable {
        @Override
        public void close() {
            buffer.close();
        }
    }
}
