package org.pdr4j.nn.optim;

/**
 * torch.optim.lr_scheduler.OneCycleLR with its defaults (two phases, cosine annealing,
 * pct_start 0.3, div_factor 25, final_div_factor 1e4): from maxLr/25 up to maxLr at step
 * pct*total - 1, then down to maxLr/25/1e4 at step total - 1.
 */
public final class OneCycle implements LrSchedule {
    private final double initial, max, min;
    private final double peak, end;

    public OneCycle(double maxLr, long totalSteps) { this(maxLr, totalSteps, 0.3, 25, 1e4); }

    public OneCycle(double maxLr, long totalSteps, double pctStart, double divFactor, double finalDivFactor) {
        if (totalSteps < 1 || !(maxLr > 0)) throw new IllegalArgumentException("OneCycle needs maxLr > 0 and totalSteps >= 1");
        this.max = maxLr;
        this.initial = maxLr / divFactor;
        this.min = initial / finalDivFactor;
        this.peak = pctStart * totalSteps - 1;
        this.end = totalSteps - 1;
    }

    private static double cos(double start, double stop, double pct) {
        return stop + (start - stop) / 2 * (Math.cos(Math.PI * pct) + 1);
    }

    @Override public double lr(long step) {
        if (step <= peak) return peak <= 0 ? max : cos(initial, max, step / peak);
        return cos(max, min, Math.min(1, (step - peak) / (end - peak)));
    }
}
