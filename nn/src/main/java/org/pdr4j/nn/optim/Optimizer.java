package org.pdr4j.nn.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.pdr4j.nn.Parameter;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.Storage;
import org.pdr4j.tensor.Tensor;

/**
 * Base of the optimisers: a fixed list of parameters updated in place from their gradients
 * (parameters without a gradient are skipped), a learning rate schedulers may change, and a
 * state that round-trips exactly through {@link #state()} / {@link #loadState(Map)} so a resumed
 * run continues bit for bit.
 */
public abstract class Optimizer {
    private final List<Parameter> params;
    private final LinkedHashMap<String, Tensor> slots = new LinkedHashMap<>();
    private double lr;
    private long steps;

    protected Optimizer(List<Parameter> params, double lr) {
        if (params == null) throw new IllegalArgumentException("optimizer: parameter list is null");
        checkLr(lr);
        this.params = List.copyOf(params);
        this.lr = lr;
    }

    private static void checkLr(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + lr);
    }

    /** The parameters, in the order their state is indexed. */
    public final List<Parameter> parameters() { return params; }

    public final double lr() { return lr; }

    public final void setLr(double lr) {
        checkLr(lr);
        this.lr = lr;
    }

    /** Number of {@link #step()} calls so far (restored by {@link #loadState}). */
    public final long steps() { return steps; }

    /** Applies one update to every parameter that has a gradient. */
    public final void step() {
        steps++;
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            Tensor g = p.grad();
            if (g == null) continue;
            if (!g.shape().equals(p.value().shape()))
                throw new IllegalStateException("parameter " + i + " of shape " + p.value().shape() + " has a gradient of shape " + g.shape());
            update(i, p.data(), floats(g));
        }
    }

    /** Clears every parameter's gradient. */
    public final void zeroGrad() { params.forEach(Parameter::zeroGrad); }

    /** Updates parameter {@code i} in place: {@code w} its values, {@code g} its gradient (read only). */
    protected abstract void update(int i, float[] w, float[] g);

    /**
     * Registers a per-parameter state tensor "{@code name}.{@code i}" of the parameter's shape,
     * zero-initialised, and returns its backing array (subclasses call this in their constructor).
     */
    protected final float[] slot(String name, int i) {
        Tensor t = Tensor.zeros(DType.F32, params.get(i).value().shape());
        slots.put(name + "." + i, t);
        return ((Storage.F32) t.storage()).array();
    }

    /** Registers a per-parameter scalar counter "{@code name}.{@code i}" (float64, exact to 2^53). */
    protected final double[] counter(String name, int i) {
        Tensor t = Tensor.zeros(DType.F64, Shape.scalar());
        slots.put(name + "." + i, t);
        return ((Storage.F64) t.storage()).array();
    }

    /** A copy of the optimiser's buffers by name, plus "step" (a float64 scalar). */
    public final LinkedHashMap<String, Tensor> state() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        slots.forEach((k, v) -> out.put(k, v.copy()));
        out.put("step", Tensor.full(DType.F64, Shape.scalar(), steps));
        return out;
    }

    /**
     * Restores a state saved by {@link #state()} of an optimiser of the same kind over the same
     * parameters. Strict: missing or unexpected keys or wrong shapes throw an
     * {@link IllegalArgumentException} and nothing changes.
     */
    public final void loadState(Map<String, Tensor> state) {
        List<String> problems = new ArrayList<>();
        TreeSet<String> unexpected = new TreeSet<>(state.keySet());
        unexpected.remove("step");
        Tensor step = state.get("step");
        if (step == null) problems.add("missing step");
        else if (step.numel() != 1) problems.add("step must be a scalar, got " + step.shape());
        for (var e : slots.entrySet()) {
            unexpected.remove(e.getKey());
            Tensor t = state.get(e.getKey());
            if (t == null) problems.add("missing " + e.getKey());
            else if (!t.shape().equals(e.getValue().shape())) problems.add(e.getKey() + " " + t.shape() + " vs " + e.getValue().shape());
        }
        if (!unexpected.isEmpty()) problems.add("unexpected " + unexpected);
        if (!problems.isEmpty())
            throw new IllegalArgumentException("optimizer state does not fit " + getClass().getSimpleName() + ": " + String.join("; ", problems));
        double s = step.item();
        if (s < 0 || s != Math.rint(s)) throw new IllegalArgumentException("optimizer state: step must be a non-negative integer, got " + s);
        for (var e : slots.entrySet()) e.getValue().assign(state.get(e.getKey()));
        steps = (long) s;
    }

    private static float[] floats(Tensor g) {
        if (g.storage() instanceof Storage.F32 s && g.isContiguous() && g.offset() == 0) return s.array();
        return g.to(DType.F32).contiguous().toFloatArray();
    }
}
