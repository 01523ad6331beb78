package org.pdr4j.nn.optim;

import java.util.List;
import org.pdr4j.nn.Parameter;

/**
 * torch.optim.AdamW: decoupled weight decay {@code p *= 1 - lr*wd}, then Adam with bias
 * correction. State: "exp_avg.i", "exp_avg_sq.i", "step.i" (per-parameter step count).
 */
public class AdamW extends Optimizer {
    private final double beta1, beta2, eps, weightDecay;
    private final boolean decoupled;
    private final float[][] m, v;
    private final double[][] t;

    public AdamW(List<Parameter> ps, double lr, double beta1, double beta2, double eps, double weightDecay) {
        this(ps, lr, beta1, beta2, eps, weightDecay, true);
    }

    /** Betas 0.9 / 0.999 and eps 1e-8, as PyTorch. */
    public AdamW(List<Parameter> ps, double lr, double weightDecay) { this(ps, lr, 0.9, 0.999, 1e-8, weightDecay); }

    AdamW(List<Parameter> ps, double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        super(ps, lr);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1))
            throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + ", " + beta2);
        if (!(eps >= 0)) throw new IllegalArgumentException("eps must be >= 0, got " + eps);
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        int n = ps.size();
        m = new float[n][];
        v = new float[n][];
        t = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = slot("exp_avg", i);
            v[i] = slot("exp_avg_sq", i);
            t[i] = counter("step", i);
        }
    }

    @Override protected void update(int i, float[] w, float[] g) {
        double step = ++t[i][0];
        double lr = lr();
        double bc1 = 1 - Math.pow(beta1, step), bc2 = 1 - Math.pow(beta2, step);
        float stepSize = (float) (lr / bc1), bc2Sqrt = (float) Math.sqrt(bc2);
        float b1 = (float) beta1, b2 = (float) beta2, e = (float) eps;
        float decay = decoupled ? (float) (1 - lr * weightDecay) : 1f, l2 = decoupled ? 0f : (float) weightDecay;
        float[] mi = m[i], vi = v[i];
        for (int k = 0; k < w.length; k++) {
            float p = w[k] * decay;
            float gk = g[k] + l2 * w[k];
            float mk = b1 * mi[k] + (1 - b1) * gk;
            float vk = b2 * vi[k] + (1 - b2) * gk * gk;
            mi[k] = mk;
            vi[k] = vk;
            w[k] = p - stepSize * mk / ((float) Math.sqrt(vk) / bc2Sqrt + e);
        }
    }
}
