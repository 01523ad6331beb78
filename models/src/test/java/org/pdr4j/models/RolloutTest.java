package org.pdr4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pdr4j.autograd.Grad;
import org.pdr4j.autograd.Var;
import org.pdr4j.models.config.Configs;
import org.pdr4j.models.simvp.SimVP;
import org.pdr4j.tensor.Tensor;

class RolloutTest {
    private static SimVP model() {
        SimVP m = new SimVP(new SimVP.Spec(2, 1, 16, 16, 4, 8, 2, 2, SimVP.Translator.TAU, 2.0, 0.0, 3, 3), 5);
        m.eval();
        return m;
    }

    @Test
    void feedsThePredictionBackUntilTheHorizonIsFilled() {
        SimVP m = model();
        Rollout r = new Rollout(m, 2, 5);
        Tensor x = Tensor.rand(9, 3, 2, 1, 16, 16);
        try (var g = Grad.noGrad()) {
            Var p1 = m.forward(Var.constant(x)), p2 = m.forward(p1), p3 = m.forward(p2);
            Tensor want = Var.concat(java.util.List.of(p1, p2, p3.narrow(1, 0, 1)), 1).value();
            Tensor got = r.forward(Var.constant(x)).value();
            assertArrayEquals(new int[] {3, 5, 1, 16, 16}, got.shape().toArray());
            assertArrayEquals(want.toFloatArray(), got.toFloatArray(), 1e-6f);
            // A shorter horizon is the first frames of one application.
            assertArrayEquals(p1.narrow(1, 0, 1).value().toFloatArray(), new Rollout(m, 2, 1).forward(Var.constant(x)).value().toFloatArray(), 1e-6f);
        }
        assertEquals("tau", r.kind());
        assertTrue(r.stateDict().keySet().stream().allMatch(k -> k.startsWith("model.")));
        assertThrows(IllegalArgumentException.class, () -> r.forward(Var.constant(Tensor.zeros(1, 3, 1, 16, 16))));
    }

    @Test
    void gradientsFlowThroughEveryApplication() {
        SimVP m = model();
        Rollout r = new Rollout(m, 2, 4);
        Tensor x = Tensor.rand(2, 1, 2, 1, 16, 16);
        // The loss on the second application alone still reaches the weights through the first.
        r.forward(Var.constant(x)).narrow(1, 2, 2).sum().backward();
        double norm = 0;
        for (var p : m.parameters()) if (p.grad() != null) norm += p.grad().mul(p.grad()).sum().item();
        assertTrue(norm > 0);
    }

    @Test
    void configsWithLongerHorizonsBuildRollouts() {
        assertTrue(Configs.get("kth").build("simvp", 0) instanceof Rollout);
        assertTrue(Configs.get("micro").build("pdr", 0) instanceof org.pdr4j.models.pdr.Pdr);
    }
}
