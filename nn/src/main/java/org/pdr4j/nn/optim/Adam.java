package org.pdr4j.nn.optim;

import java.util.List;
import org.pdr4j.nn.Parameter;

/** torch.optim.Adam: weight decay as L2 ({@code g += wd*p}), then Adam with bias correction. */
public final class Adam extends AdamW {
    public Adam(List<Parameter> ps, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super(ps, lr, beta1, beta2, eps, weightDecay, false);
    }

    /** Betas 0.9 / 0.999 and eps 1e-8, as PyTorch. */
    public Adam(List<Parameter> ps, double lr, double weightDecay) { this(ps, lr, 0.9, 0.999, 1e-8, weightDecay); }
}
