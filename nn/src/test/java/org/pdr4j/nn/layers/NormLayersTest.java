package org.pdr4j.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pdr4j.autograd.Var;
import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.Tensor;

class NormLayersTest {
    private static final double TOL = 1e-5;

    @Test
    void groupNormNamesAndInit() {
        GroupNorm gn = new GroupNorm(2, 4);
        assertEquals(List.of("weight", "bias"), List.copyOf(gn.stateDict().keySet()));
        assertArrayEquals(new float[] {1, 1, 1, 1}, gn.namedParameters().get("weight").value().toFloatArray());
        assertArrayEquals(new float[] {0, 0, 0, 0}, gn.namedParameters().get("bias").value().toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm(3, 4));
        assertThrows(IllegalArgumentException.class, () -> gn.forward(Var.constant(Tensor.zeros(2, 3, 4))));
    }

    @Test
    void groupNormNormalisesEachGroup() {
        GroupNorm gn = new GroupNorm(2, 4);
        Tensor x = Tensor.randn(1, 3, 4, 5, 5).mul(3).add(2);
        Tensor y = gn.forward(Var.constant(x)).value();
        for (int n = 0; n < 3; n++) {
            for (int g = 0; g < 2; g++) {
                Tensor grp = y.narrow(0, n, 1).narrow(1, 2 * g, 2);
                assertEquals(0, grp.mean().item(), TOL);
                assertEquals(1, grp.var(null, false, 0).item(), 1e-3);
            }
        }
    }

    @Test
    void batchNormNamesBuffersAndTrainingUpdate() {
        BatchNorm2d bn = new BatchNorm2d(3);
        assertEquals(List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"), List.copyOf(bn.stateDict().keySet()));
        assertEquals(List.of("weight", "bias"), List.copyOf(bn.namedParameters().keySet()));
        assertEquals(Shape.scalar(), bn.stateDict().get("num_batches_tracked").shape());
        assertArrayEquals(new float[] {1, 1, 1}, bn.runningVar().toFloatArray());

        Tensor x = Tensor.randn(7, 4, 3, 5, 6).mul(2).add(1.5);
        Tensor y = bn.forward(Var.constant(x)).value();
        assertEquals(1, bn.numBatchesTracked());
        float[] rm = bn.runningMean().toFloatArray(), rv = bn.runningVar().toFloatArray();
        for (int c = 0; c < 3; c++) {
            Tensor xc = x.narrow(1, c, 1), yc = y.narrow(1, c, 1);
            double mean = xc.mean().item(), unbiased = xc.var(null, false, 1).item();
            assertEquals(0.1 * mean, rm[c], TOL);
            assertEquals(0.9 + 0.1 * unbiased, rv[c], 1e-4);
            assertEquals(0, yc.mean().item(), TOL);
            assertEquals(1, yc.var(null, false, 0).item(), 1e-3);
        }
        bn.forward(Var.constant(x));
        assertEquals(2, bn.numBatchesTracked());
    }

    @Test
    void batchNormEvalUsesRunningStatsAndLeavesThem() {
        BatchNorm2d bn = new BatchNorm2d(2);
        bn.stateDict().get("running_mean").assign(Tensor.of(new float[] {1, -1}, 2));
        bn.stateDict().get("running_var").assign(Tensor.of(new float[] {4, 0.25f}, 2));
        bn.eval();
        Tensor x = Tensor.randn(3, 2, 2, 3, 3);
        Tensor y = bn.forward(Var.constant(x)).value();
        assertEquals(0, bn.numBatchesTracked());
        assertArrayEquals(new float[] {1, -1}, bn.runningMean().toFloatArray());
        float[] xa = x.toFloatArray(), ya = y.toFloatArray();
        for (int i = 0; i < xa.length; i++) {
            int c = (i / 9) % 2;
            double expect = c == 0 ? (xa[i] - 1) / Math.sqrt(4 + 1e-5) : (xa[i] + 1) / Math.sqrt(0.25 + 1e-5);
            assertEquals(expect, ya[i], TOL);
        }
    }

    @Test
    void batchNormNeedsMoreThanOneValuePerChannelInTraining() {
        BatchNorm2d bn = new BatchNorm2d(2);
        assertThrows(IllegalArgumentException.class, () -> bn.forward(Var.constant(Tensor.zeros(1, 2, 1, 1))));
        bn.eval();
        bn.forward(Var.constant(Tensor.zeros(1, 2, 1, 1)));
    }

    @Test
    void layerNormNamesAndValues() {
        LayerNorm ln = new LayerNorm(4, 5);
        assertEquals(List.of("weight", "bias"), List.copyOf(ln.stateDict().keySet()));
        assertEquals(Shape.of(4, 5), ln.stateDict().get("weight").shape());
        Tensor x = Tensor.randn(3, 2, 4, 5).add(3);
        Tensor y = ln.forward(Var.constant(x)).value();
        for (int n = 0; n < 2; n++) {
            Tensor row = y.narrow(0, n, 1); // x is [2, 4, 5] (randn's first argument is the seed)
            assertEquals(0, row.mean().item(), TOL);
            assertEquals(1, row.var(null, false, 0).item(), 1e-3);
        }
        assertThrows(IllegalArgumentException.class, () -> ln.forward(Var.constant(Tensor.zeros(2, 5, 4))));
    }

    @Test
    void gradientsReachParameters() {
        BatchNorm2d bn = new BatchNorm2d(2);
        GroupNorm gn = new GroupNorm(1, 2);
        Var x = Var.param(Tensor.randn(5, 2, 2, 3, 3));
        gn.forward(bn.forward(x)).mul(Var.constant(Tensor.randn(6, 2, 2, 3, 3))).sum().backward();
        for (var p : bn.parameters()) assertEquals(Shape.of(2), p.grad().shape());
        for (var p : gn.parameters()) assertEquals(Shape.of(2), p.grad().shape());
        assertEquals(x.shape(), x.grad().shape());
    }
}
