package org.pdr4j.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pdr4j.tensor.Tensor;

/**
 * A node in a model tree, as in PyTorch: it registers parameters, buffers and child modules
 * under names, and the dotted path of a tensor ({@code enc.enc.0.conv.conv.weight}) is its
 * name in the state dict. Models that mirror an OpenSTL one use OpenSTL's names so weights
 * move between the two. Subclasses register everything in their constructor, in the order
 * PyTorch would (state dicts are ordered).
 */
public abstract class Module {
    private final LinkedHashMap<String, Parameter> params = new LinkedHashMap<>();
    private final LinkedHashMap<String, Buffer> buffers = new LinkedHashMap<>();
    private final LinkedHashMap<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Registers a parameter initialised to {@code init} and returns it. */
    protected final Parameter param(String name, Tensor init) {
        Parameter p = new Parameter(init);
        checkName(name);
        params.put(name, p);
        return p;
    }

    /** Registers a buffer initialised to a copy of {@code init} and returns it. */
    protected final Buffer buffer(String name, Tensor init) {
        Buffer b = new Buffer(init);
        checkName(name);
        buffers.put(name, b);
        return b;
    }

    /** Registers a child module and returns it. */
    protected final <M extends Module> M module(String name, M child) {
        checkName(name);
        children.put(name, child);
        return child;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".") || params.containsKey(name) || buffers.containsKey(name) || children.containsKey(name))
            throw new IllegalArgumentException(getClass().getSimpleName() + ": bad or duplicate name '" + name + "'");
    }

    /** Direct children, in registration order. */
    public final Map<String, Module> children() { return Collections.unmodifiableMap(children); }

    /** Every parameter of this tree by dotted name, depth first in registration order. */
    public final LinkedHashMap<String, Parameter> namedParameters() {
        LinkedHashMap<String, Parameter> out = new LinkedHashMap<>();
        collect("", out, null);
        return out;
    }

    /** Every buffer of this tree by dotted name. */
    public final LinkedHashMap<String, Buffer> namedBuffers() {
        LinkedHashMap<String, Buffer> out = new LinkedHashMap<>();
        collect("", null, out);
        return out;
    }

    private void collect(String prefix, Map<String, Parameter> ps, Map<String, Buffer> bs) {
        if (ps != null) params.forEach((n, p) -> ps.put(prefix + n, p));
        if (bs != null) buffers.forEach((n, b) -> bs.put(prefix + n, b));
        children.forEach((n, m) -> m.collect(prefix + n + ".", ps, bs));
    }

    public final List<Parameter> parameters() { return new ArrayList<>(namedParameters().values()); }

    /** Number of trainable scalars. */
    public final long parameterCount() {
        long n = 0;
        for (Parameter p : parameters()) n += p.numel();
        return n;
    }

    public final void zeroGrad() { parameters().forEach(Parameter::zeroGrad); }

    /** Training mode on or off for the whole tree (BatchNorm statistics, dropout). */
    public final Module train(boolean on) {
        training = on;
        children.values().forEach(m -> m.train(on));
        return this;
    }

    public final Module eval() { return train(false); }

    public final boolean isTraining() { return training; }

    /**
     * Reseeds every stochastic layer (dropout, drop path) of the tree from one seed, each from
     * its own path, so a run is reproducible and a resumed run draws what the original would.
     */
    public final void reseed(long seed) { reseed(seed, ""); }

    private void reseed(long seed, String path) {
        onReseed(mix(seed, path));
        children.forEach((n, m) -> m.reseed(seed, path + "." + n));
    }

    /** Hook for stochastic layers; the default does nothing. */
    protected void onReseed(long seed) {}

    private static long mix(long seed, String path) {
        long h = seed ^ 0x9E3779B97F4A7C15L;
        for (int i = 0; i < path.length(); i++) h = (h ^ path.charAt(i)) * 0x100000001B3L;
        h ^= h >>> 33; h *= 0xff51afd7ed558ccdL; h ^= h >>> 33;
        return h;
    }

    /** Parameters then buffers of each module, by dotted name (values are the live tensors). */
    public final LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        stateInto("", out);
        return out;
    }

    private void stateInto(String prefix, Map<String, Tensor> out) {
        params.forEach((n, p) -> out.put(prefix + n, p.value()));
        buffers.forEach((n, b) -> out.put(prefix + n, b.value()));
        children.forEach((n, m) -> m.stateInto(prefix + n + ".", out));
    }

    /**
     * Copies {@code state} into this tree. Strict, as PyTorch's default: a missing key, an
     * unexpected key or a shape mismatch is an {@link IllegalArgumentException} naming them,
     * and nothing is written unless everything matches.
     */
    public final void loadStateDict(Map<String, Tensor> state) {
        LinkedHashMap<String, Tensor> mine = stateDict();
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), badShape = new ArrayList<>();
        for (String k : mine.keySet()) if (!state.containsKey(k)) missing.add(k);
        for (var e : state.entrySet()) {
            Tensor t = mine.get(e.getKey());
            if (t == null) unexpected.add(e.getKey());
            else if (!t.shape().equals(e.getValue().shape())) badShape.add(e.getKey() + " " + e.getValue().shape() + " vs " + t.shape());
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !badShape.isEmpty()) {
            StringBuilder sb = new StringBuilder("state dict does not fit " + getClass().getSimpleName() + ":");
            if (!missing.isEmpty()) sb.append(" missing ").append(abbrev(missing)).append(';');
            if (!unexpected.isEmpty()) sb.append(" unexpected ").append(abbrev(unexpected)).append(';');
            if (!badShape.isEmpty()) sb.append(" wrong shape ").append(abbrev(badShape)).append(';');
            throw new IllegalArgumentException(sb.substring(0, sb.length() - 1));
        }
        for (var e : mine.entrySet()) e.getValue().assign(state.get(e.getKey()));
    }

    private static String abbrev(List<String> keys) {
        return keys.size() <= 4 ? keys.toString() : keys.subList(0, 4) + " and " + (keys.size() - 4) + " more";
    }
}
