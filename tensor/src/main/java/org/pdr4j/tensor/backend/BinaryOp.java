package org.pdr4j.tensor.backend;

/** Element-wise binary primitives; comparisons give 1 or 0. {@link #apply} is the definition. */
public enum BinaryOp {
    ADD { @Override public double apply(double x, double y) { return x + y; } },
    SUB { @Override public double apply(double x, double y) { return x - y; } },
    MUL { @Override public double apply(double x, double y) { return x * y; } },
    DIV { @Override public double apply(double x, double y) { return x / y; } },
    /** NaN-propagating maximum, as {@code torch.maximum}. */
    MAX { @Override public double apply(double x, double y) { return Math.max(x, y); } },
    /** NaN-propagating minimum, as {@code torch.minimum}. */
    MIN { @Override public double apply(double x, double y) { return Math.min(x, y); } },
    POW { @Override public double apply(double x, double y) { return Math.pow(x, y); } },
    EQ { @Override public double apply(double x, double y) { return x == y ? 1 : 0; } },
    NE { @Override public double apply(double x, double y) { return x != y ? 1 : 0; } },
    LT { @Override public double apply(double x, double y) { return x < y ? 1 : 0; } },
    LE { @Override public double apply(double x, double y) { return x <= y ? 1 : 0; } },
    GT { @Override public double apply(double x, double y) { return x > y ? 1 : 0; } },
    GE { @Override public double apply(double x, double y) { return x >= y ? 1 : 0; } };

    public abstract double apply(double x, double y);
}
