package org.pdr4j.autograd.ops;

import org.pdr4j.autograd.Function;
import org.pdr4j.tensor.Tensor;

/** Matrix products. */
public final class LinalgOps {
    private LinalgOps() {}

    /**
     * Batched matmul of operands of rank >= 2 with broadcast batch dims ({@code Var.matmul}
     * promotes 1-D operands with unsqueeze first). dA = dC B^T, dB = A^T dC, summed over
     * broadcast batch dims.
     */
    public static final class Matmul extends Function {
        private Tensor a, b;

        @Override
        protected Tensor forward(Tensor... in) {
            a = in[0];
            b = in[1];
            if (a.rank() < 2 || b.rank() < 2) throw new IllegalArgumentException("Matmul needs rank >= 2 operands, got " + a.shape() + " and " + b.shape());
            return a.matmul(b);
        }

        @Override
        protected Tensor[] backward(Tensor g, boolean[] needsGrad) {
            Tensor ga = null, gb = null;
            if (needsGrad[0]) ga = ElementwiseOps.sumTo(g.matmul(b.transpose(-1, -2)), a.shape());
            if (needsGrad[1]) gb = ElementwiseOps.sumTo(a.transpose(-1, -2).matmul(g), b.shape());
            return new Tensor[] {ga, gb};
        }
    }
}
