package org.pdr4j.models.train;

/**
 * Where a run stands, saved in each checkpoint so {@code --resume} continues exactly: the next
 * global step, the run's seed and length, the loss used and the best validation MSE so far.
 */
public record TrainState(long step, int epochs, int batch, long seed, String loss, double bestValMse, int bestEpoch) {
    public TrainState withStep(long s) { return new TrainState(s, epochs, batch, seed, loss, bestValMse, bestEpoch); }

    public TrainState withBest(double mse, int epoch) { return new TrainState(step, epochs, batch, seed, loss, mse, epoch); }
}
