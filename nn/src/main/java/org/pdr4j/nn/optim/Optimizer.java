package org.pdr4j.nn.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pdr4j.nn.Parameter;
import org.pdr4j.tensor.Tensor;

/**
 * Updates parameters in place from their gradients. {@link #state()} and {@link #loadState}
 * carry everything a step depends on (moments, step count), so a resumed run is exact.
 */
public abstract class Optimizer {
    protected final List<Parameter> params;
    protected double lr;
    protected long steps;

    protected Optimizer(List<Parameter> params, double lr) {
        if (!(lr >= 0)) throw new IllegalArgumentException("learning rate must be >= 0, got " + lr);
        this.params = List.copyOf(params);
        this.lr = lr;
    }

    /** One update of every parameter that has a gradient. */
    public abstract void step();

    public void zeroGrad() { params.forEach(Parameter::zeroGrad); }

    public double lr() { return lr; }

    public void setLr(double lr) { this.lr = lr; }

    public long steps() { return steps; }

    /** Named buffers of this optimiser plus "step". */
    public LinkedHashMap<String, Tensor> state() {
        LinkedHashMap<String, Tensor> s = new LinkedHashMap<>();
        s.put("step", Tensor.scalar(steps));
        buffers().forEach((k, v) -> s.put(k, v));
        return s;
    }

    /** Restores {@link #state()}; shapes and names must match. */
    public void loadState(Map<String, Tensor> s) {
        Tensor st = s.get("step");
        if (st == null) throw new IllegalArgumentException("optimizer state has no step");
        Map<String, Tensor> mine = buffers();
        for (var e : mine.entrySet()) {
            Tensor t = s.get(e.getKey());
            if (t == null) throw new IllegalArgumentException("optimizer state lacks " + e.getKey());
            if (!t.shape().equals(e.getValue().shape())) throw new IllegalArgumentException("optimizer " + e.getKey() + " is " + t.shape() + ", want " + e.getValue().shape());
        }
        if (s.size() != mine.size() + 1) throw new IllegalArgumentException("optimizer state has " + (s.size() - 1) + " buffers, want " + mine.size());
        for (var e : mine.entrySet()) e.getValue().assign(s.get(e.getKey()));
        steps = (long) st.item();
    }

    /** The live buffers by name (written in place by {@link #loadState}). */
    protected abstract Map<String, Tensor> buffers();
}
