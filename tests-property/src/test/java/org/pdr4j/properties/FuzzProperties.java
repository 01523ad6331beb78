package org.pdr4j.properties;

import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.pdr4j.autograd.Var;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Tensor;

/**
 * Public tensor and Var ops fed random, often invalid arguments: sizes and axes from -5..5
 * mixed with extremes (Integer.MIN_VALUE, MAX_VALUE, +-2^16, 2^30; a second property uses
 * extremes half the time), null axis lists for the reductions (documented as "all axes"),
 * shapes with zero-size dims, second operands that do or do not broadcast, index tensors with
 * out-of-range, fractional and NaN entries, on contiguous, strided, F32 and F64 inputs. Half
 * of the tries pull the arguments towards validity, so both branches are exercised (jqwik
 * prints accepted/rejected counts per op).
 *
 * <p>Each op ({@link FuzzOps}) has an oracle, written from the documented semantics and not
 * from the implementation, that says whether the arguments are valid. The properties:
 * <ul>
 *   <li>an op only ever throws {@link IllegalArgumentException} (ShapeException and the like),
 *       never ArrayIndexOutOfBounds, NullPointer, Arithmetic or Negative-array-size errors;
 *   <li>valid arguments give a result and invalid ones throw (where the oracle can tell);
 *   <li>every element of a returned tensor or view can be read (for a huge broadcast view,
 *       its corners);
 *   <li>for Var ops, a forward that succeeds also runs backward from a random seed, and the
 *       Var's value equals the tensor op's;
 *   <li>pad computes its sizes without int overflow ({@link #padSizesDoNotOverflow}).
 * </ul>
 * A valid pad whose output would exceed 2^20 elements is skipped (it would allocate it).
 */
class FuzzProperties {

    @Provide
    Arbitrary<int[]> anyShape() {
        return Arbitraries.integers().between(0, 4).array(int[].class).ofMinSize(0).ofMaxSize(4);
    }

    @Provide
    Arbitrary<Integer> arg() {
        return Arbitraries.frequencyOf(
                Tuple.of(14, Arbitraries.integers().between(-5, 5)),
                Tuple.of(1, Arbitraries.of(Integer.MIN_VALUE, Integer.MIN_VALUE + 1, -65536, 65536, 1 << 30,
                        Integer.MAX_VALUE - 1, Integer.MAX_VALUE)));
    }

