package org.pdr4j.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.ShapeException;
import org.pdr4j.tensor.Tensor;

class VarTest {
    @Test
    void chainRuleThroughBroadcastAndReduction() {
        Var x = Var.param(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        Var b = Var.param(Tensor.of(new float[] {1, -1, 2}));
        Var loss = x.mul(b).square().sum(); // sum((x*b)^2)
        loss.backward();
        // d/dx = 2 x b^2 ; d/db = sum over rows of 2 x^2 b
        assertArrayEquals(new float[] {2, 4, 24, 8, 10, 48}, x.grad().toFloatArray());
        assertArrayEquals(new float[] {34, -58, 180}, b.grad().toFloatArray());
        assertEquals(Shape.of(3), b.grad().shape());
    }

    @Test
    void gradientsAccumulateUntilCleared() {
        Var w = Var.param(Tensor.of(new float[] {3}));
        w.mul(2.0).sum().backward();
        w.mul(2.0).sum().backward();
        assertArrayEquals(new float[] {4}, w.grad().toFloatArray());
        w.zeroGrad();
        assertNull(w.grad());
    }

    @Test
    void aValueUsedTwiceGetsBothContributions() {
        Var x = Var.param(Tensor.of(new float[] {2}));
        Var y = x.mul(x).add(x.exp()); // x^2 + e^x
        y.sum().backward();
        assertEquals(4 + Math.exp(2), x.grad().item(), 1e-5);
    }

    @Test
    void viewsDifferentiate() {
        Var x = Var.param(Tensor.arange(6).reshape(2, 3));
        Var y = x.transpose(0, 1).narrow(0, 1, 2).reshape(4).mul(Var.constant(Tensor.of(new float[] {1, 2, 3, 4})));
        y.sum().backward();
        // narrow picks x[:,1:3] transposed: [[x01, x11], [x02, x12]] -> weights 1,2,3,4
        assertArrayEquals(new float[] {0, 1, 3, 0, 2, 4}, x.grad().toFloatArray());
        Var e = Var.param(Tensor.of(new float[] {1, 2}, 2, 1));
        e.expand(2, 5).sum().backward();
        assertArrayEquals(new float[] {5, 5}, e.grad().toFloatArray());
    }

    @Test
    void noGradRecordsNothingAndDetachCuts() {
        Var x = Var.param(Tensor.ones(2));
        try (var s = Grad.noGrad()) {
            Var y = x.mul(3.0);
            assertFalse(y.requiresGrad());
            try (var e = Grad.enableGrad()) {
                assertTrue(x.mul(3.0).requiresGrad());
            }
            assertFalse(Grad.isEnabled());
        }
        assertTrue(Grad.isEnabled());
        Var d = x.mul(2.0).detach();
        assertFalse(d.requiresGrad());
        assertThrows(IllegalStateException.class, () -> d.sum().backward());
    }

    @Test
    void secondBackwardThroughAFreedGraphFails() {
        Var x = Var.param(Tensor.ones(3));
        Var loss = x.exp().sum();
        loss.backward();
        IllegalStateException ex = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(ex.getMessage().contains("already freed"), ex.getMessage());

        Var x2 = Var.param(Tensor.ones(3));
        Var l2 = x2.exp().sum();
        l2.backward(Tensor.scalar(1), true);
        l2.backward(Tensor.scalar(1), false);
        assertEquals(2 * Math.E, x2.grad().get(0), 1e-5);
    }

    @Test
    void backwardNeedsAScalarOrASeed() {
        Var x = Var.param(Tensor.ones(3));
        Var y = x.mul(2.0);
        assertThrows(ShapeException.class, y::backward);
        y.backward(Tensor.of(new float[] {1, 2, 3}), false);
        assertArrayEquals(new float[] {2, 4, 6}, x.grad().toFloatArray());
        assertThrows(ShapeException.class, () -> x.mul(2.0).backward(Tensor.ones(2), false));
    }

    @Test
    void retainGradKeepsIntermediateGradients() {
        Var x = Var.param(Tensor.of(new float[] {1, 2}));
        Var h = x.mul(3.0).retainGrad();
        h.square().sum().backward();
        assertArrayEquals(new float[] {6, 12}, h.grad().toFloatArray());
        assertArrayEquals(new float[] {18, 36}, x.grad().toFloatArray());
    }

    @Test
    void concatSplitAndStackRouteGradients() {
        Var a = Var.param(Tensor.ones(2, 2)), b = Var.param(Tensor.ones(2, 1));
        Var c = Var.concat(List.of(a, b), 1);
        List<Var> parts = c.split(new int[] {1, 2}, 1);
        parts.get(1).mul(5.0).sum().add(Var.stack(List.of(a, a), 0).sum()).backward();
        assertArrayEquals(new float[] {2, 7, 2, 7}, a.grad().toFloatArray());
        assertArrayEquals(new float[] {5, 5}, b.grad().toFloatArray());
    }

    @Test
    void gradcheckPassesForRightAndFailsForWrongGradients() {
        Tensor x = Tensor.randn(3, 2, 3);
        assertTrue(GradCheck.check(v -> v[0].tanh().mul(v[0]).sum(new int[] {1}, false), x).passed());
        // An op whose backward is deliberately off by a factor of two must be caught.
        Function wrong = new Function() {
            private Tensor in;

            @Override
            protected Tensor forward(Tensor... t) {
                in = t[0];
                return t[0].mul(t[0]);
            }

            @Override
            protected Tensor[] backward(Tensor g, boolean[] needsGrad) {
                return new Tensor[] {g.mul(in)};
            }
        };
        GradCheck.Result r = GradCheck.check(v -> wrong.apply(v[0]), x);
        assertFalse(r.passed(), r.toString());
        assertThrows(AssertionError.class, () -> GradCheck.assertGradients(v -> wrong.apply(v[0]), x));
    }

    @Test
    void aBackwardWithTheWrongShapeIsNamed() {
        Function bad = new Function() {
            @Override
            protected Tensor forward(Tensor... t) {
                return t[0].sum();
            }

            @Override
            protected Tensor[] backward(Tensor g, boolean[] needsGrad) {
                return new Tensor[] {Tensor.ones(7)};
            }

            @Override
            public String name() {
                return "bad";
            }
        };
        Var x = Var.param(Tensor.ones(3));
        IllegalStateException ex = assertThrows(IllegalStateException.class, () -> bad.apply(x).backward());
        assertTrue(ex.getMessage().startsWith("bad.backward gave input 0 a gradient of shape [7]"), ex.getMessage());
    }
}
