package org.pdr4j.tensor.backend;

/**
 * Element-wise unary primitives. {@link #apply} is the definition (in double precision) that
 * every backend must agree with; {@code a} and {@code b} are the op's scalar parameters
 * (slope of {@code LEAKY_RELU}, exponent of {@code POW}, bounds of {@code CLAMP}).
 */
public enum UnaryOp {
    NEG { @Override public double apply(double x, double a, double b) { return -x; } },
    ABS { @Override public double apply(double x, double a, double b) { return Math.abs(x); } },
    EXP { @Override public double apply(double x, double a, double b) { return Math.exp(x); } },
    LOG { @Override public double apply(double x, double a, double b) { return Math.log(x); } },
    SQRT { @Override public double apply(double x, double a, double b) { return Math.sqrt(x); } },
    RSQRT { @Override public double apply(double x, double a, double b) { return 1.0 / Math.sqrt(x); } },
    RECIPROCAL { @Override public double apply(double x, double a, double b) { return 1.0 / x; } },
    TANH { @Override public double apply(double x, double a, double b) { return Math.tanh(x); } },
    SIGMOID { @Override public double apply(double x, double a, double b) { return 1.0 / (1.0 + Math.exp(-x)); } },
    RELU { @Override public double apply(double x, double a, double b) { return Math.max(x, 0.0); } },
    LEAKY_RELU { @Override public double apply(double x, double a, double b) { return x > 0 ? x : a * x; } },
    /** GELU in its exact erf form: {@code x * Phi(x)}. */
    GELU { @Override public double apply(double x, double a, double b) { return 0.5 * x * (1.0 + Erf.erf(x / Math.sqrt(2.0))); } },
    /** The error function. */
    ERF { @Override public double apply(double x, double a, double b) { return Erf.erf(x); } },
    SILU { @Override public double apply(double x, double a, double b) { return x / (1.0 + Math.exp(-x)); } },
    SIN { @Override public double apply(double x, double a, double b) { return Math.sin(x); } },
    COS { @Override public double apply(double x, double a, double b) { return Math.cos(x); } },
    /** {@code x ^ a}. */
    POW { @Override public double apply(double x, double a, double b) { return Math.pow(x, a); } },
    /** {@code min(max(x, a), b)}; NaN stays NaN. */
    CLAMP { @Override public double apply(double x, double a, double b) { return Double.isNaN(x) ? x : Math.min(Math.max(x, a), b); } },
    /** {@code a * x + b}: scalar scale and shift in one pass. */
    AFFINE { @Override public double apply(double x, double a, double b) { return a * x + b; } },
    /** 1 where x is finite, else 0. */
    IS_FINITE { @Override public double apply(double x, double a, double b) { return Double.isFinite(x) ? 1.0 : 0.0; } };

    /** The op's value at {@code x}. */
    public abstract double apply(double x, double a, double b);

    /**
     * The derivative d op / dx at {@code x}, given {@code y = apply(x, a, b)} (several ops are
     * cheapest from y). At kinks it takes the values torch's backward uses: 0 for ABS and RELU
     * at 0, the slope {@code a} for LEAKY_RELU at 0, 1 at both CLAMP bounds, 0 for {@code x^0}.
     *
     * @throws UnsupportedOperationException for IS_FINITE, which has no derivative
     */
    public double derivative(double x, double y, double a, double b) {
        return switch (this) {
            case NEG -> -1;
            case ABS -> x > 0 ? 1 : x < 0 ? -1 : 0;
            case EXP -> y;
            case LOG -> 1 / x;
            case SQRT -> 0.5 / y;
            case RSQRT -> -0.5 * y * y * y;
            case RECIPROCAL -> -y * y;
            case TANH -> 1 - y * y;
            case SIGMOID -> y * (1 - y);
            case RELU -> x > 0 ? 1 : 0;
            case LEAKY_RELU -> x > 0 ? 1 : a;
            // d/dx x*Phi(x) = Phi(x) + x*phi(x)
            case GELU -> 0.5 * (1 + Erf.erf(x / Math.sqrt(2.0))) + x * Erf.normalPdf(x);
            case ERF -> 2 / Math.sqrt(Math.PI) * Math.exp(-x * x);
            case SILU -> {
                double s = 1 / (1 + Math.exp(-x));
                yield s * (1 + x * (1 - s));
            }
            case SIN -> Math.cos(x);
            case COS -> -Math.sin(x);
            case POW -> a == 0 ? 0 : a * Math.pow(x, a - 1);
            case CLAMP -> x >= a && x <= b ? 1 : 0;
            case AFFINE -> a;
            case IS_FINITE -> throw new UnsupportedOperationException("isFinite has no derivative");
        };
    }
}
