package org.pdr4j.nn.optim;

/** A learning rate as a function of the optimisation step (0-based). */
@FunctionalInterface
public interface LrSchedule {
    double lr(long step);
}
