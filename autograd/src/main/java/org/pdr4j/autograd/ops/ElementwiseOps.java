package org.pdr4j.autograd.ops;

import org.pdr4j.autograd.Function;
import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.backend.BinaryOp;
import org.pdr4j.tensor.backend.UnaryOp;

/** Element-wise ops. Each backward rule sits in the switch next to its op's name. */
public final class ElementwiseOps {
    private ElementwiseOps() {}

    /** {@code y = op(x; a, b)}. */
    public static final class Unary extends Function {
        private final UnaryOp op;
        private final double a, b;
        private Tensor x, y;

        public Unary(UnaryOp op, double a, double b) {
            this.op = op;
            this.a = a;
            this.b = b;
        }

        @Override
        public String name() {
            return op.name().toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        protected Tensor forward(Tensor... in) {
            x = in[0];
            y = switch (op) {
                case NEG -> x.neg();
                case ABS -> x.abs();
                case EXP -> x.exp();
                case LOG -> x.log();
                case SQRT -> x.sqrt();
                case RSQRT -> x.rsqrt();
                case RECIPROCAL -> x.reciprocal();
                case TANH -> x.tanh();
                case SIGMOID -> x.sigmoid();
                case RELU -> x.relu();
                case LEAKY_RELU -> x.leakyRelu(a);
                case GELU -> x.gelu();
                case ERF -> x.erf();
                case SILU -> x.silu();
                case SIN -> x.sin();
                case COS -> x.cos();
                case POW -> x.pow(a);
                case CLAMP -> x.clamp(a, b);
                case AFFINE -> x.mul(a).add(b);
                case IS_FINITE -> throw new IllegalArgumentException("isFinite is not differentiable");
            };
            return y;
        }

        @Override
        protected Tensor[] backward(Tensor g, boolean[] needsGrad) {
            // One fused pass: g * op'(x), the derivatives defined next to the ops in UnaryOp.
            return new Tensor[] {x.mulDerivative(op, a, b, y, g)};
        }
    }

    /** {@code z = op(x, y)} with broadcasting; gradients are summed back to each input's shape. */
    public static final class Binary extends Function {
        private final BinaryOp op;
        private Tensor x, y, z;

        public Binary(BinaryOp op) {
            this.op = op;
        }

        @Override
        public String name() {
            return op.name().toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        protected Tensor forward(Tensor... in) {
            x = in[0];
            y = in[1];
            z = switch (op) {
                case ADD -> x.add(y);
                case SUB -> x.sub(y);
                case MUL -> x.mul(y);
                case DIV -> x.div(y);
                case MAX -> x.maximum(y);
                case MIN -> x.minimum(y);
                case POW -> x.pow(y);
                default -> throw new IllegalArgumentException(name() + " is a comparison: use the tensor op, it has no gradient");
            };
            return z;
        }

        @Override
        protected Tensor[] backward(Tensor g, boolean[] needsGrad) {
            Tensor gx = null, gy = null;
            switch (op) {
                case ADD -> { gx = g; gy = g; }
                case SUB -> { gx = g; gy = needsGrad[1] ? g.neg() : null; }
                case MUL -> { gx = needsGrad[0] ? g.mul(y) : null; gy = needsGrad[1] ? g.mul(x) : null; }
                case DIV -> {
                    gx = needsGrad[0] ? g.div(y) : null;
                    gy = needsGrad[1] ? g.mul(z).div(y).neg() : null;
                }
                // Ties split the gradient evenly, as torch.maximum / torch.minimum.
                case MAX, MIN -> {
                    Tensor win = op == BinaryOp.MAX ? x.gt(y) : x.lt(y);
                    Tensor share = win.add(x.eq(y).mul(0.5));
                    gx = needsGrad[0] ? g.mul(share) : null;
                    gy = needsGrad[1] ? g.mul(share.neg().add(1)) : null;
                }
                case POW -> {
                    gx = needsGrad[0] ? g.mul(y).mul(x.pow(y.sub(1))) : null;
                    gy = needsGrad[1] ? g.mul(z).mul(x.log()) : null;
                }
                default -> throw new AssertionError(op);
            }
            return new Tensor[] {
                needsGrad[0] ? sumTo(gx, x.shape()) : null,
                needsGrad[1] ? sumTo(gy, y.shape()) : null
            };
        }
    }

    /** {@code cond != 0 ? x : y}; cond has no gradient. */
    public static final class Where extends Function {
        private Tensor cond, x, y;

        @Override
        protected Tensor forward(Tensor... in) {
            cond = in[0];
            x = in[1];
            y = in[2];
            return Tensor.where(cond, x, y);
        }

        @Override
        protected Tensor[] backward(Tensor g, boolean[] needsGrad) {
            Tensor zero = Tensor.zeros(g.dtype(), Shape.scalar());
            return new Tensor[] {
                null,
                needsGrad[1] ? sumTo(Tensor.where(cond, g, zero), x.shape()) : null,
                needsGrad[2] ? sumTo(Tensor.where(cond, zero, g), y.shape()) : null
            };
        }
    }

    /**
     * Sums a broadcast gradient back to {@code target}: over the leading dimensions it lacks
     * and over the dimensions where it has size 1.
     */
    public static Tensor sumTo(Tensor g, Shape target) {
        if (g.shape().equals(target)) return g;
        int lead = g.rank() - target.rank();
        if (lead < 0) throw new IllegalStateException("sumTo: gradient " + g.shape() + " has fewer dims than " + target);
        int[] axes = new int[g.rank()];
        int n = 0;
        for (int i = 0; i < g.rank(); i++) {
            if (i < lead || (target.dim(i - lead) == 1 && g.size(i) != 1)) axes[n++] = i;
        }
        Tensor s = g.sum(java.util.Arrays.copyOf(axes, n), true);
        return s.reshape(target.toArray());
    }
}
