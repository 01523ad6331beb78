package org.pdr4j.nn.optim;

import java.util.List;
import org.pdr4j.nn.Parameter;

/**
 * torch.optim.SGD with dampening 0: {@code g += wd*p}; with momentum {@code buf = mu*buf + g}
 * (the first step gives buf = g, as the buffer starts at zero); {@code g = nesterov ? g + mu*buf
 * : buf}; {@code p -= lr*g}. State: "momentum.i" when momentum is non-zero.
 */
public final class Sgd extends Optimizer {
    private final double momentum, weightDecay;
    private final boolean nesterov;
    private final float[][] buf;

    public Sgd(List<Parameter> ps, double lr, double momentum, double weightDecay, boolean nesterov) {
        super(ps, lr);
        if (!(momentum >= 0)) throw new IllegalArgumentException("momentum must be >= 0, got " + momentum);
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        if (nesterov && momentum == 0) throw new IllegalArgumentException("nesterov needs a non-zero momentum");
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
        buf = new float[ps.size()][];
        if (momentum != 0) for (int i = 0; i < ps.size(); i++) buf[i] = slot("momentum", i);
    }

    /** Plain SGD without momentum or decay. */
    public Sgd(List<Parameter> ps, double lr) { this(ps, lr, 0, 0, false); }

    @Override protected void update(int i, float[] w, float[] g) {
        float lr = (float) lr(), wd = (float) weightDecay, mu = (float) momentum;
        float[] b = buf[i];
        for (int k = 0; k < w.length; k++) {
            float gk = g[k] + wd * w[k];
            if (b != null) {
                float bk = mu * b[k] + gk;
                b[k] = bk;
                gk = nesterov ? gk + mu * bk : bk;
            }
            w[k] -= lr * gk;
        }
    }
}
