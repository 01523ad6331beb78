package org.pdr4j.nn.optim;

import static org.junit.jupiter.api.Assertions.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.pdr4j.nn.Parameter;
import org.pdr4j.tensor.Tensor;

/**
 * Expected values were printed by /usr/bin/python3 with Debian's torch: a parameter
 * [0.5, -1, 2] given gradient [0.1, -0.2, 0.3] then [-0.4, 0.5, 0.05], stepping
 * torch.optim.AdamW(lr=0.1, weight_decay=0.01), Adam(lr=0.1, weight_decay=0.01),
 * SGD(lr=0.1, momentum=0.9, weight_decay=0.01) and SGD(lr=0.1, momentum=0.9, nesterov=True).
 */
class OptimizerTest {
    private static final float[][] GRADS = {{0.1f, -0.2f, 0.3f}, {-0.4f, 0.5f, 0.05f}};

    private static float[][] run(Function<List<Parameter>, Optimizer> mk) {
        Parameter p = new Parameter(Tensor.of(new float[] {0.5f, -1f, 2f}, 3));
        Optimizer o = mk.apply(List.of(p));
        float[][] out = new float[2][];
        for (int s = 0; s < 2; s++) {
            p.var().setGrad(Tensor.of(GRADS[s], 3));
            o.step();
            out[s] = p.value().toFloatArray();
        }
        assertEquals(2, o.steps());
        return out;
    }

    private static void check(double[][] want, float[][] got) {
        for (int s = 0; s < want.length; s++)
            for (int k = 0; k < 3; k++) assertEquals(want[s][k], got[s][k], 2e-6, "step " + (s + 1) + " element " + k);
    }

    @Test void adamWOneAndTwoStepsByHand() {
        float[][] got = run(ps -> new AdamW(ps, 0.1, 0.01));
        // Step 1 by hand: m^ = g, v^ = g^2, so p = p(1 - 0.001) - 0.1 * sign(g) (eps negligible).
        assertEquals(0.5 * 0.999 - 0.1, got[0][0], 1e-6);
        assertEquals(-1 * 0.999 + 0.1, got[0][1], 1e-6);
        // Step 2 by hand for element 0.
        double p1 = 0.5 * 0.999 - 0.1, g = -0.4;
        double m = 0.9 * 0.1 * 0.1 + 0.1 * g, v = 0.999 * 0.001 * 0.01 + 0.001 * g * g;
        double mh = m / (1 - 0.81), vh = v / (1 - 0.999 * 0.999);
        assertEquals(p1 * 0.999 - 0.1 * mh / (Math.sqrt(vh) + 1e-8), got[1][0], 1e-6);
        check(new double[][] {{0.3995000123977661, -0.8990000486373901, 1.8980000019073486},
                {0.45505085587501526, -0.9423225522041321, 1.8177692890167236}}, got);
    }

    @Test void adamMatchesTorch() {
        check(new double[][] {{0.4000000059604645, -0.9000000357627869, 1.899999976158142},
                {0.45476529002189636, -0.9420855641365051, 1.8188085556030273}}, run(ps -> new Adam(ps, 0.1, 0.01)));
    }

    @Test void sgdMomentumMatchesTorch() {
        float[][] got = run(ps -> new Sgd(ps, 0.1, 0.9, 0.01, false));
        // Step 1 by hand: buf = g + wd p; p -= lr buf.
        assertEquals(0.5 - 0.1 * (0.1 + 0.005), got[0][0], 1e-7);
        check(new double[][] {{0.4894999861717224, -0.9789999723434448, 1.968000054359436},
                {0.5195605158805847, -1.0091209411621094, 1.9322320222854614}}, got);
        check(new double[][] {{0.48100000619888306, -0.9620000123977661, 1.9429999589920044},
                {0.5489000082015991, -1.0407999753952026, 1.9091999530792236}}, run(ps -> new Sgd(ps, 0.1, 0.9, 0, true)));
    }

