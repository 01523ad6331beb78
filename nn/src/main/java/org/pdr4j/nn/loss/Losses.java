package org.pdr4j.nn.loss;

import org.pdr4j.autograd.Var;
import org.pdr4j.autograd.ops.NormOps;
import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.ShapeException;
import org.pdr4j.tensor.Tensor;

/** Training losses; each returns a differentiable scalar. */
public final class Losses {
    private Losses() {}

    private static void same(String op, Var a, Var b) {
        if (!a.shape().equals(b.shape())) throw new ShapeException(op + ": pred " + a.shape() + " and target " + b.shape() + " differ");
    }

    /** Mean squared error over all elements (torch.nn.MSELoss). */
    public static Var mse(Var pred, Var target) {
        same("mse", pred, target);
        Var d = pred.sub(target);
        return d.mul(d).mean();
    }

    /** Mean absolute error over all elements (torch.nn.L1Loss). */
    public static Var l1(Var pred, Var target) {
        same("l1", pred, target);
        return pred.sub(target).abs().mean();
    }

    /** {@code lambda * L1 + (1 - lambda) * (1 - SSIM)}, SSIM as in {@link Ssim#ssim}. */
    public static Var l1Ssim(Var pred, Var target, double lambda) {
        same("l1Ssim", pred, target);
        return l1(pred, target).mul(lambda).add(Ssim.loss(pred, target).mul(1 - lambda));
    }

    /** {@link #diffDivReg(Var, Var, double, double)} with OpenSTL's tau 0.1 and eps 1e-12. */
    public static Var diffDivReg(Var pred, Var target) {
        return diffDivReg(pred, target, 0.1, 1e-12);
    }

    /**
     * TAU's differential divergence regularisation (OpenSTL {@code diff_div_reg}) on
     * {@code [B, T, C, H, W]}: the frame differences {@code d = x[:, 1:] - x[:, :-1]} of pred and
     * target, flattened to {@code [B, T-1, C*H*W]}, become {@code p = softmax(d_pred / tau)} and
     * {@code q = softmax(d_target / tau)} over the last axis; the result is
     * {@code mean(p * log(p / (q + eps) + eps))}. Zero when T <= 2. TAU trains on
     * {@code mse + 0.1 * diffDivReg}.
     */
    public static Var diffDivReg(Var pred, Var target, double tau, double eps) {
        same("diffDivReg", pred, target);
        Shape s = pred.shape();
        if (s.rank() < 3) throw new ShapeException("diffDivReg: inputs must be [B, T, C, ...], got " + s);
        int b = s.dim(0), t = s.dim(1);
        if (t <= 2) return Var.constant(Tensor.full(pred.dtype(), Shape.scalar(), 0));
        Var p = NormOps.softmax(gaps(pred, b, t).div(tau), -1);
        Var q = NormOps.softmax(gaps(target, b, t).div(tau), -1);
        return p.mul(p.div(q.add(eps)).add(eps).log()).mean();
    }

    private static Var gaps(Var x, int b, int t) {
        return x.narrow(1, 1, t - 1).sub(x.narrow(1, 0, t - 1)).reshape(b, t - 1, -1);
    }
}
