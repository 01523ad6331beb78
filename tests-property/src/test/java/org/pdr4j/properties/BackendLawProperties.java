package org.pdr4j.properties;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.backend.BinaryOp;
import org.pdr4j.tensor.backend.UnaryOp;

/**
 * The cpu backend (float32, Vector API) agrees with the ref backend (float64, scalar): every
 * {@link UnaryOp} and {@link BinaryOp}, where, and the reductions, on random shapes whose
 * operands are contiguous, permuted, stepped or windowed ({@link Gen#strided}) and broadcast,
 * plus long rows (1, 7, 13, 17, 31, 63, 257, 4099 elements) that end in partial vectors and
 * tensors above the parallel grain ([129, 257], [3, 16411]). An
 * F32 op is compared with the same op on the F32 values converted to F64, which runs on ref.
 *
 * <p>Tolerances, with {@code ulp} the float32 ulp of the reference value:
 * <ul>
 *   <li>NEG, ABS, RELU, LEAKY_RELU, CLAMP, SQRT, RECIPROCAL, POW, AFFINE, IS_FINITE and ADD,
 *       SUB, MUL, DIV, MAX, MIN, POW: 1 ulp (parameters are float32-representable; AFFINE
 *       adds {@code 2^-52 (|a x| + |b|)} for the reference's own rounding); RSQRT: 2 ulp;
 *       comparisons and where: exact;
 *   <li>EXP, LOG, TANH, SIGMOID, GELU, ERF, SILU, SIN, COS: {@code 1e-6 + 1e-6 |ref|};
 *   <li>sum and mean: {@code 2 n 2^-24 sum|x|} over the n reduced elements (mean divided by n,
 *       plus 1 ulp); max and min: exact; var: {@code 4 n 2^-24 (sum x^2 + max|x| sum|x|) / (n - c)}.
 * </ul>
 * Special values (NaN, +-Inf, +-0, subnormals) must agree by class: NaN with NaN, infinities
 * exactly (after rounding the reference to float32), finite values within the tolerance above.
 */
class BackendLawProperties {
    private static final int TRIES = 50;
    /** Properties that also draw the op: enough tries that every enum constant comes up (miss chance below 1e-4 per op). */
    private static final int OP_TRIES = 200;
    private static final double U = 0x1p-24;

    @Provide
    Arbitrary<int[]> shapes() {
        return Gen.shapes(0, 4, 5, 400);
    }

    @Provide
    Arbitrary<int[]> longRows() {
        Arbitrary<int[]> rows = Combinators.combine(Arbitraries.integers().between(1, 3), Arbitraries.of(1, 7, 13, 17, 31, 63, 257, 4099))
                .as((a, n) -> a == 1 ? new int[] {n} : new int[] {a, n});
        // Above Loops.GRAIN (2^14) elements in many rows: the parallel paths.
        return Arbitraries.frequencyOf(Tuple.of(6, rows), Tuple.of(1, Arbitraries.of(new int[] {129, 257}, new int[] {3, 16411})));
    }

    // ---------------------------------------------------------------- op tables

    /** Each UnaryOp through the public Tensor method that runs it (a new op fails to compile here). */
    static Tensor unary(UnaryOp op, Tensor x, double a, double b) {
        return switch (op) {
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
            case AFFINE -> a == 1 ? x.add(b) : x.mul(a);
            case IS_FINITE -> x.isFinite();
        };
    }

    static Tensor zip(BinaryOp op, Tensor x, Tensor y) {
        return switch (op) {
            case ADD -> x.add(y);
            case SUB -> x.sub(y);
            case MUL -> x.mul(y);
            case DIV -> x.div(y);
            case MAX -> x.maximum(y);
            case MIN -> x.minimum(y);
            case POW -> x.pow(y);
            case EQ -> x.eq(y);
            case NE -> x.ne(y);
            case LT -> x.lt(y);
            case LE -> x.le(y);
            case GT -> x.gt(y);
            case GE -> x.ge(y);
        };
    }

    private static boolean transcendental(UnaryOp op) {
        return switch (op) {
            case EXP, LOG, TANH, SIGMOID, GELU, ERF, SILU, SIN, COS -> true;
            default -> false;
        };
    }

