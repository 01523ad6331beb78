package org.pdr4j.properties;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.pdr4j.autograd.Var;
import org.pdr4j.tensor.Tensor;

/**
 * The ops {@link FuzzProperties} throws random arguments at, each with an oracle that says,
 * independently of the library, whether the arguments are valid. Valid arguments must give a
 * result; invalid ones must raise an {@link IllegalArgumentException}.
 */
enum FuzzOps {
    RESHAPE {
        Object tensor(Tensor x, Args a) { return x.reshape(a.list()); }
        Object var(Var x, Args a) { return x.reshape(a.list()); }
        Boolean valid(int[] s, Args a) { return reshapeValid(s, a.list()); }
    },
    VIEW {
        Object tensor(Tensor x, Args a) {
            Tensor v = x.view(a.list());
            Gen.assertSame("view" + Arrays.toString(a.list()) + " = reshape", v, x.reshape(a.list()));
            return v;
        }
        Boolean valid(int[] s, Args a) { return reshapeValid(s, a.list()) ? null : false; }
    },
    PERMUTE {
        Object tensor(Tensor x, Args a) { return x.permute(a.list()); }
        Object var(Var x, Args a) { return x.permute(a.list()); }
        Boolean valid(int[] s, Args a) {
            if (a.list() == null || a.list().length != s.length) return false;
            boolean[] seen = new boolean[s.length];
            for (int p : a.list()) {
                if (!axisOk(p, s.length) || seen[norm(p, s.length)]) return false;
                seen[norm(p, s.length)] = true;
            }
            return true;
        }
    },
    TRANSPOSE {
        Object tensor(Tensor x, Args a) { return x.transpose(a.p(), a.q()); }
        Object var(Var x, Args a) { return x.transpose(a.p(), a.q()); }
        Boolean valid(int[] s, Args a) { return axisOk(a.p(), s.length) && axisOk(a.q(), s.length); }
    },
    NARROW {
        Object tensor(Tensor x, Args a) { return x.narrow(a.p(), a.q(), a.t()); }
        Object var(Var x, Args a) { return x.narrow(a.p(), a.q(), a.t()); }
        Boolean valid(int[] s, Args a) {
            return axisOk(a.p(), s.length) && a.q() >= 0 && a.t() >= 0 && (long) a.q() + a.t() <= s[norm(a.p(), s.length)];
        }
    },
    SLICE {
        Object tensor(Tensor x, Args a) { return x.slice(a.p(), a.q(), a.t(), a.step()); }
        Object var(Var x, Args a) { return x.slice(a.p(), a.q(), a.t(), a.step()); }
        Boolean valid(int[] s, Args a) { return axisOk(a.p(), s.length) && a.step() > 0; }
    },
    SELECT {
        Object tensor(Tensor x, Args a) { return x.select(a.p(), a.q()); }
        Object var(Var x, Args a) { return x.select(a.p(), a.q()); }
        Boolean valid(int[] s, Args a) {
            return axisOk(a.p(), s.length) && a.q() >= -s[norm(a.p(), s.length)] && a.q() < s[norm(a.p(), s.length)];
        }
    },
    EXPAND {
        Object tensor(Tensor x, Args a) { return x.expand(a.list()); }
        Object var(Var x, Args a) { return x.expand(a.list()); }
        Boolean valid(int[] s, Args a) {
            int[] l = a.list();
            if (l == null || l.length < s.length) return false;
            int lead = l.length - s.length;
            int[] out = new int[l.length];
            for (int i = 0; i < l.length; i++) {
                int cur = i < lead ? 1 : s[i - lead], want = l[i] == -1 && i >= lead ? cur : l[i];
                if (want < 0 || (cur != want && cur != 1)) return false;
                out[i] = want;
            }
            return numelFits(out);
        }
    },
    SQUEEZE {
        Object tensor(Tensor x, Args a) { return x.squeeze(a.p()); }
        Object var(Var x, Args a) { return x.squeeze(a.p()); }
        Boolean valid(int[] s, Args a) { return axisOk(a.p(), s.length); }
    },
    UNSQUEEZE {
        Object tensor(Tensor x, Args a) { return x.unsqueeze(a.p()); }
        Object var(Var x, Args a) { return x.unsqueeze(a.p()); }
        Boolean valid(int[] s, Args a) { return axisOk(a.p(), s.length + 1); }
    },
    SUM {
        Object tensor(Tensor x, Args a) { return x.sum(a.list(), a.keep()); }
        Object var(Var x, Args a) { return x.sum(a.list(), a.keep()); }
        Boolean valid(int[] s, Args a) { return axesOk(s, a.list(), false); }
    },
    MEAN {
        Object tensor(Tensor x, Args a) { return x.mean(a.list(), a.keep()); }
        Object var(Var x, Args a) { return x.mean(a.list(), a.keep()); }
        Boolean valid(int[] s, Args a) { return axesOk(s, a.list(), false); }
    },
    MAX {
        Object tensor(Tensor x, Args a) { return x.max(a.list(), a.keep()); }
        Object var(Var x, Args a) { return x.max(a.list(), a.keep()); }
        Boolean valid(int[] s, Args a) { return axesOk(s, a.list(), true); }
    },
    MIN {
        Object tensor(Tensor x, Args a) { return x.min(a.list(), a.keep()); }
        Object var(Var x, Args a) { return x.min(a.list(), a.keep()); }
        Boolean valid(int[] s, Args a) { return axesOk(s, a.list(), true); }
    },
    VAR {
        Object tensor(Tensor x, Args a) { return x.var(a.list(), a.keep(), Math.floorMod(a.q(), 2)); }
        Object var(Var x, Args a) { return x.var(a.list(), a.keep(), Math.floorMod(a.q(), 2)); }
        Boolean valid(int[] s, Args a) { return axesOk(s, a.list(), false); }
    },
    ARGMAX {
        Object tensor(Tensor x, Args a) { return x.argmax(a.p(), a.keep()); }
        Boolean valid(int[] s, Args a) { return axisOk(a.p(), s.length) && s[norm(a.p(), s.length)] > 0; }
    },
    GET {
        Object tensor(Tensor x, Args a) { return x.get(a.list()); }
        Boolean valid(int[] s, Args a) {
            int[] l = a.list();
            if (l == null || l.length != s.length) return false;
            for (int i = 0; i < l.length; i++) if (l[i] < -s[i] || l[i] >= s[i]) return false;
            return true;
        }
    },
    SPLIT {
        Object tensor(Tensor x, Args a) { return x.split(a.list(), a.p()); }
        Object var(Var x, Args a) { return x.split(a.list(), a.p()); }
        Boolean valid(int[] s, Args a) {
            if (a.list() == null || !axisOk(a.p(), s.length)) return false;
            long sum = 0;
            for (int v : a.list()) {
                if (v < 0) return false;
                sum += v;
            }
            return sum == s[norm(a.p(), s.length)];
        }
    },
    CONCAT {
        Object tensor(Tensor x, Args a) { return Tensor.concat(List.of(x, a.other()), a.p()); }
        Object var(Var x, Args a) { return Var.concat(List.of(x, Var.constant(a.other())), a.p()); }
        Boolean valid(int[] s, Args a) {
            int[] o = a.other().shape().toArray();
            if (o.length != s.length || !axisOk(a.p(), s.length)) return false;
            for (int i = 0; i < s.length; i++) if (i != norm(a.p(), s.length) && o[i] != s[i]) return false;
            return true;
        }
    },
    STACK {
        Object tensor(Tensor x, Args a) { return Tensor.stack(List.of(x, a.other()), a.p()); }
        Object var(Var x, Args a) { return Var.stack(List.of(x, Var.param(a.other())), a.p()); }
        Boolean valid(int[] s, Args a) { return Arrays.equals(a.other().shape().toArray(), s) && axisOk(a.p(), s.length + 1); }
    },
    PAD {
        Object tensor(Tensor x, Args a) { return x.pad(a.list(), 1.5); }
        Object var(Var x, Args a) { return x.pad(a.list(), 1.5); }
        Boolean valid(int[] s, Args a) {
            int[] l = a.list();
            if (l == null || l.length % 2 != 0 || l.length / 2 > s.length) return false;
            int[] out = s.clone();
            for (int p = 0; p < l.length / 2; p++) {
                int d = s.length - 1 - p;
                long size = (long) s[d] + l[2 * p] + l[2 * p + 1];
                if (size < 0 || size > Integer.MAX_VALUE) return false;
                out[d] = (int) size;
            }
            return numelFits(out);
        }
        @Override
        boolean affordable(int[] s, Args a) {
            // pad allocates its output: skip arguments whose output, at its true size or at the
            // size a 32-bit overflow would give it, is too big to allocate in a test (the
            // overflow itself is checked on empty tensors by FuzzProperties.padSizesDoNotOverflow).
            int[] l = a.list();
            if (l == null || l.length % 2 != 0 || l.length / 2 > s.length) return true;
            long exact = 1, wrapped = 1;
            for (int i = 0; i < s.length; i++) {
                int p = s.length - 1 - i;
                long e = 2 * p + 1 < l.length ? (long) s[i] + l[2 * p] + l[2 * p + 1] : s[i];
                exact *= Math.max(0, Math.min(e, 1L << 31));
                wrapped *= Math.max(0, (int) e);
            }
            return exact <= 1 << 20 && wrapped <= 1 << 20;
        }
    },
    GATHER {
        Object tensor(Tensor x, Args a) { return x.gather(a.p(), a.index()); }
        Object var(Var x, Args a) { return x.gather(a.p(), a.index()); }
        Boolean valid(int[] s, Args a) { return gatherValid(s, a); }
    },
    INDEX_SELECT {
        Object tensor(Tensor x, Args a) { return x.indexSelect(a.p(), a.index()); }
        Object var(Var x, Args a) { return x.indexSelect(a.p(), a.index()); }
        Boolean valid(int[] s, Args a) {
            return axisOk(a.p(), s.length) && a.index().rank() == 1 && indexValuesOk(a.index(), s[norm(a.p(), s.length)]);
        }
    },
    SCATTER_ADD {
        Object tensor(Tensor x, Args a) { return x.scatterAdd(a.p(), a.index(), a.other()); }
        Boolean valid(int[] s, Args a) { return gatherValid(s, a) && a.other().shape().equals(a.index().shape()); }
    },
    SLICE_SCATTER {
        Object tensor(Tensor x, Args a) { return x.sliceScatter(a.other(), a.p(), a.q(), a.t(), a.step()); }
        Boolean valid(int[] s, Args a) {
            if (!axisOk(a.p(), s.length) || a.step() <= 0) return false;
            int d = norm(a.p(), s.length), n = s[d];
            long st = Math.min(Math.max(a.q() < 0 ? (long) a.q() + n : a.q(), 0), n);
            long en = Math.min(Math.max(a.t() < 0 ? (long) a.t() + n : a.t(), 0), n);
            long len = en <= st ? 0 : (en - st + a.step() - 1) / a.step();
            int[] want = s.clone();
            want[d] = (int) len;
            return Arrays.equals(a.other().shape().toArray(), want);
        }
    },
    MATMUL {
        Object tensor(Tensor x, Args a) { return x.matmul(a.other()); }
        Object var(Var x, Args a) { return x.matmul(Var.param(a.other())); }
        Boolean valid(int[] s, Args a) {
            int[] o = a.other().shape().toArray();
            if (s.length == 0 || o.length == 0) return false;
            int k = s[s.length - 1], k2 = o.length == 1 ? o[0] : o[o.length - 2];
            if (k != k2) return false;
            int[] ba = s.length <= 2 ? new int[0] : Arrays.copyOf(s, s.length - 2);
            int[] bb = o.length <= 2 ? new int[0] : Arrays.copyOf(o, o.length - 2);
            return broadcasts(ba, bb);
        }
    },
    ADD {
        Object tensor(Tensor x, Args a) { return x.add(a.other()); }
        Object var(Var x, Args a) { return x.add(Var.param(a.other())); }
        Boolean valid(int[] s, Args a) { return broadcasts(s, a.other().shape().toArray()); }
    },
    WHERE {
        Object tensor(Tensor x, Args a) { return Tensor.where(a.index(), x, a.other()); }
        Object var(Var x, Args a) { return Var.where(a.index(), x, Var.param(a.other())); }
        Boolean valid(int[] s, Args a) {
            int[] o = a.other().shape().toArray(), c = a.index().shape().toArray();
            return broadcasts(s, o) && broadcasts(Gen.broadcastShape(s, o), c);
        }
    };

