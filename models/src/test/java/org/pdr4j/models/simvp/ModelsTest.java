package org.pdr4j.models.simvp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pdr4j.autograd.Var;
import org.pdr4j.models.VideoModel;
import org.pdr4j.models.config.Configs;
import org.pdr4j.models.config.ModelConfig;
import org.pdr4j.models.pdr.Pdr;
import org.pdr4j.nn.Module;
import org.pdr4j.nn.Parameter;
import org.pdr4j.tensor.Tensor;

/** The SimVP family and PDR at the "micro" config: shapes, OpenSTL names, gradients, determinism. */
class ModelsTest {
    private static final ModelConfig MICRO = Configs.get("micro");

    private static Tensor frames(long seed) {
        return Tensor.rand(seed, 2, MICRO.inFrames(), MICRO.channels(), MICRO.height(), MICRO.width());
    }

    @Test
    void everyKindPredictsTheTargetShape() {
        for (String kind : Configs.MODELS) {
            Module m = MICRO.build(kind, 1);
            Var y = ((VideoModel) m).forward(Var.constant(frames(2)));
            assertArrayEquals(new int[] {2, 4, 1, 16, 16}, y.shape().toArray(), kind);
            assertEquals(kind, ((VideoModel) m).kind());
        }
    }

    @Test
    void stateDictUsesOpenStlNames() {
        Map<String, Tensor> tau = MICRO.build("tau", 1).stateDict();
        for (String k : new String[] {
                "enc.enc.0.conv.conv.weight", "enc.enc.0.conv.norm.weight", "enc.enc.1.conv.conv.bias",
                "dec.dec.0.conv.conv.0.weight", "dec.dec.1.conv.conv.weight", "dec.readout.weight",
                "hid.enc.0.block.layer_scale_1", "hid.enc.0.block.norm1.running_var", "hid.enc.0.block.norm1.num_batches_tracked",
                "hid.enc.0.block.attn.proj_1.weight", "hid.enc.0.block.attn.spatial_gating_unit.conv0.weight",
                "hid.enc.0.block.attn.spatial_gating_unit.conv_spatial.weight", "hid.enc.0.block.attn.spatial_gating_unit.fc.0.weight",
                "hid.enc.0.block.attn.spatial_gating_unit.fc.2.weight", "hid.enc.0.block.mlp.dwconv.dwconv.weight",
                "hid.enc.0.block.mlp.fc2.bias", "hid.enc.0.reduction.weight", "hid.enc.1.reduction.weight"})
            assertTrue(tau.containsKey(k), k + " missing from " + tau.keySet());
        // decomposed 21x21 kernel: depthwise 5x5, then 7x7 dilated
        assertArrayEquals(new int[] {32, 1, 5, 5}, tau.get("hid.enc.0.block.attn.spatial_gating_unit.conv0.weight").shape().toArray());
        assertArrayEquals(new int[] {32, 1, 7, 7}, tau.get("hid.enc.0.block.attn.spatial_gating_unit.conv_spatial.weight").shape().toArray());
        Map<String, Tensor> gsta = MICRO.build("gsta", 1).stateDict();
        assertArrayEquals(new int[] {64, 32, 1, 1}, gsta.get("hid.enc.0.block.attn.spatial_gating_unit.conv1.weight").shape().toArray());
        Map<String, Tensor> simvp = MICRO.build("simvp", 1).stateDict();
        assertTrue(simvp.containsKey("hid.enc.0.conv1.weight") && simvp.containsKey("hid.dec.1.layers.3.conv.weight"), simvp.keySet().toString());
        Map<String, Tensor> pdr = MICRO.build("pdr", 1).stateDict();
        for (String k : new String[] {"backbone.enc.enc.0.conv.conv.weight", "predgs.coords.0.weight", "predgs.amplitudes.2.bias", "fuse.weight"})
            assertTrue(pdr.containsKey(k), k);
    }

    @Test
    void sameSeedSameWeightsOtherSeedOther() {
        Tensor a = MICRO.build("tau", 7).stateDict().get("enc.enc.0.conv.conv.weight");
        Tensor b = MICRO.build("tau", 7).stateDict().get("enc.enc.0.conv.conv.weight");
        Tensor c = MICRO.build("tau", 8).stateDict().get("enc.enc.0.conv.conv.weight");
        assertArrayEquals(a.toFloatArray(), b.toFloatArray());
        assertTrue(a.sub(c).abs().max(null, false).item() > 0);
    }

    @Test
    void pdrGradientsReachBackboneAndEveryHead() {
        Pdr m = (Pdr) MICRO.build("pdr", 3);
        Var y = m.forward(Var.constant(frames(4)));
        y.sub(Var.constant(Tensor.rand(5, y.shape().toArray()))).square().mean().backward();
        for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) {
            if (e.getKey().startsWith("predgs.coords.0")) continue; // zero second layer: no gradient to the first at init
            assertNotNull(e.getValue().grad(), e.getKey() + " got no gradient");
        }
        double g = m.namedParameters().get("predgs.amplitudes.2.weight").grad().abs().sum().item();
        assertTrue(g > 0, "amplitude head gradient is zero");
    }

    @Test
    void coordsStartOnAUniformGrid() {
        Pdr m = (Pdr) MICRO.build("pdr", 3);
        Var feats = Var.constant(Tensor.rand(1, 2, MICRO.hidS(), 16, 16));
        float[] c = m.predgs().gaussians(feats).coords().value().toFloatArray();
        // 16 Gaussians: a 4 x 4 grid, centres at +-0.25, +-0.75, x fastest
        assertEquals(-0.75, c[0], 1e-6);
        assertEquals(-0.75, c[1], 1e-6);
        assertEquals(-0.25, c[2], 1e-6);
        assertEquals(0.75, c[2 * 15], 1e-6);
        assertEquals(0.75, c[2 * 15 + 1], 1e-6);
    }

    @Test
    void wrongInputShapeIsRefusedByName() {
        Module m = MICRO.build("tau", 1);
        var e = assertThrows(IllegalArgumentException.class, () -> ((VideoModel) m).forward(Var.constant(Tensor.zeros(1, 3, 1, 16, 16))));
        assertTrue(e.getMessage().contains("[1, 3, 1, 16, 16]"), e.getMessage());
    }

    @Test
    void badConfigsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Configs.get("nope"));
        assertThrows(IllegalArgumentException.class, () -> MICRO.build("convlstm", 1));
    }
}