    /** Allowed |cpu - ref| for a unary result (see the class comment). */
    static double unaryTol(UnaryOp op, double x, double a, double b, double ref) {
        double ulp = Math.ulp((float) ref);
        if (transcendental(op)) return 1e-6 + 1e-6 * Math.abs(ref);
        return switch (op) {
            case RSQRT -> 2 * ulp;
            case AFFINE -> ulp + 0x1p-52 * (Math.abs(a * x) + Math.abs(b));
            default -> ulp;
        };
    }

    static double binaryTol(BinaryOp op, double ref) {
        return switch (op) {
            case EQ, NE, LT, LE, GT, GE -> 0;
            default -> Math.ulp((float) ref);
        };
    }

    /** Float32-representable parameters (a, b) for the op. */
    static double[] params(SplittableRandom r, UnaryOp op) {
        return switch (op) {
            case LEAKY_RELU -> new double[] {(float) r.nextDouble(0, 1), 0};
            case POW -> new double[] {r.nextBoolean() ? r.nextInt(-3, 4) : (float) r.nextDouble(-3, 3), 0};
            case CLAMP -> {
                float lo = (float) r.nextDouble(-3, 1);
                yield new double[] {lo, lo + (float) r.nextDouble(0, 3)};
            }
            case AFFINE -> r.nextBoolean() ? new double[] {1, (float) r.nextDouble(-3, 3)} : new double[] {(float) r.nextDouble(-3, 3), 0};
            default -> new double[] {0, 0};
        };
    }

    /** Values in the op's domain (before float32 rounding). */
    static Tensor domain(SplittableRandom r, UnaryOp op, int[] s) {
        return switch (op) {
            case LOG, SQRT, RSQRT -> Gen.uniform(r, s, 1e-3, 10);
            case POW -> Gen.uniform(r, s, 0.05, 4);
            case RECIPROCAL -> Gen.signedAway(r, s, 0.05, 10);
            case EXP -> Gen.uniform(r, s, -20, 20);
            case SIN, COS -> Gen.uniform(r, s, -10, 10);
            default -> Gen.uniform(r, s, -6, 6);
        };
    }

    static Tensor binaryDomain(SplittableRandom r, BinaryOp op, int[] s, boolean second) {
        return switch (op) {
            case DIV -> second ? Gen.signedAway(r, s, 0.05, 10) : Gen.uniform(r, s, -6, 6);
            case POW -> second ? Gen.uniform(r, s, -3, 3) : Gen.uniform(r, s, 0.05, 4);
            // Small integers, so that equal pairs are common.
            case EQ, NE, LT, LE, GT, GE, MAX, MIN -> {
                double[] v = new double[Gen.numel(s)];
                for (int i = 0; i < v.length; i++) v[i] = r.nextBoolean() ? r.nextInt(-2, 3) : r.nextDouble(-2, 2);
                yield Tensor.of(v, s);
            }
            default -> Gen.uniform(r, s, -6, 6);
        };
    }

