package org.pdr4j.nn.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pdr4j.nn.Parameter;
import org.pdr4j.tensor.Parallel;
import org.pdr4j.tensor.Storage;
import org.pdr4j.tensor.Tensor;

/**
 * torch.optim.AdamW: decoupled weight decay {@code p *= 1 - lr*wd}, then Adam with bias
 * correction. With {@code decoupled = false} it is torch.optim.Adam (L2 added to the gradient).
 */
public final class AdamW extends Optimizer {
    private final double beta1, beta2, eps, weightDecay;
    private final boolean decoupled;
    private final Tensor[] m, v;

    public AdamW(List<Parameter> params, double lr, double weightDecay) { this(params, lr, 0.9, 0.999, 1e-8, weightDecay, true); }

    public AdamW(List<Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        super(params, lr);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        m = new Tensor[this.params.size()];
        v = new Tensor[this.params.size()];
        for (int i = 0; i < m.length; i++) {
            m[i] = Tensor.zeros(this.params.get(i).value().shape().toArray());
            v[i] = Tensor.zeros(this.params.get(i).value().shape().toArray());
        }
    }

    /** torch.optim.Adam (coupled L2 decay). */
    public static AdamW adam(List<Parameter> params, double lr, double weightDecay) {
        return new AdamW(params, lr, 0.9, 0.999, 1e-8, weightDecay, false);
    }

    @Override public void step() {
        steps++;
        float c1 = (float) (1 - Math.pow(beta1, steps)), c2 = (float) Math.sqrt(1 - Math.pow(beta2, steps));
        float b1 = (float) beta1, b2 = (float) beta2, e = (float) eps, a = (float) lr, wd = (float) weightDecay;
        float shrink = decoupled ? (float) (1 - lr * weightDecay) : 1f, l2 = decoupled ? 0f : wd;
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            Tensor gt = p.grad();
            if (gt == null) continue;
            float[] w = p.data(), g = contiguous(gt), mm = ((Storage.F32) m[i].storage()).array(), vv = ((Storage.F32) v[i].storage()).array();
            Parallel.forRange(w.length, 1 << 14, (s, end) -> {
                for (int j = s; j < end; j++) {
                    float gj = g[j] + l2 * w[j];
                    float mj = b1 * mm[j] + (1 - b1) * gj, vj = b2 * vv[j] + (1 - b2) * gj * gj;
                    mm[j] = mj;
                    vv[j] = vj;
                    w[j] = w[j] * shrink - a * (mj / c1) / ((float) Math.sqrt(vj) / c2 + e);
                }
            });
        }
    }

    private static float[] contiguous(Tensor g) {
        Tensor t = g.isContiguous() && g.offset() == 0 && g.storage() instanceof Storage.F32 ? g : g.to(org.pdr4j.tensor.DType.F32).copy();
        return ((Storage.F32) t.storage()).array();
    }

    @Override protected Map<String, Tensor> buffers() {
        Map<String, Tensor> b = new LinkedHashMap<>();
        for (int i = 0; i < m.length; i++) {
            b.put("exp_avg." + i, m[i]);
            b.put("exp_avg_sq." + i, v[i]);
        }
        return b;
    }
}
