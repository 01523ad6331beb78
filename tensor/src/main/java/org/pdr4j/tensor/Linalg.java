package org.pdr4j.tensor;

import org.pdr4j.tensor.backend.Backends;

/** Matrix products with NumPy's rules for 1-D operands and broadcast batch dimensions. */
final class Linalg {
    private Linalg() {}

    static Tensor matmul(Tensor a, Tensor b) {
        if (a.rank() == 0 || b.rank() == 0) {
            throw new ShapeException("matmul: both operands need at least 1 dimension, got " + a.shape() + " and " + b.shape());
        }
        if (a.dtype() != b.dtype()) {
            DType dt = DType.promote(a.dtype(), b.dtype());
            return matmul(a.to(dt), b.to(dt));
        }
        boolean vecA = a.rank() == 1, vecB = b.rank() == 1;
        Tensor a2 = vecA ? a.unsqueeze(0) : a, b2 = vecB ? b.unsqueeze(1) : b;
        int m = a2.size(-2), k = a2.size(-1), k2 = b2.size(-2), n = b2.size(-1);
        if (k != k2) throw new ShapeException("matmul: inner dimensions differ: " + a.shape() + " @ " + b.shape());
        Shape batchA = Shape.of(java.util.Arrays.copyOf(a2.shape().toArray(), a2.rank() - 2));
        Shape batchB = Shape.of(java.util.Arrays.copyOf(b2.shape().toArray(), b2.rank() - 2));
        Shape batch = Shape.broadcast("matmul", batchA, batchB);
        int bn = batch.numel();
        Tensor a3, b3;
        if (batchB.rank() == 0 && batchA.rank() > 0 && (a2.isContiguous())) {
            // [.., M, K] @ [K, N]: fold the batch into M (one big GEMM instead of many small ones).
            a3 = a2.reshape(1, bn * m, k);
            b3 = b2.unsqueeze(0);
            Tensor out = Tensor.empty(a.dtype(), Shape.of(1, bn * m, n));
            Backends.forOperands(a3, b3).matmul(a3, b3, out);
            return finish(out, batch, m, n, vecA, vecB);
        }
        a3 = collapseBatch(a2.broadcastTo(withMatrix(batch, m, k)), bn, m, k);
        b3 = collapseBatch(b2.broadcastTo(withMatrix(batch, k, n)), bn, k, n);
        Tensor out = Tensor.empty(a.dtype(), Shape.of(bn, m, n));
        Backends.forOperands(a3, b3).matmul(a3, b3, out);
        return finish(out, batch, m, n, vecA, vecB);
    }

    private static Shape withMatrix(Shape batch, int r, int c) {
        int[] d = java.util.Arrays.copyOf(batch.toArray(), batch.rank() + 2);
        d[batch.rank()] = r;
        d[batch.rank() + 1] = c;
        return Shape.of(d);
    }

    /** A [B, r, c] view of a [batch..., r, c] tensor; copies only when the batch strides cannot merge. */
    private static Tensor collapseBatch(Tensor t, int bn, int r, int c) {
        int rank = t.rank();
        if (rank == 2) return t.unsqueeze(0);
        boolean allZero = t.numel() > 0;
        for (int i = 0; i < rank - 2; i++) allZero &= t.stride(i) == 0 || t.size(i) == 1;
        if (allZero) {
            // Every batch reads the same matrix: keep it a stride-0 batch, no copy.
            Tensor one = t;
            for (int i = 0; i < rank - 2; i++) one = one.narrow(0, 0, 1).squeeze(0);
            return one.unsqueeze(0).expand(bn, r, c);
        }
        int[] st = Views.viewStrides(t.shape(), t.strides(), Shape.of(bn, r, c));
        return st != null ? t.view(bn, r, c) : t.contiguous().view(bn, r, c);
    }

    private static Tensor finish(Tensor out, Shape batch, int m, int n, boolean vecA, boolean vecB) {
        int[] d = java.util.Arrays.copyOf(batch.toArray(), batch.rank() + 2);
        d[batch.rank()] = m;
        d[batch.rank() + 1] = n;
        Tensor r = out.reshape(d);
        if (vecB) r = r.squeeze(-1);
        if (vecA) r = r.squeeze(vecB ? -1 : -2);
        return r;
    }
}