    /** The op on a tensor. */
    abstract Object tensor(Tensor x, Args a);

    /** The op on a Var, or null when it has no Var form. */
    Object var(Var x, Args a) {
        return null;
    }

    boolean hasVar() {
        return this != VIEW && this != ARGMAX && this != GET && this != SCATTER_ADD && this != SLICE_SCATTER;
    }

    /** Whether the arguments are valid for an input of shape {@code s}; null when the oracle cannot tell. */
    abstract Boolean valid(int[] s, Args a);

    /** False when running the op would allocate more than a test should. */
    boolean affordable(int[] s, Args a) {
        return true;
    }

    /**
     * Arguments: a list (sizes, axes, a permutation, pads; may be null), three ints, a step,
     * keepDim, another tensor (a second operand or a source) and an index/condition tensor.
     */
    record Args(int[] list, int p, int q, int t, int step, boolean keep, Tensor other, Tensor index) {
        @Override
        public String toString() {
            return "list " + Arrays.toString(list) + ", p " + p + ", q " + q + ", t " + t + ", step " + step + ", keep " + keep
                    + "\n  other " + Gen.describe(other) + "\n  index " + Gen.describe(index);
        }
    }

    // ---------------------------------------------------------------- oracle helpers

    static boolean axisOk(int a, int rank) {
        return a >= -rank && a < rank;
    }

