package org.pdr4j.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pdr4j.autograd.Var;
import org.pdr4j.nn.Parameter;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.io.Npy;

/** MultiheadAttention against torch.nn.MultiheadAttention (nn/scripts/make_golden_mha.py). */
class MultiheadAttentionTest {
    private static void assertClose(Tensor want, Tensor got, double tol, String what) {
        assertEquals(want.shape(), got.shape(), what);
        float[] a = want.toFloatArray(), b = got.toFloatArray();
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], tol * (1 + Math.abs(a[i])), what + "[" + i + "]");
    }

    @Test
    void matchesPyTorch() throws Exception {
        Map<String, Tensor> f = Npy.readNpz(Path.of(getClass().getResource("/golden/mha.npz").toURI()));
        MultiheadAttention m = new MultiheadAttention(8, 2, 0.0, 1);
        assertEquals(List.of("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"), List.copyOf(m.namedParameters().keySet()));
        LinkedHashMap<String, Tensor> state = new LinkedHashMap<>();
        f.forEach((k, v) -> { if (k.startsWith("param/")) state.put(k.substring(6), v); });
        m.loadStateDict(state);
        m.eval();
        Var q = Var.param(f.get("query")), k = Var.param(f.get("key")), v = Var.param(f.get("value"));
        Var out = m.forward(q, k, v, f.get("mask"));
        assertClose(f.get("output"), out.value(), 1e-5, "output");
        out.mul(Var.constant(f.get("weights"))).sum().backward();
        for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) {
            assertNotNull(e.getValue().grad(), e.getKey());
            assertClose(f.get("grad/" + e.getKey()), e.getValue().grad(), 1e-4, "grad " + e.getKey());
        }
        assertClose(f.get("grad/query"), q.grad(), 1e-4, "grad query");
        assertClose(f.get("grad/key"), k.grad(), 1e-4, "grad key");
        assertClose(f.get("grad/value"), v.grad(), 1e-4, "grad value");
    }

    @Test
    void initFollowsTorch() {
        MultiheadAttention m = new MultiheadAttention(16, 4, 0.1, 3);
        float[] w = m.namedParameters().get("in_proj_weight").value().toFloatArray();
        double bound = Math.sqrt(6.0 / (16 + 48)), max = 0;
        for (float x : w) max = Math.max(max, Math.abs(x));
        assertTrue(max <= bound && max > 0.8 * bound, "xavier-uniform bound " + bound + ", max " + max);
        for (String zero : new String[] {"in_proj_bias", "out_proj.bias"}) {
            for (float x : m.namedParameters().get(zero).value().toFloatArray()) assertEquals(0f, x, zero);
        }
    }

    @Test
    void selfAttentionShapesAndErrors() {
        MultiheadAttention m = new MultiheadAttention(8, 2, 0.0, 1);
        Var y = m.forward(Var.constant(Tensor.rand(1, 3, 5, 8)));
        assertEquals(org.pdr4j.tensor.Shape.of(3, 5, 8), y.shape());
        assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(10, 3, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> m.forward(Var.constant(Tensor.rand(1, 3, 5, 6))));
        assertThrows(IllegalArgumentException.class,
                () -> m.forward(Var.constant(Tensor.rand(1, 3, 5, 8)), Var.constant(Tensor.rand(2, 2, 4, 8)), Var.constant(Tensor.rand(3, 3, 4, 8)), null));
    }
}