    /** Extremes half the time: sums and products of these overflow int. */
    @Provide
    Arbitrary<Integer> extreme() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.integers().between(-2, 2)),
                Tuple.of(1, Arbitraries.of(Integer.MIN_VALUE, Integer.MIN_VALUE + 1, -(1 << 30), 1 << 30, Integer.MAX_VALUE - 1, Integer.MAX_VALUE)));
    }

    @Provide
    Arbitrary<int[]> extremeList() {
        return extreme().array(int[].class).ofMinSize(0).ofMaxSize(4);
    }

    @Provide
    Arbitrary<int[]> list() {
        Arbitrary<int[]> l = arg().array(int[].class).ofMinSize(0).ofMaxSize(6);
        return Arbitraries.frequencyOf(Tuple.of(20, l), Tuple.of(1, Arbitraries.just(null)));
    }

    private static Tensor input(SplittableRandom r, int[] s) {
        Tensor x = Gen.strided(r, Gen.uniform(r, s, -2, 2));
        return r.nextInt(4) == 0 ? x.to(DType.F64) : x;
    }

    /**
     * A null list stands for "all axes" in the reductions; elsewhere a null array is a plain
     * NullPointerException by Java convention, so it is replaced by an empty one.
     */
    private static int[] nullOnlyForAxes(FuzzOps op, int[] list) {
        boolean axes = switch (op) {
            case SUM, MEAN, MAX, MIN, VAR -> true;
            default -> false;
        };
        return list == null && !axes ? new int[0] : list;
    }

    private static String context(FuzzOps op, Tensor x, FuzzOps.Args a) {
        return op + " on " + Gen.describe(x) + "\n  args " + a;
    }

    /** Runs the op; returns its result, null when it threw an IllegalArgumentException; fails on anything else. */
    private static Object attempt(String what, Boolean valid, java.util.function.Supplier<Object> run) {
        Object out;
        try {
            out = run.get();
        } catch (IllegalArgumentException e) {
            if (Boolean.TRUE.equals(valid)) throw new AssertionError("rejected valid arguments: " + what + "\n  with " + e, e);
            return null;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw new AssertionError("threw " + e + " (not an IllegalArgumentException): " + what, e);
        }
        if (Boolean.FALSE.equals(valid)) throw new AssertionError("accepted invalid arguments: " + what);
        try {
            FuzzOps.touch(out);
        } catch (RuntimeException e) {
            throw new AssertionError("returned a result that cannot be read (" + e + "): " + what, e);
        }
        return out;
    }

    @Property(tries = 2000)
    void tensorOpsRejectBadArgumentsCleanly(@ForAll FuzzOps op, @ForAll("anyShape") int[] s, @ForAll("list") int[] list,
            @ForAll("arg") int p, @ForAll("arg") int q, @ForAll("arg") int t, @ForAll("arg") int step, @ForAll boolean keep,
            @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor x = input(r, s);
        FuzzOps.Args a = FuzzOps.nearValid(r, op, s, nullOnlyForAxes(op, list), p, q, t, step, keep);
        if (!op.affordable(s, a)) return;
        Object out = attempt(context(op, x, a), op.valid(s, a), () -> op.tensor(x, a));
        Statistics.collect(op, out == null ? "rejected" : "accepted");
    }

    /** The same contract with arguments near the ends of the int range (overflow in size and offset arithmetic). */
    @Property(tries = 1000)
    void tensorOpsSurviveExtremeArguments(@ForAll FuzzOps op, @ForAll("anyShape") int[] s, @ForAll("extremeList") int[] list,
            @ForAll("extreme") int p, @ForAll("extreme") int q, @ForAll("extreme") int t, @ForAll("extreme") int step, @ForAll boolean keep,
            @ForAll long seed) {
        tensorOpsRejectBadArgumentsCleanly(op, s, list, p, q, t, step, keep, seed);
    }

    /**
     * pad computes each new size {@code n + before + after} without int overflow: a size outside
     * {@code [0, 2^31-1]} is rejected, one inside is produced. The input has a leading size-0
     * dim (and the padded dim is another one), so no size allocates anything.
     */
    @Property(tries = 300)
    void padSizesDoNotOverflow(@ForAll("anyShape") int[] shape, @ForAll("extreme") int lo, @ForAll("extreme") int hi) {
        int[] s = new int[shape.length + 2];
        System.arraycopy(shape, 0, s, 1, shape.length);
        s[s.length - 1] = 3;
        Tensor x = Tensor.zeros(s);
        long size = (long) s[s.length - 1] + lo + hi;
        boolean valid = size >= 0 && size <= Integer.MAX_VALUE;
        String what = "pad(" + lo + ", " + hi + ") of " + x.shape() + " (true size " + size + ")";
        Object out = attempt(what, valid, () -> x.pad(new int[] {lo, hi}, 0));
        if (out != null && ((Tensor) out).size(-1) != size) throw new AssertionError(what + " gave " + ((Tensor) out).shape());
    }

    @Property(tries = 1500)
    void varOpsRejectBadArgumentsCleanlyAndBackpropagate(@ForAll FuzzOps op, @ForAll("anyShape") int[] s, @ForAll("list") int[] list,
            @ForAll("arg") int p, @ForAll("arg") int q, @ForAll("arg") int t, @ForAll("arg") int step, @ForAll boolean keep,
            @ForAll long seed) {
        if (!op.hasVar()) return;
        SplittableRandom r = new SplittableRandom(seed);
        Tensor x = input(r, s);
        FuzzOps.Args a = FuzzOps.nearValid(r, op, s, nullOnlyForAxes(op, list), p, q, t, step, keep);
        if (!op.affordable(s, a)) return;
        String what = context(op, x, a);
        Var v = Var.param(x);
        Object out = attempt("Var " + what, op.valid(s, a), () -> op.var(v, a));
        if (out == null) return;
        List<Var> outs = FuzzOps.outputs(out);
        // A huge broadcast view (expand to 2^31-1 elements) is fine as a view, but no test can hold its gradient.
        for (Var o : outs) if (o.value().numel() > 1 << 16) return;
        Object expected = op.tensor(x, a);
        List<?> exp = expected instanceof List<?> l ? l : List.of(expected);
        for (int i = 0; i < outs.size(); i++) Gen.assertSame("Var value vs tensor op, " + what, outs.get(i).value(), (Tensor) exp.get(i));
        try {
            for (Var o : outs) {
                if (!o.requiresGrad()) continue;
                o.backward(Gen.uniform(r, o.shape().toArray(), -1, 1).to(o.dtype()), true);
            }
            if (v.grad() != null) {
                if (!v.grad().shape().equals(x.shape())) throw new AssertionError("gradient shape " + v.grad().shape() + ": " + what);
                FuzzOps.touch(v.grad());
            }
        } catch (RuntimeException e) {
            throw new AssertionError("backward after a successful forward threw " + e + ": " + what, e);
        }
    }
}