    static int norm(int a, int rank) {
        return a < 0 ? a + rank : a;
    }

    static boolean numelFits(int[] dims) {
        long n = 1;
        for (int d : dims) {
            if (d < 0) return false;
            if (d == 0) return true;
        }
        for (int d : dims) {
            n *= d;
            if (n > Integer.MAX_VALUE) return false;
        }
        return true;
    }

    static boolean reshapeValid(int[] s, int[] l) {
        if (l == null) return false;
        long numel = Gen.numel(s);
        int infer = -1;
        boolean zero = false;
        double known = 1;
        for (int i = 0; i < l.length; i++) {
            if (l[i] == -1) {
                if (infer >= 0) return false;
                infer = i;
            } else if (l[i] < 0) {
                return false;
            } else {
                zero |= l[i] == 0;
                known *= l[i];
            }
        }
        if (infer >= 0) return !zero && (known > numel ? numel == 0 : numel % (long) known == 0);
        return zero ? numel == 0 : known == numel;
    }

    static boolean axesOk(int[] s, int[] axes, boolean nonEmpty) {
        boolean[] seen = new boolean[s.length];
        if (axes == null) {
            Arrays.fill(seen, true);
        } else {
            for (int a : axes) {
                if (!axisOk(a, s.length) || seen[norm(a, s.length)]) return false;
                seen[norm(a, s.length)] = true;
            }
        }
        if (nonEmpty) for (int i = 0; i < s.length; i++) if (seen[i] && s[i] == 0) return false;
        return true;
    }

