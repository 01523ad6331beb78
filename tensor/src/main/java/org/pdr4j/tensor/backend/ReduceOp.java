package org.pdr4j.tensor.backend;

/** Reductions. Sums run in a fixed order, so results are deterministic for a thread count. */
public enum ReduceOp {
    SUM(0.0),
    MAX(Double.NEGATIVE_INFINITY),
    MIN(Double.POSITIVE_INFINITY);

    private final double identity;

    ReduceOp(double identity) {
        this.identity = identity;
    }

    /** The value of an empty reduction. */
    public double identity() {
        return identity;
    }

    /** Combines an accumulator with one element; MAX and MIN propagate NaN. */
    public double combine(double acc, double x) {
        return switch (this) {
            case SUM -> acc + x;
            case MAX -> (x > acc || Double.isNaN(x)) ? x : acc;
            case MIN -> (x < acc || Double.isNaN(x)) ? x : acc;
        };
    }
}
