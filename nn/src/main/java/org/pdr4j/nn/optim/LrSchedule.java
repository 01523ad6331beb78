package org.pdr4j.nn.optim;

/** Learning rate as a function of the optimiser step (0-based). */
@FunctionalInterface
public interface LrSchedule {
    double lr(long step);
}