    static boolean broadcasts(int[] a, int[] b) {
        for (int i = 1; i <= Math.min(a.length, b.length); i++) {
            int x = a[a.length - i], y = b[b.length - i];
            if (x != y && x != 1 && y != 1) return false;
        }
        return true;
    }

    static boolean indexValuesOk(Tensor index, int bound) {
        for (double v : index.toDoubleArray()) if (v != Math.rint(v) || v < 0 || v >= bound) return false;
        return true;
    }

    static boolean gatherValid(int[] s, Args a) {
        if (!axisOk(a.p(), s.length) || a.index().rank() != s.length) return false;
        int d = norm(a.p(), s.length);
        for (int i = 0; i < s.length; i++) if (i != d && a.index().size(i) > s[i]) return false;
        return indexValuesOk(a.index(), s[d]);
    }

    // ---------------------------------------------------------------- argument generation

    /** A shape near {@code s}: the same, with some dims set to 1 or dropped, one dim changed, or unrelated. */
    static int[] nearShape(SplittableRandom r, int[] s) {
        switch (r.nextInt(5)) {
            case 0, 1 -> {
                return s.clone();
            }
            case 2 -> {
                return s.length == 0 ? s : Gen.broadcastable(r, s, 1)[0];
            }
            case 3 -> {
                int[] o = s.clone();
                if (o.length > 0) o[r.nextInt(o.length)] = r.nextInt(6);
                return o;
            }
            default -> {
                int[] o = new int[r.nextInt(5)];
                for (int i = 0; i < o.length; i++) o[i] = r.nextInt(5);
                return o;
            }
        }
    }

