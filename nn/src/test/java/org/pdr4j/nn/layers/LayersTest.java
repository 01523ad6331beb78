package org.pdr4j.nn.layers;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.pdr4j.autograd.Var;
import org.pdr4j.nn.Sequential;
import org.pdr4j.tensor.Tensor;

class LayersTest {
    @Test void linearMatchesHandMatmul() {
        Linear l = new Linear(3, 2, true, 42);
        assertEquals(java.util.List.of("weight", "bias"), java.util.List.copyOf(l.namedParameters().keySet()));
        float[] w = l.weight().value().toFloatArray(), b = l.bias().value().toFloatArray();
        double bound = 1 / Math.sqrt(3);
        for (float x : w) assertTrue(Math.abs(x) <= bound);
        for (float x : b) assertTrue(Math.abs(x) <= bound);
        Tensor x = Tensor.rand(7, 2, 2, 3);
        Var y = l.forward(Var.constant(x));
        assertEquals(org.pdr4j.tensor.Shape.of(2, 2, 2), y.shape());
        float[] xs = x.toFloatArray(), ys = y.value().toFloatArray();
        for (int r = 0; r < 4; r++)
            for (int o = 0; o < 2; o++) {
                double s = b[o];
                for (int i = 0; i < 3; i++) s += xs[r * 3 + i] * w[o * 3 + i];
                assertEquals(s, ys[r * 2 + o], 1e-6);
            }
        assertNull(new Linear(3, 2, false, 1).bias());
        assertArrayEquals(w, new Linear(3, 2, true, 42).weight().value().toFloatArray(), "same seed, same init");
        assertThrows(IllegalArgumentException.class, () -> l.forward(Var.constant(Tensor.zeros(2, 4))));
    }

    @Test void linearGradientsFlow() {
        Linear l = new Linear(4, 3, true, 5);
        Var x = Var.param(Tensor.rand(1, 2, 4));
        l.forward(x).sum().backward();
        // d(sum)/d(bias) = number of rows; d/dW[o, i] = sum over rows of x[:, i].
        assertArrayEquals(new float[] {2, 2, 2}, l.bias().grad().toFloatArray(), 1e-6f);
        float[] xs = x.value().toFloatArray(), gw = l.weight().grad().toFloatArray();
        for (int i = 0; i < 4; i++) assertEquals(xs[i] + xs[4 + i], gw[i], 1e-6);
    }

    @Test void activations() {
        Tensor x = Tensor.of(new float[] {-2, -0.5f, 0, 1.5f}, 4);
        assertArrayEquals(x.gelu().toFloatArray(), Activation.gelu().forward(Var.constant(x)).value().toFloatArray());
        assertArrayEquals(x.silu().toFloatArray(), Activation.silu().forward(Var.constant(x)).value().toFloatArray());
        assertArrayEquals(new float[] {0, 0, 0, 1.5f}, Activation.relu().forward(Var.constant(x)).value().toFloatArray());
        assertArrayEquals(new float[] {-0.4f, -0.1f, 0, 1.5f}, Activation.leakyRelu(0.2).forward(Var.constant(x)).value().toFloatArray(), 1e-7f);
        assertArrayEquals(x.sigmoid().toFloatArray(), Activation.sigmoid().forward(Var.constant(x)).value().toFloatArray());
        assertArrayEquals(x.tanh().toFloatArray(), Activation.tanh().forward(Var.constant(x)).value().toFloatArray());
        assertEquals(0.5 * 1.5 * (1 + erf(1.5 / Math.sqrt(2))), Activation.gelu().forward(Var.constant(x)).value().toFloatArray()[3], 1e-6);
        Var v = Var.constant(x);
        assertSame(v, new Identity().forward(v));
    }

    private static double erf(double z) { // Abramowitz-Stegun 7.1.26 is too coarse; use a series.
        double s = 0, t = z;
        for (int n = 0; n < 60; n++) { s += t / (2 * n + 1); t *= -z * z / (n + 1); }
        return 2 / Math.sqrt(Math.PI) * s;
    }

    @Test void dropoutIsReproducibleAndIdentityInEval() {
        Dropout d = new Dropout(0.3);
        Var x = Var.constant(Tensor.ones(20, 50));
        d.reseed(7);
        float[] a = d.forward(x).value().toFloatArray();
        d.reseed(7);
        float[] b = d.forward(x).value().toFloatArray();
        assertArrayEquals(a, b);
        int zeros = 0;
        for (float v : a) {
            if (v == 0) zeros++;
            else assertEquals(1 / 0.7, v, 1e-6);
        }
        assertTrue(zeros > 200 && zeros < 400, "about 30% dropped, got " + zeros);
        d.reseed(8);
        assertFalse(java.util.Arrays.equals(a, d.forward(x).value().toFloatArray()));
        d.eval();
        assertSame(x, d.forward(x));
        d.train(true);
        assertSame(x, new Dropout(0).forward(x));
    }

    @Test void dropPathIsPerSample() {
        DropPath d = new DropPath(0.5);
        Var x = Var.constant(Tensor.ones(64, 3, 2, 2));
        d.reseed(3);
        float[] a = d.forward(x).value().toFloatArray();
        d.reseed(3);
        assertArrayEquals(a, d.forward(x).value().toFloatArray());
        int dropped = 0;
        for (int n = 0; n < 64; n++) {
            float first = a[n * 12];
            assertTrue(first == 0f || first == 2f);
            for (int k = 1; k < 12; k++) assertEquals(first, a[n * 12 + k], "sample " + n + " shares one mask value");
            if (first == 0) dropped++;
        }
        assertTrue(dropped > 10 && dropped < 54, "about half dropped, got " + dropped);
        d.eval();
        assertSame(x, d.forward(x));
    }

    @Test void reseedThroughTreeIsDeterministic() {
        Sequential s1 = new Sequential(new Dropout(0.5), new Dropout(0.5));
        Sequential s2 = new Sequential(new Dropout(0.5), new Dropout(0.5));
        s1.reseed(11);
        s2.reseed(11);
        Var x = Var.constant(Tensor.ones(100));
        assertArrayEquals(s1.forward(x).value().toFloatArray(), s2.forward(x).value().toFloatArray());
    }
}
