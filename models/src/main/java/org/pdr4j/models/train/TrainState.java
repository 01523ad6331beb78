package org.pdr4j.models.train;

/**
 * Where a run stands, saved in each checkpoint so {@code --resume} continues exactly: the next
 * global step, the run's seed and length, the loss used, and the lowest validation loss so far
 * (the run's own objective on the validation split) with its epoch.
 */
public record TrainState(long step, int epochs, int batch, long seed, String loss, double bestValLoss, int bestEpoch) {
    public TrainState withStep(long s) { return new TrainState(s, epochs, batch, seed, loss, bestValLoss, bestEpoch); }

    public TrainState withBest(double valLoss, int epoch) { return new TrainState(step, epochs, batch, seed, loss, valLoss, epoch); }
}