    /** A matmul partner for {@code s}: often with a matching inner dim. */
    static int[] matmulPartner(SplittableRandom r, int[] s) {
        if (s.length == 0 || r.nextInt(3) == 0) return nearShape(r, s);
        int k = s[s.length - 1];
        int rank = 1 + r.nextInt(4);
        int[] o = new int[rank];
        for (int i = 0; i < rank; i++) o[i] = r.nextInt(4);
        if (rank == 1) o[0] = k;
        else o[rank - 2] = k;
        if (rank > 2 && s.length > 2 && r.nextBoolean()) {
            // Batch dims taken from s, some set to 1.
            for (int i = 0; i < rank - 2 && i < s.length - 2; i++) o[rank - 3 - i] = r.nextBoolean() ? s[s.length - 3 - i] : 1;
        }
        return o;
    }

    /** An index tensor for gather-like ops: mostly valid, sometimes too large, negative, fractional or NaN. */
    static Tensor index(SplittableRandom r, int[] s, int axis, boolean oneD) {
        int[] shape;
        if (oneD) {
            shape = new int[] {r.nextInt(5)};
        } else if (r.nextInt(5) == 0) {
            shape = nearShape(r, s);
        } else {
            shape = s.clone();
            for (int i = 0; i < shape.length; i++) shape[i] = r.nextInt(Math.max(1, s[i] + (r.nextInt(6) == 0 ? 2 : 1)));
        }
        int bound = s.length == 0 ? 1 : s[norm(Math.floorMod(axis, Math.max(1, s.length)), s.length)];
        float[] v = new float[Gen.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = switch (r.nextInt(40)) {
                case 0 -> -1;
                case 1 -> bound;
                case 2 -> 0.5f;
                case 3 -> Float.NaN;
                case 4 -> 1e10f;
                default -> bound == 0 ? 0 : r.nextInt(bound);
            };
        }
        return Tensor.of(v, shape);
    }

