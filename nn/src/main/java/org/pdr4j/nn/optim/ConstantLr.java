package org.pdr4j.nn.optim;

/** The same learning rate at every step. */
public final class ConstantLr implements LrSchedule {
    private final double lr;

    public ConstantLr(double lr) { this.lr = lr; }

    @Override public double lr(long step) { return lr; }
}
