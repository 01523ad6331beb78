package org.pdr4j.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.pdr4j.tensor.Tensor;

/** The reverse sweep: topological order from the root, then one backward call per node. */
final class Backward {
    private Backward() {}

    static void run(Var root, Tensor seed, boolean retainGraph) {
        List<Var> order = topologicalOrder(root);
        Map<Var, Tensor> grads = new IdentityHashMap<>();
        grads.put(root, seed);
        try (var scope = Grad.noGrad()) {
            for (int n = order.size() - 1; n >= 0; n--) {
                Var v = order.get(n);
                Tensor g = grads.remove(v);
                if (g == null) continue;
                if (v.isLeaf() || v.retainsGrad()) v.accumulate(g);
                if (v.isLeaf()) continue;
                Function f = v.creator();
                if (f == null) {
                    throw new IllegalStateException("backward through a graph that was already freed (at "
                            + v.creatorName() + "); pass retainGraph=true to the first backward to run it twice");
                }
                Var[] parents = v.parents();
                boolean[] needs = new boolean[parents.length];
                for (int i = 0; i < parents.length; i++) needs[i] = parents[i].requiresGrad();
                boolean profile = Profiler.on();
                long t0 = profile ? System.nanoTime() : 0;
                Tensor[] pg = f.backward(g, needs);
                if (profile) {
                    long t1 = System.nanoTime();
                    Profiler.record(f.name() + ".backward", t1 - t0);
                    t0 = t1;
                }
                for (int i = 0; i < parents.length; i++) {
                    if (!needs[i]) continue;
                    Tensor gi = pg[i];
                    if (gi == null) {
                        throw new IllegalStateException(f.name() + ".backward returned no gradient for input " + i + ", which needs one");
                    }
                    if (!gi.shape().equals(parents[i].value().shape())) {
                        throw new IllegalStateException(f.name() + ".backward gave input " + i + " a gradient of shape "
                                + gi.shape() + ", expected " + parents[i].value().shape());
                    }
                    grads.merge(parents[i], gi, Tensor::add);
                }
                if (profile) Profiler.record("(gradient sums)", System.nanoTime() - t0);
                if (!retainGraph) v.free();
            }
        }
    }

    /** Nodes that need a gradient, each after all nodes it depends on (iterative DFS). */
    private static List<Var> topologicalOrder(Var root) {
        List<Var> order = new ArrayList<>();
        Map<Var, Boolean> visited = new IdentityHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        visited.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] top = stack.peek();
            Var v = (Var) top[0];
            int next = (Integer) top[1];
            Var[] ps = v.isLeaf() ? new Var[0] : v.parents();
            if (next < ps.length) {
                top[1] = next + 1;
                Var p = ps[next];
                if (p.requiresGrad() && visited.put(p, Boolean.TRUE) == null) stack.push(new Object[] {p, 0});
            } else {
                stack.pop();
                order.add(v);
            }
        }
        return order;
    }
}