    private static final double[] SPECIALS = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0,
        1, -1, 0.5, -2, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL};

    /** Half special values, half uniform in [-3, 3]. */
    static Tensor specials(SplittableRandom r, int[] s) {
        double[] v = new double[Gen.numel(s)];
        for (int i = 0; i < v.length; i++) v[i] = r.nextBoolean() ? SPECIALS[r.nextInt(SPECIALS.length)] : r.nextDouble(-3, 3);
        return Tensor.of(v, s);
    }

    // ---------------------------------------------------------------- comparisons

    interface Tol {
        double at(int i, double ref);
    }

    /** cpu (float32) against ref (float64) element by element, special values by class. */
    static void agree(String what, Tensor cpu, Tensor ref, Tol tol) {
        if (!cpu.shape().equals(ref.shape())) throw new AssertionError(what + ": shape " + cpu.shape() + " vs " + ref.shape());
        if (cpu.dtype() != DType.F32 || ref.dtype() != DType.F64) throw new AssertionError(what + ": dtypes " + cpu.dtype() + ", " + ref.dtype());
        double[] c = cpu.toDoubleArray(), e = ref.toDoubleArray();
        for (int i = 0; i < c.length; i++) {
            double fe = (float) e[i];
            boolean ok;
            if (Double.isNaN(c[i]) || Double.isNaN(e[i])) ok = Double.isNaN(c[i]) && Double.isNaN(e[i]);
            else if (Double.isInfinite(c[i]) || Double.isInfinite(fe)) ok = c[i] == fe;
            else ok = Math.abs(c[i] - e[i]) <= tol.at(i, e[i]);
            if (!ok) {
                throw new AssertionError(what + ": element " + i + " cpu " + c[i] + ", ref " + e[i] + " (|diff| "
                        + Math.abs(c[i] - e[i]) + ", tolerance " + tol.at(i, e[i]) + ")");
            }
        }
    }

    private void checkUnary(UnaryOp op, SplittableRandom r, Tensor values) {
        double[] p = params(r, op);
        Tensor x = Gen.strided(r, values);
        Tensor x64 = x.to(DType.F64);
        double[] xv = x64.toDoubleArray();
        agree(op + "(a=" + p[0] + ", b=" + p[1] + ") on " + Gen.describe(x), unary(op, x, p[0], p[1]), unary(op, x64, p[0], p[1]),
                (i, ref) -> unaryTol(op, xv[i], p[0], p[1], ref));
    }

    private void checkBinary(BinaryOp op, SplittableRandom r, Tensor xv, Tensor yv) {
        Tensor x = Gen.strided(r, xv), y = Gen.strided(r, yv);
        agree(op + " on" + Gen.describe(x, y), zip(op, x, y), zip(op, x.to(DType.F64), y.to(DType.F64)), (i, ref) -> binaryTol(op, ref));
    }

    // ---------------------------------------------------------------- element-wise

    @Property(tries = OP_TRIES)
    void unaryOpsAgree(@ForAll("shapes") int[] s, @ForAll long seed, @ForAll UnaryOp op) {
        SplittableRandom r = new SplittableRandom(seed);
        checkUnary(op, r, domain(r, op, s));
    }

    @Property(tries = OP_TRIES)
    void unaryOpsAgreeOnLongRows(@ForAll("longRows") int[] s, @ForAll long seed, @ForAll UnaryOp op) {
        SplittableRandom r = new SplittableRandom(seed);
        checkUnary(op, r, domain(r, op, s));
    }

    @Property(tries = OP_TRIES)
    void unaryOpsAgreeOnSpecialValues(@ForAll("shapes") int[] s, @ForAll long seed, @ForAll UnaryOp op) {
        SplittableRandom r = new SplittableRandom(seed);
        checkUnary(op, r, specials(r, s));
    }

    @Property(tries = OP_TRIES)
    void binaryOpsAgree(@ForAll("shapes") int[] s, @ForAll long seed, @ForAll BinaryOp op) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] sh = Gen.broadcastable(r, s, 2);
        checkBinary(op, r, binaryDomain(r, op, sh[0], false), binaryDomain(r, op, sh[1], true));
    }

    @Property(tries = OP_TRIES)
    void binaryOpsAgreeOnLongRows(@ForAll("longRows") int[] s, @ForAll long seed, @ForAll BinaryOp op, @ForAll boolean broadcastY) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] ys = broadcastY ? new int[] {1} : s;
        checkBinary(op, r, binaryDomain(r, op, s, false), binaryDomain(r, op, ys, true));
    }

    @Property(tries = OP_TRIES)
    void binaryOpsAgreeOnSpecialValues(@ForAll("shapes") int[] s, @ForAll long seed, @ForAll BinaryOp op) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] sh = Gen.broadcastable(r, s, 2);
        checkBinary(op, r, specials(r, sh[0]), specials(r, sh[1]));
    }

    @Property(tries = TRIES)
    void whereAgrees(@ForAll("shapes") int[] s, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] sh = Gen.broadcastable(r, s, 3);
        double[] c = new double[Gen.numel(sh[0])];
        for (int i = 0; i < c.length; i++) c[i] = r.nextInt(3) == 0 ? 0 : r.nextInt(3) - 1 + (r.nextBoolean() ? 0.5 : 0);
        Tensor cond = Gen.strided(r, Tensor.of(c, sh[0]));
        Tensor a = Gen.strided(r, specials(r, sh[1])), b = Gen.strided(r, Gen.uniform(r, sh[2], -2, 2));
        agree("where" + Gen.describe(cond, a, b), Tensor.where(cond, a, b), Tensor.where(cond.to(DType.F64), a.to(DType.F64), b.to(DType.F64)), (i, ref) -> 0);
    }

    // ---------------------------------------------------------------- reductions

    private static int reducedCount(int[] s, int[] axes) {
        if (axes == null) return Gen.numel(s);
        int n = 1;
        for (int a : axes) n *= s[a < 0 ? a + s.length : a];
        return n;
    }

    private void checkReductions(int[] s, SplittableRandom r) {
        Tensor v = Gen.uniform(r, s, -2, 2);
        if (v.numel() > 0 && r.nextInt(8) == 0) {
            double[] d = v.toDoubleArray();
            d[r.nextInt(d.length)] = r.nextBoolean() ? Double.NaN : Double.POSITIVE_INFINITY;
            v = Tensor.of(d, s);
        }
        Tensor x = Gen.strided(r, v), x64 = x.to(DType.F64);
        int[] axes = r.nextInt(5) == 0 ? null : Gen.axes(r, s.length);
        boolean keep = r.nextBoolean();
        int n = reducedCount(s, axes);
        String what = "axes " + Arrays.toString(axes) + " keepDim " + keep + " of " + Gen.describe(x);
        Tensor absSum = axes == null ? x64.abs().sum() : x64.abs().sum(axes, keep);
        double[] mag = absSum.toDoubleArray();
        agree("sum " + what, axes == null ? x.sum() : x.sum(axes, keep), axes == null ? x64.sum() : x64.sum(axes, keep),
                (i, ref) -> 2 * n * U * mag[i] + Float.MIN_NORMAL);
        agree("mean " + what, axes == null ? x.mean() : x.mean(axes, keep), axes == null ? x64.mean() : x64.mean(axes, keep),
                (i, ref) -> 2 * U * mag[i] + 2 * Math.ulp((float) ref) + Float.MIN_NORMAL);
        int[] ax = axes == null ? Gen.axes(r, s.length) : axes;
        boolean anyEmpty = false;
        for (int a : ax) anyEmpty |= s[a < 0 ? a + s.length : a] == 0;
        if (!anyEmpty) {
            agree("max " + what, x.max(ax, keep), x64.max(ax, keep), (i, ref) -> 0);
            agree("min " + what, x.min(ax, keep), x64.min(ax, keep), (i, ref) -> 0);
        }
        int m = reducedCount(s, ax), corr = r.nextInt(2);
        if (m > corr) {
            double[] sq = x64.mul(x64).sum(ax, keep).toDoubleArray(), ab = x64.abs().sum(ax, keep).toDoubleArray();
            double maxAbs = Arrays.stream(x64.toDoubleArray()).filter(Double::isFinite).map(Math::abs).max().orElse(0);
            agree("var(corr " + corr + ") over " + Arrays.toString(ax) + " " + what, x.var(ax, keep, corr), x64.var(ax, keep, corr),
                    (i, ref) -> 4 * m * U * (sq[i] + maxAbs * ab[i]) / (m - corr) + Float.MIN_NORMAL);
        }
        if (s.length > 0) {
            int axis = r.nextInt(-s.length, s.length);
            if (s[axis < 0 ? axis + s.length : axis] > 0) {
                agree("argmax(" + axis + ") " + what, x.argmax(axis, keep), x64.argmax(axis, keep), (i, ref) -> 0);
                agree("argmin(" + axis + ") " + what, x.argmin(axis, keep), x64.argmin(axis, keep), (i, ref) -> 0);
            }
        }
    }

    @Property(tries = TRIES)
    void reductionsAgree(@ForAll("shapes") int[] s, @ForAll long seed) {
        checkReductions(s, new SplittableRandom(seed));
    }

    @Property(tries = TRIES)
    void reductionsAgreeOnLongRows(@ForAll("longRows") int[] s, @ForAll long seed, @ForAll boolean transposed) {
        int[] shape = transposed && s.length == 2 ? new int[] {s[1], s[0]} : s;
        checkReductions(shape, new SplittableRandom(seed));
    }

    /** copy/contiguous of any layout reads the same values on both backends. */
    @Property(tries = TRIES)
    void copiesAgree(@ForAll("shapes") int[] s, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor x = Gen.strided(r, specials(r, s));
        agree("contiguous of " + Gen.describe(x), x.contiguous(), x.to(DType.F64), (i, ref) -> 0);
        agree("copy of " + Gen.describe(x), x.copy(), x.to(DType.F64).copy(), (i, ref) -> 0);
    }
}
