package org.pdr4j.nn.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.pdr4j.autograd.Var;
import org.pdr4j.tensor.Tensor;

class LossesTest {
    @Test
    void mseAndL1AreMeans() {
        Var p = Var.param(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2)), t = Var.constant(Tensor.of(new float[] {1, 0, 3, 5}, 2, 2));
        assertEquals((4 + 1) / 4.0, Losses.mse(p, t).item(), 1e-6);
        assertEquals((2 + 1) / 4.0, Losses.l1(p, t).item(), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> Losses.mse(p, Var.constant(Tensor.zeros(4))));
    }

    @Test
    void ssimOfIdenticalImagesIsOneAndLossZero() {
        Var x = Var.param(Tensor.rand(1, 2, 3, 16, 16));
        assertEquals(1.0, Ssim.ssim(x, x).item(), 1e-5);
        assertEquals(0.5 * 0 + 0.5 * 0, Losses.l1Ssim(x, x.detach(), 0.5).item(), 1e-5);
    }

    @Test
    void gaussianWindowIsNormalisedAndSymmetric() {
        double[] g = Ssim.gaussian(11, 1.5);
        double s = 0;
        for (double v : g) s += v;
        assertEquals(1.0, s, 1e-12);
        for (int i = 0; i < 11; i++) assertEquals(g[i], g[10 - i], 1e-15);
    }

    @Test
    void ssimRejectsSmallImages() {
        Var x = Var.constant(Tensor.rand(1, 1, 1, 10, 16));
        assertThrows(IllegalArgumentException.class, () -> Ssim.ssim(x, x));
    }

    @Test
    void diffDivRegIsZeroWhenMotionsAgree() {
        Var p = Var.param(Tensor.rand(2, 2, 4, 1, 3, 3));
        assertEquals(0.0, Losses.diffDivReg(p, p.detach()).item(), 1e-6);
        assertEquals(0.0, Losses.diffDivReg(p.narrow(1, 0, 2), p.narrow(1, 0, 2).detach()).item());
    }
}
