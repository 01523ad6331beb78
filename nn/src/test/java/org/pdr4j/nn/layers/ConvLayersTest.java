package org.pdr4j.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pdr4j.autograd.Var;
import org.pdr4j.tensor.Tensor;

/** The conv-family layers: PyTorch parameter names, shapes, init bounds, seeding and output shapes. */
class ConvLayersTest {

    private static void assertWithin(Tensor t, double bound) {
        for (double v : t.toDoubleArray()) assertTrue(Math.abs(v) <= bound, v + " outside +-" + bound);
    }

    @Test
    void conv2dParametersAndInit() {
        Conv2d c = new Conv2d(8, 6, 3, 2, 1, 1, 2, true, 42);
        assertEquals(List.of("weight", "bias"), List.copyOf(c.namedParameters().keySet()));
        assertArrayEquals(new int[] {6, 4, 3, 3}, c.weight().value().shape().toArray());
        assertArrayEquals(new int[] {6}, c.bias().value().shape().toArray());
        double bound = 1 / Math.sqrt(4 * 9);
        assertWithin(c.weight().value(), bound);
        assertWithin(c.bias().value(), bound);
        // uses most of the range
        assertTrue(c.weight().value().abs().max().item() > 0.8 * bound);
        Conv2d same = new Conv2d(8, 6, 3, 2, 1, 1, 2, true, 42);
        assertArrayEquals(c.weight().value().toFloatArray(), same.weight().value().toFloatArray());
        Var y = c.forward(Var.constant(Tensor.randn(1, 2, 8, 9, 9)));
        assertArrayEquals(new int[] {2, 6, 5, 5}, y.shape().toArray());
        assertNull(new Conv2d(4, 4, 1, 1, 0, 1, 1, false, 1).bias());
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(6, 4, 3, 1, 1, 1, 4, true, 1));
    }

    @Test
    void convTranspose2dParametersAndInit() {
        ConvTranspose2d t = new ConvTranspose2d(4, 6, 3, 2, 1, 1, 1, 2, true, 7);
        assertArrayEquals(new int[] {4, 3, 3, 3}, t.weight().value().shape().toArray());
        assertWithin(t.weight().value(), 1 / Math.sqrt(3 * 9));
        Var y = t.forward(Var.constant(Tensor.randn(2, 1, 4, 5, 5)));
        assertArrayEquals(new int[] {1, 6, 10, 10}, y.shape().toArray());
    }

    @Test
    void poolingAndShuffleShapes() {
        Var x = Var.constant(Tensor.randn(3, 2, 8, 6, 7));
        assertArrayEquals(new int[] {2, 8, 3, 3}, new AvgPool2d(2).forward(x).shape().toArray());
        assertArrayEquals(new int[] {2, 8, 2, 3}, new AvgPool2d(3, 2).forward(x).shape().toArray());
        assertArrayEquals(new int[] {2, 8, 1, 1}, new AdaptiveAvgPool2d(1).forward(x).shape().toArray());
        assertArrayEquals(new int[] {2, 8, 4, 3}, new AdaptiveAvgPool2d(4, 3).forward(x).shape().toArray());
        assertArrayEquals(new int[] {2, 2, 12, 14}, new PixelShuffle(2).forward(x).shape().toArray());
        assertTrue(new PixelShuffle(2).namedParameters().isEmpty());
    }
}
