package org.pdr4j.models.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pdr4j.autograd.Var;
import org.pdr4j.models.pdr.Pdr;
import org.pdr4j.models.pdr.PredGS;
import org.pdr4j.models.simvp.SimVP;
import org.pdr4j.nn.Module;
import org.pdr4j.nn.Parameter;
import org.pdr4j.nn.layers.DropPath;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.io.Npy;

/**
 * PyTorch's own numbers for the SimVP family (models/scripts/make_golden_models.py, OpenSTL's
 * module tree): its state dict loads into ours by name, and one training-mode forward, MSE loss
 * and backward give its output, loss, every parameter gradient and BatchNorm's running stats;
 * for PDR also the coarse prediction and the rendering.
 */
class GoldenModelsTest {
    private static Map<String, Tensor> fixture(String name) throws Exception {
        try {
            return Npy.readNpz(Path.of(GoldenModelsTest.class.getResource("/golden/models/" + name + ".npz").toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void disableDropPath(Module m) {
        if (m instanceof DropPath) m.train(false);
        m.children().values().forEach(GoldenModelsTest::disableDropPath);
    }

    private static void assertClose(Tensor want, Tensor got, double tol, String what) {
        assertEquals(want.shape(), got.shape(), what);
        float[] a = want.toFloatArray(), b = got.toFloatArray();
        double scale = 0;
        for (float v : a) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < a.length; i++)
            assertEquals(a[i], b[i], tol * (scale + 1e-6), what + "[" + i + "]");
    }

    private static SimVP.Spec micro(SimVP.Translator t) {
        return new SimVP.Spec(4, 1, 16, 16, 8, 16, 2, 2, t, 4.0, 0.0, 3, 3);
    }

    /** Loads the fixture's state dict strictly (every name and shape agrees with PyTorch's), in training mode without DropPath. */
    private static void load(Module m, Map<String, Tensor> f) {
        LinkedHashMap<String, Tensor> state = new LinkedHashMap<>();
        f.forEach((k, v) -> { if (k.startsWith("param/")) state.put(k.substring(6), v); });
        m.loadStateDict(state);
        m.train(true);
        disableDropPath(m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"simvp", "gsta", "tau"})
    void matchesPyTorch(String kind) throws Exception {
        Map<String, Tensor> f = fixture(kind);
        SimVP.Translator t = switch (kind) { case "simvp" -> SimVP.Translator.INCEPU; case "gsta" -> SimVP.Translator.GSTA; default -> SimVP.Translator.TAU; };
        SimVP m = new SimVP(micro(t), 0);
        load(m, f);
        Var y = m.forward(Var.constant(f.get("input")));
        assertClose(f.get("output"), y.value(), 1e-4, kind + " output");
        checkBackward(kind, m, f, y);
    }

    /**
     * PDR (TAU backbone + PredGS + fuse) with PredGS hidden width 8, N 16, K 7, pool 2: the
     * backbone's coarse prediction, the four Gaussian heads, the rendering (torch used the
     * paper's base_grid renderer; ours is the fused one), the fused output and every gradient.
     */
    @Test
    void pdrMatchesPyTorch() throws Exception {
        Map<String, Tensor> f = fixture("pdr");
        Pdr m = new Pdr(micro(SimVP.Translator.TAU), new PredGS.Spec(16, 7, 2, 8), 0);
        load(m, f);
        Pdr.Out out = m.forwardAll(Var.constant(f.get("input")));
        assertClose(f.get("coarse"), out.coarse().value(), 1e-4, "pdr coarse");
        assertClose(f.get("rendering"), out.rendering().value(), 1e-4, "pdr rendering");
        assertClose(f.get("output"), out.prediction().value(), 1e-4, "pdr output");
        checkBackward("pdr", m, f, out.prediction());
        // The heads' outputs (after the buffer checks: this second forward updates BatchNorm's stats again)
        PredGS.Splats g = m.predgs().gaussians(m.backbone().forwardWithFeatures(Var.constant(f.get("input"))).features());
        assertClose(f.get("gauss/coords"), g.coords().value(), 1e-4, "pdr coords");
        assertClose(f.get("gauss/scale"), g.scale().value(), 1e-4, "pdr scale");
        assertClose(f.get("gauss/rotation"), g.rotation().value(), 1e-4, "pdr rotation");
        assertClose(f.get("gauss/amplitudes"), g.amplitudes().value(), 1e-4, "pdr amplitudes");
    }

    private static void checkBackward(String kind, Module m, Map<String, Tensor> f, Var y) {
        Var loss = y.sub(Var.constant(f.get("target"))).square().mean();
        assertEquals(f.get("loss").item(), loss.item(), 1e-5 * Math.abs(f.get("loss").item()), kind + " loss");
        loss.backward();
        for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) {
            Tensor want = f.get("grad/" + e.getKey());
            assertNotNull(want, "fixture lacks grad/" + e.getKey());
            assertNotNull(e.getValue().grad(), e.getKey() + " got no gradient");
            assertClose(want, e.getValue().grad(), 2e-3, kind + " grad " + e.getKey());
        }
        m.namedBuffers().forEach((k, b) -> {
            Tensor want = f.get("after/" + k);
            if (want != null) assertClose(want, b.value(), 1e-4, kind + " buffer " + k);
        });
    }
}