    @Test void parametersWithoutGradAreSkipped() {
        Parameter a = new Parameter(Tensor.ones(2)), b = new Parameter(Tensor.ones(2));
        AdamW o = new AdamW(List.of(a, b), 0.1, 0.5);
        a.var().setGrad(Tensor.ones(2));
        o.step();
        assertArrayEquals(new float[] {1f, 1f}, b.value().toFloatArray());
        assertNotEquals(1f, a.value().toFloatArray()[0]);
        o.zeroGrad();
        assertNull(a.grad());
    }

    @Test void stateRoundTripResumesExactly() {
        Parameter p = new Parameter(Tensor.rand(3, 2, 3));
        AdamW o = new AdamW(List.of(p), 0.01, 0.1);
        for (int s = 0; s < 3; s++) { p.var().setGrad(Tensor.randn(10 + s, 2, 3)); o.step(); }
        LinkedHashMap<String, Tensor> st = o.state();
        assertEquals(List.of("exp_avg.0", "exp_avg_sq.0", "step.0", "step"), List.copyOf(st.keySet()));
        assertEquals(3.0, st.get("step").item());
        Parameter q = new Parameter(p.value().copy());
        AdamW r = new AdamW(List.of(q), 0.01, 0.1);
        r.loadState(st);
        assertEquals(3, r.steps());
        Tensor g = Tensor.randn(99, 2, 3);
        p.var().setGrad(g);
        q.var().setGrad(g);
        o.step();
        r.step();
        assertArrayEquals(p.value().toFloatArray(), q.value().toFloatArray());

        LinkedHashMap<String, Tensor> wrong = new LinkedHashMap<>(st);
        wrong.put("exp_avg.0", Tensor.zeros(6));
        assertThrows(IllegalArgumentException.class, () -> r.loadState(wrong));
        LinkedHashMap<String, Tensor> extra = new LinkedHashMap<>(st);
        extra.put("momentum.0", Tensor.zeros(2, 3));
        assertThrows(IllegalArgumentException.class, () -> r.loadState(extra));
        LinkedHashMap<String, Tensor> missing = new LinkedHashMap<>(st);
        missing.remove("step");
        assertThrows(IllegalArgumentException.class, () -> r.loadState(missing));
        assertEquals(4, r.steps(), "a rejected state changes nothing");
    }

    @Test void sgdStateHasMomentumBuffers() {
        Sgd o = new Sgd(List.of(new Parameter(Tensor.ones(2)), new Parameter(Tensor.ones(1, 1))), 0.1, 0.9, 0, false);
        assertEquals(List.of("momentum.0", "momentum.1", "step"), List.copyOf(o.state().keySet()));
        assertEquals(List.of("step"), List.copyOf(new Sgd(List.of(new Parameter(Tensor.ones(2))), 0.1).state().keySet()));
    }

    /** Values from torch.nn.utils.clip_grad_norm_([a, b], 1.0) with grads [3, 4] and [[12], [0]]. */
    @Test void gradClip() {
        Parameter a = new Parameter(Tensor.zeros(2)), b = new Parameter(Tensor.zeros(2, 1)), c = new Parameter(Tensor.zeros(1));
        a.var().setGrad(Tensor.of(new float[] {3, 4}, 2));
        b.var().setGrad(Tensor.of(new float[] {12, 0}, 2, 1));
        assertEquals(13.0, GradClip.clipGradNorm(List.of(a, b, c), 1.0), 1e-9);
        assertArrayEquals(new float[] {0.23076921701431274f, 0.307692289352417f}, a.grad().toFloatArray(), 1e-7f);
        assertArrayEquals(new float[] {0.923076868057251f, 0f}, b.grad().toFloatArray(), 1e-7f);
        // Below the limit nothing changes.
        assertEquals(1.0, GradClip.clipGradNorm(List.of(a, b), 5.0), 1e-6);
        assertArrayEquals(new float[] {0.23076921701431274f, 0.307692289352417f}, a.grad().toFloatArray(), 1e-7f);
    }
}
