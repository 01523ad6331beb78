package org.pdr4j.nn.init;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.pdr4j.tensor.Tensor;

class InitTest {
    private static double mean(float[] a) { double s = 0; for (float x : a) s += x; return s / a.length; }

    private static double std(float[] a) {
        double m = mean(a), s = 0;
        for (float x : a) s += (x - m) * (x - m);
        return Math.sqrt(s / a.length);
    }

    @Test void constants() {
        Tensor t = Tensor.rand(1, 3, 4);
        Init.zeros(t);
        assertArrayEquals(new float[12], t.toFloatArray());
        Init.ones(t);
        assertEquals(12.0, t.sum().item());
        Init.constant(t, 2.5);
        assertEquals(30.0, t.sum().item());
        Tensor d = Tensor.of(new double[3], 3);
        Init.constant(d, 4);
        assertArrayEquals(new double[] {4, 4, 4}, d.toDoubleArray());
    }

    @Test void moments() {
        Tensor t = Tensor.zeros(100_000);
        Init.uniform(t, -1, 3, new SplittableRandom(1));
        float[] a = t.toFloatArray();
        assertEquals(1, mean(a), 0.02);
        assertEquals(4 / Math.sqrt(12), std(a), 0.01);
        for (float x : a) assertTrue(x >= -1 && x <= 3);
        Init.normal(t, 0.5, 2, new SplittableRandom(2));
        a = t.toFloatArray();
        assertEquals(0.5, mean(a), 0.03);
        assertEquals(2, std(a), 0.02);
        Init.truncNormal(t, 0.02, new SplittableRandom(3));
        a = t.toFloatArray();
        assertEquals(0, mean(a), 5e-4);
        assertEquals(0.02, std(a), 5e-4);
        Init.truncNormal(t, 5, new SplittableRandom(4));
        for (float x : t.toFloatArray()) assertTrue(x >= -2 && x <= 2, "bounds are absolute");
    }

    @Test void kaimingDefaultBounds() {
        Tensor w = Tensor.zeros(16, 8, 3, 3), b = Tensor.zeros(16);
        Init.kaimingUniformDefault(w, b, new SplittableRandom(5));
        assertEquals(72, Init.fanIn(w));
        double bound = 1 / Math.sqrt(72);
        float[] a = w.toFloatArray();
        for (float x : a) assertTrue(Math.abs(x) <= bound);
        assertEquals(bound / Math.sqrt(3), std(a), bound * 0.05);
        for (float x : b.toFloatArray()) assertTrue(Math.abs(x) <= bound);
        assertNotEquals(0.0, b.sum().item());
    }
}
