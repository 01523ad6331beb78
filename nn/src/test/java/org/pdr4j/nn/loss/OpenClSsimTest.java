package org.pdr4j.nn.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.pdr4j.autograd.Var;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.backend.Backends;
import org.pdr4j.tensor.backend.opencl.OpenCl;

/** The SSIM loss on {@code Backends.use("opencl")} (its blur in norm.cl) gives the CPU's value and gradients. */
class OpenClSsimTest {
    private static Tensor[] run(String backend, Tensor x, Tensor y) {
        Backends.use(backend);
        try {
            assertEquals(backend, Backends.current().name());
            Var a = Var.param(x.copy()), b = Var.param(y.copy());
            Var l = Ssim.loss(a, b);
            l.backward();
            return new Tensor[] {l.value(), a.grad(), b.grad()};
        } finally {
            Backends.use("cpu");
        }
    }

    @Test
    void ssimLossOnOpenClMatchesTheCpu() {
        if (!OpenCl.available()) {
            if (OpenCl.icdInstalled()) fail("an OpenCL ICD is registered but no device opened: " + OpenCl.unavailableReason());
            assumeTrue(false, "no OpenCL platform installed (" + OpenCl.unavailableReason() + ")");
        }
        Tensor x = Tensor.rand(1, 2, 3, 17, 13), y = Tensor.rand(2, 2, 3, 17, 13);
        Tensor[] cpu = run("cpu", x, y), cl = run("opencl", x, y);
        assertEquals(cpu[0].item(), cl[0].item(), 1e-5 + 1e-5 * Math.abs(cpu[0].item()), "loss");
        for (int g = 1; g < 3; g++) {
            double[] e = cpu[g].toDoubleArray(), a = cl[g].toDoubleArray();
            for (int i = 0; i < e.length; i++) {
                if (!(Math.abs(e[i] - a[i]) <= 1e-5 + 1e-4 * Math.abs(e[i]))) fail("grad " + g + " element " + i + ": " + e[i] + " vs " + a[i]);
            }
        }
    }
}
