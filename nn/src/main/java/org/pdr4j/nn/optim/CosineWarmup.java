package org.pdr4j.nn.optim;

/**
 * Linear warm-up from {@code warmupStartLr} to {@code baseLr} over {@code warmupSteps} steps,
 * then a cosine from {@code baseLr} down to {@code minLr} over the remaining steps (timm's
 * CosineLRScheduler per step with the warm-up as a prefix); {@code minLr} from
 * {@code totalSteps} on.
 */
public final class CosineWarmup implements LrSchedule {
    private final double baseLr, minLr, warmupStartLr;
    private final long warmupSteps, totalSteps;

    public CosineWarmup(double baseLr, double minLr, long warmupSteps, double warmupStartLr, long totalSteps) {
        if (warmupSteps < 0 || totalSteps <= warmupSteps)
            throw new IllegalArgumentException("CosineWarmup: need 0 <= warmupSteps < totalSteps, got " + warmupSteps + ", " + totalSteps);
        this.baseLr = baseLr;
        this.minLr = minLr;
        this.warmupSteps = warmupSteps;
        this.warmupStartLr = warmupStartLr;
        this.totalSteps = totalSteps;
    }

    @Override public double lr(long step) {
        if (step < warmupSteps) return warmupStartLr + step * (baseLr - warmupStartLr) / warmupSteps;
        if (step >= totalSteps) return minLr;
        double t = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
        return minLr + 0.5 * (baseLr - minLr) * (1 + Math.cos(Math.PI * t));
    }
}
