package org.pdr4j.nn.optim;

/**
 * torch.optim.lr_scheduler.OneCycleLR with its defaults (pct_start 0.3, cosine annealing,
 * div_factor 25, final_div_factor 1e4, two phases): from maxLr/25 up to maxLr over steps
 * [0, pct*total - 1], then cosine down to maxLr/25/1e4 at step total - 1.
 */
public final class OneCycle implements LrSchedule {
    private final double maxLr, initialLr, minLr, pctStart;
    private final long totalSteps;

    public OneCycle(double maxLr, long totalSteps) { this(maxLr, totalSteps, 0.3, 25, 1e4); }

    public OneCycle(double maxLr, long totalSteps, double pctStart, double divFactor, double finalDivFactor) {
        if (!(maxLr > 0)) throw new IllegalArgumentException("OneCycle: maxLr must be > 0, got " + maxLr);
        if (totalSteps < 2) throw new IllegalArgumentException("OneCycle: totalSteps must be >= 2, got " + totalSteps);
        if (!(pctStart > 0 && pctStart < 1)) throw new IllegalArgumentException("OneCycle: pctStart must be in (0, 1), got " + pctStart);
        this.maxLr = maxLr;
        this.totalSteps = totalSteps;
        this.pctStart = pctStart;
        this.initialLr = maxLr / divFactor;
        this.minLr = initialLr / finalDivFactor;
    }

    @Override public double lr(long step) {
        // Phase ends exactly as PyTorch computes them (floats, not rounded).
        double end1 = pctStart * totalSteps - 1, end2 = totalSteps - 1;
        if (step <= end1) return anneal(initialLr, maxLr, step / end1);
        return anneal(maxLr, minLr, Math.min(1, (step - end1) / (end2 - end1)));
    }

    private static double anneal(double start, double end, double pct) {
        return end + (start - end) / 2 * (Math.cos(Math.PI * pct) + 1);
    }
}