    /**
     * Half the time, pulls random arguments towards validity (an in-range axis, a narrow that
     * fits, a permutation, a split that adds up, an in-range index), so that the accepting
     * branch is exercised as often as the rejecting one; the other arguments stay random.
     */
    static Args nearValid(SplittableRandom r, FuzzOps op, int[] s, int[] list, int p, int q, int t, int step, boolean keep) {
        if (s.length == 0 || r.nextBoolean()) return args(r, op, s, list, p, q, t, step, keep);
        int rank = s.length, ax = Math.floorMod(p, rank);
        int n = s[ax];
        int[] l = list;
        switch (op) {
            case NARROW -> {
                q = Math.floorMod(q, n + 1);
                t = Math.floorMod(t, n - q + 1);
            }
            case SELECT -> q = n == 0 ? q : Math.floorMod(q, n) - (r.nextBoolean() ? n : 0);
            case SLICE, SLICE_SCATTER -> step = step > 0 ? step : 1 + Math.floorMod(step, 3);
            case PERMUTE -> l = Gen.permutation(r, rank);
            case SPLIT -> l = MovementGradProperties.randomSplit(r, n);
            case GET -> {
                l = new int[rank];
                for (int i = 0; i < rank; i++) l[i] = s[i] == 0 ? 0 : r.nextInt(s[i]);
            }
            default -> { }
        }
        return args(r, op, s, l, ax - (r.nextBoolean() ? rank : 0), q, t, step, keep);
    }

    static Args args(SplittableRandom r, FuzzOps op, int[] s, int[] list, int p, int q, int t, int step, boolean keep) {
        Tensor other;
        Tensor index;
        int axis = s.length == 0 ? p : norm(Math.floorMod(p, s.length), s.length);
        switch (op) {
            case MATMUL -> other = Gen.uniform(r, matmulPartner(r, s), -1, 1);
            case SCATTER_ADD -> {
                index = index(r, s, p, false);
                other = Gen.uniform(r, r.nextInt(4) == 0 ? nearShape(r, index.shape().toArray()) : index.shape().toArray(), -1, 1);
                return new Args(list, p, q, t, step, keep, other, index);
            }
            case SLICE_SCATTER -> {
                int[] want = s.clone();
                if (s.length > 0 && axisOk(p, s.length) && step > 0) {
                    int n = s[norm(p, s.length)];
                    long st = Math.min(Math.max(q < 0 ? (long) q + n : q, 0), n), en = Math.min(Math.max(t < 0 ? (long) t + n : t, 0), n);
                    want[norm(p, s.length)] = (int) (en <= st ? 0 : (en - st + step - 1) / step);
                }
                other = Gen.uniform(r, r.nextInt(4) == 0 ? nearShape(r, want) : want, -1, 1);
            }
            default -> other = Gen.uniform(r, nearShape(r, s), -1, 1);
        }
        if (op == WHERE) {
            int[] cs = nearShape(r, s);
            float[] c = new float[Gen.numel(cs)];
            for (int i = 0; i < c.length; i++) c[i] = r.nextInt(2);
            index = Tensor.of(c, cs);
        } else {
            index = index(r, s, axis, op == INDEX_SELECT);
        }
        return new Args(list, p, q, t, step, keep, other, index);
    }

    // ---------------------------------------------------------------- results

    /** Reads every element of a result (or, for a huge view, its corners): a bad view throws here. */
    static void touch(Object out) {
        switch (out) {
            case null -> { }
            case Tensor t -> touchTensor(t);
            case Var v -> touchTensor(v.value());
            case List<?> l -> l.forEach(FuzzOps::touch);
            case Double d -> { }
            default -> throw new AssertionError("unexpected result " + out);
        }
    }

    private static void touchTensor(Tensor t) {
        if (t.numel() <= 1 << 16) {
            t.toDoubleArray();
            t.contiguous();
            return;
        }
        int[] idx = new int[t.rank()];
        for (int c = 0; c < 1 << t.rank(); c++) {
            for (int i = 0; i < idx.length; i++) idx[i] = (c >> i & 1) == 0 ? 0 : t.size(i) - 1;
            t.get(idx);
        }
    }

    /** The Vars whose gradients a backward must produce, from a Var op's result. */
    static List<Var> outputs(Object out) {
        List<Var> vs = new ArrayList<>();
        if (out instanceof Var v) vs.add(v);
        if (out instanceof List<?> l) for (Object o : l) vs.add((Var) o);
        return vs;
    }
}
