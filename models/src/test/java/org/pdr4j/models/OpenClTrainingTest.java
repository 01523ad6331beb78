package org.pdr4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.pdr4j.autograd.Var;
import org.pdr4j.gs.Renderers;
import org.pdr4j.models.config.Configs;
import org.pdr4j.models.config.ModelConfig;
import org.pdr4j.models.train.Objective;
import org.pdr4j.nn.Module;
import org.pdr4j.nn.optim.AdamW;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.backend.Backends;
import org.pdr4j.tensor.backend.Device;
import org.pdr4j.tensor.backend.opencl.OpenCl;

/**
 * A short PDR training run on {@code --device opencl} (tensor ops on the OpenCL backend, the
 * renderer in OpenCL C) follows the CPU run: same losses step by step, within float32 rounding
 * of a different summation order. Runs on pocl in CI.
 */
class OpenClTrainingTest {
    private static final int STEPS = 4;

    private static double[] losses(Device d) {
        Backends.useDevice(d);
        try {
            assertEquals(d.kind().equals("opencl") ? "opencl" : "cpu", Backends.current().name());
            assertEquals(d.kind().equals("opencl") ? "opencl" : "fused", Renderers.current().name());
            ModelConfig c = Configs.get("micro");
            Module m = c.build("pdr", 3);
            m.train(true);
            AdamW opt = new AdamW(m.parameters(), c.lr(), c.weightDecay());
            Tensor x = Tensor.rand(1, 2, c.inFrames(), c.channels(), c.height(), c.width());
            Tensor y = Tensor.rand(2, 2, c.outFrames(), c.channels(), c.height(), c.width());
            double[] out = new double[STEPS];
            for (int i = 0; i < STEPS; i++) {
                Var l = Objective.loss("l1ssim", ((VideoModel) m).forward(Var.constant(x)), Var.constant(y));
                m.zeroGrad();
                l.backward();
                opt.step();
                out[i] = l.item();
            }
            return out;
        } finally {
            Backends.useDevice(Device.CPU);
        }
    }

    @Test
    void pdrTrainsToTheSameLossesOnOpenClAsOnTheCpu() {
        if (!OpenCl.available()) {
            if (OpenCl.icdInstalled()) fail("an OpenCL ICD is registered but no device opened: " + OpenCl.unavailableReason());
            assumeTrue(false, "no OpenCL platform installed (" + OpenCl.unavailableReason() + ")");
        }
        double[] cpu = losses(Device.CPU), cl = losses(new Device("opencl", 0));
        for (int i = 0; i < STEPS; i++) assertEquals(cpu[i], cl[i], 1e-4 * Math.abs(cpu[i]) + 1e-6, "step " + i);
        // and training moved: the last loss is not the first
        assertEquals(true, cpu[STEPS - 1] < cpu[0], java.util.Arrays.toString(cpu));
    }
}
