package org.pdr4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TensorTest {
    private static Tensor iota(int... shape) {
        int n = Shape.of(shape).numel();
        return Tensor.arange(n).reshape(shape);
    }

    @Test
    void creation() {
        assertArrayEquals(new float[] {0, 1, 2}, Tensor.arange(3).toFloatArray());
        assertArrayEquals(new float[] {0, 0.25f, 0.5f, 0.75f, 1}, Tensor.linspace(0, 1, 5).toFloatArray());
        assertArrayEquals(new float[] {2, 2}, Tensor.full(2, 2).toFloatArray());
        assertEquals(Shape.scalar(), Tensor.scalar(3).shape());
        assertEquals(3.0, Tensor.scalar(3).item());
        assertArrayEquals(Tensor.rand(7, 3, 4).toFloatArray(), Tensor.rand(7, 3, 4).toFloatArray());
        assertFalse(Tensor.rand(7, 10).allClose(Tensor.rand(8, 10), 0, 0));
        float[] r = Tensor.randn(1, 10000).toFloatArray();
        double mean = 0;
        for (float v : r) mean += v / r.length;
        assertEquals(0, mean, 0.05);
        assertArrayEquals(new float[] {3, 2.5f, 2}, Tensor.arange(3, 1.5, -0.5).toFloatArray());
    }

    @Test
    void viewsShareStorageAndCopyNothing() {
        Tensor x = iota(2, 3, 4);
        Tensor p = x.permute(2, 0, 1);
        assertSame(x.storage(), p.storage());
        assertEquals(Shape.of(4, 2, 3), p.shape());
        assertEquals(13.0, p.get(1, 1, 0)); // x[1,0,1]
        assertFalse(p.isContiguous());
        Tensor t = x.transpose(0, 2).transpose(0, 2);
        assertArrayEquals(x.toFloatArray(), t.toFloatArray());
        assertSame(x.storage(), x.reshape(6, 4).storage());
        assertSame(x.storage(), x.narrow(1, 1, 2).storage());
        assertEquals(Shape.of(2, 2, 4), x.narrow(1, 1, 2).shape());
        assertEquals(16.0, x.narrow(1, 1, 2).get(1, 0, 0));
        assertArrayEquals(new float[] {1, 3}, Tensor.arange(5).slice(0, 1, 5, 2).toFloatArray());
        assertArrayEquals(new float[] {4, 5, 6, 7}, x.select(0, 0).select(0, 1).toFloatArray());
        assertArrayEquals(new float[] {8, 9, 10, 11}, x.select(1, -1).select(0, 0).toFloatArray());
    }

    @Test
    void reshapeOfNonContiguousCopiesOnlyWhenItMust() {
        Tensor x = iota(2, 3, 4);
        Tensor p = x.permute(1, 0, 2); // [3,2,4]: the last dim is still contiguous
        Tensor v = p.reshape(3, 2, 2, 2);
        assertSame(x.storage(), v.storage());
        Tensor merged = p.reshape(6, 4); // needs a copy
        assertFalse(merged.storage() == x.storage());
        assertArrayEquals(p.contiguous().toFloatArray(), merged.toFloatArray());
        assertThrows(ShapeException.class, () -> p.view(6, 4));
        assertEquals(Shape.of(4, 6), x.reshape(4, -1).shape());
        assertThrows(ShapeException.class, () -> x.reshape(5, -1));
        assertThrows(ShapeException.class, () -> x.reshape(-1, -1));
    }

    @Test
    void expandSqueezeUnsqueeze() {
        Tensor x = Tensor.of(new float[] {1, 2, 3}, 3, 1);
        Tensor e = x.expand(2, 3, 4);
        assertEquals(0, e.stride(0));
        assertEquals(0, e.stride(2));
        assertEquals(3.0, e.get(1, 2, 3));
        assertEquals(Shape.of(3), x.squeeze().shape());
        assertEquals(Shape.of(3), x.squeeze(1).shape());
        assertEquals(Shape.of(3, 1), x.squeeze(0).shape());
        assertEquals(Shape.of(1, 3, 1), x.unsqueeze(0).shape());
        assertEquals(Shape.of(3, 1, 1), x.unsqueeze(-1).shape());
        assertThrows(ShapeException.class, () -> x.expand(3, 2).add(Tensor.zeros(3, 3)));
        assertThrows(ShapeException.class, () -> Tensor.zeros(2, 3).expand(3, 3));
    }

    @Test
    void broadcastingArithmetic() {
        Tensor a = iota(2, 3);
        Tensor b = Tensor.of(new float[] {10, 20, 30});
        assertArrayEquals(new float[] {10, 21, 32, 13, 24, 35}, a.add(b).toFloatArray());
        Tensor col = Tensor.of(new float[] {1, 2}, 2, 1);
        assertArrayEquals(new float[] {0, 2, 4, 9, 12, 15}, a.mul(col.add(1)).toFloatArray());
        ShapeException ex = assertThrows(ShapeException.class, () -> Tensor.zeros(2, 3).add(Tensor.zeros(4)));
        assertEquals("add: cannot broadcast [2, 3] with [4]", ex.getMessage());
        assertArrayEquals(new float[] {0, 0, 1}, Tensor.arange(3).gt(0.5).mul(Tensor.arange(3).lt(1.5)).add(Tensor.arange(3).eq(Tensor.scalar(2))).sub(Tensor.of(new float[] {0, 1, 0})).toFloatArray());
        assertArrayEquals(new float[] {5, 1, 5}, Tensor.where(Tensor.of(new float[] {1, 0, 1}), Tensor.scalar(5), Tensor.ones(3)).toFloatArray());
        assertArrayEquals(new float[] {0, 0.5f, 1}, Tensor.of(new float[] {-1, 0.5f, 3}).clamp(0, 1).toFloatArray());
    }

    @Test
    void unaryValues() {
        Tensor x = Tensor.of(new float[] {-2, -0.5f, 0, 0.5f, 2});
        assertArrayEquals(new float[] {0, 0, 0, 0.5f, 2}, x.relu().toFloatArray());
        assertArrayEquals(new float[] {-0.2f, -0.05f, 0, 0.5f, 2}, x.leakyRelu(0.1).toFloatArray(), 1e-7f);
        // torch.nn.functional.gelu (erf form) at these points
        assertArrayEquals(new float[] {-0.04550026f, -0.15426877f, 0f, 0.34573123f, 1.9544997f}, x.gelu().toFloatArray(), 4e-7f); // A-S erf: 1.5e-7 abs
        assertArrayEquals(new float[] {-0.9953223f, -0.5204999f, 0f, 0.5204999f, 0.9953223f}, x.erf().toFloatArray(), 2e-7f);
        assertArrayEquals(new float[] {-0.23840584f, -0.18877034f, 0, 0.31122968f, 1.7615942f}, x.silu().toFloatArray(), 3e-7f);
        assertEquals(Float.NaN, Tensor.of(new float[] {Float.NaN}).relu().toFloatArray()[0]);
        assertEquals(Float.NaN, Tensor.of(new float[] {Float.NaN}).clamp(0, 1).toFloatArray()[0]);
    }

    @Test
    void reductions() {
        Tensor x = iota(2, 3, 4);
        assertEquals(276.0, x.sum().item());
        assertArrayEquals(new float[] {12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34}, x.sum(0).toFloatArray());
        assertEquals(Shape.of(2, 1, 4), x.sum(new int[] {1}, true).shape());
        assertArrayEquals(new float[] {66, 210}, x.sum(new int[] {-1, 1}, false).toFloatArray());
        assertArrayEquals(new float[] {11, 23}, x.max(new int[] {1, 2}, false).toFloatArray());
        assertArrayEquals(new float[] {0, 12}, x.min(new int[] {1, 2}, false).toFloatArray());
        assertArrayEquals(new float[] {1.5f, 5.5f, 9.5f, 13.5f, 17.5f, 21.5f}, x.mean(new int[] {2}, false).toFloatArray());
        assertArrayEquals(new float[] {2, 0}, Tensor.of(new float[] {1, 5, 9, 9, 0, 3}, 2, 3).argmax(1, false).toFloatArray());
        assertArrayEquals(new float[] {1.6666666f}, Tensor.of(new float[] {1, 2, 3, 4}).var(new int[] {0}, false, 1).toFloatArray(), 1e-6f);
        assertEquals(Float.NaN, Tensor.of(new float[] {1, Float.NaN, 3}).max().toFloatArray()[0]);
        assertThrows(ShapeException.class, () -> x.sum(new int[] {0, 0}, false));
        assertThrows(ShapeException.class, () -> x.sum(3));
        assertThrows(ShapeException.class, () -> Tensor.zeros(0, 2).max(new int[] {0}, false));
        assertEquals(0.0, Tensor.zeros(0, 2).sum().item());
    }

    @Test
    void longSumsStayAccurate() {
        Tensor ones = Tensor.ones(1 << 22);
        assertEquals(1 << 22, ones.sum().item()); // naive float accumulation stalls at 2^24, blocks do not
        Tensor x = Tensor.full(0.1, 1_000_003);
        assertEquals(100000.3, x.sum().item(), 0.2); // pairwise-ish: ~log2(n) ulp; a plain float loop is off by ~958
    }

    @Test
    void matmulShapes() {
        Tensor a = iota(2, 3), b = iota(3, 2);
        assertArrayEquals(new float[] {10, 13, 28, 40}, a.matmul(b).toFloatArray());
        assertArrayEquals(new float[] {5, 14}, a.matmul(Tensor.arange(3)).toFloatArray());
        assertArrayEquals(new float[] {3, 4, 5}, Tensor.of(new float[] {0, 1}).matmul(a).toFloatArray());
        assertEquals(5.0, Tensor.arange(3).matmul(Tensor.arange(3)).item());
        Tensor batch = iota(4, 1, 2, 3).matmul(iota(5, 3, 2));
        assertEquals(Shape.of(4, 5, 2, 2), batch.shape());
        Tensor expect = iota(4, 1, 2, 3).select(0, 3).select(0, 0).matmul(iota(5, 3, 2).select(0, 2));
        assertArrayEquals(expect.toFloatArray(), batch.select(0, 3).select(0, 2).toFloatArray());
        // transposed operands are read in place
        assertArrayEquals(a.matmul(b).toFloatArray(), b.transpose(0, 1).matmul(a.transpose(0, 1)).transpose(0, 1).toFloatArray());
        assertArrayEquals(a.contiguous().matmul(a.transpose(0, 1).contiguous()).toFloatArray(), a.matmul(a.transpose(0, 1)).toFloatArray());
        ShapeException ex = assertThrows(ShapeException.class, () -> a.matmul(a));
        assertTrue(ex.getMessage().startsWith("matmul: inner dimensions differ"));
    }

    @Test
    void movement() {
        Tensor a = iota(2, 2), b = iota(2, 1).add(10);
        assertArrayEquals(new float[] {0, 1, 10, 2, 3, 11}, Tensor.concat(List.of(a, b), 1).toFloatArray());
        assertEquals(Shape.of(2, 2, 2), Tensor.stack(List.of(a, a), 1).shape());
        List<Tensor> parts = Tensor.arange(5).split(new int[] {2, 3}, 0);
        assertArrayEquals(new float[] {2, 3, 4}, parts.get(1).toFloatArray());
        assertThrows(ShapeException.class, () -> Tensor.arange(5).split(new int[] {2, 2}, 0));
        Tensor p = a.pad(new int[] {1, 0, 0, 1}, -1);
        assertEquals(Shape.of(3, 3), p.shape());
        assertArrayEquals(new float[] {-1, 0, 1, -1, 2, 3, -1, -1, -1}, p.toFloatArray());
        assertArrayEquals(a.toFloatArray(), p.pad(new int[] {-1, 0, 0, -1}, 0).toFloatArray());
        Tensor g = a.gather(1, Tensor.of(new float[] {1, 1, 0, 1}, 2, 2));
        assertArrayEquals(new float[] {1, 1, 2, 3}, g.toFloatArray());
        assertArrayEquals(new float[] {2, 3, 0, 1, 2, 3}, a.indexSelect(0, Tensor.of(new float[] {1, 0, 1})).toFloatArray());
        assertThrows(ShapeException.class, () -> a.indexSelect(0, Tensor.of(new float[] {2})));
        assertThrows(ShapeException.class, () -> a.indexSelect(0, Tensor.of(new float[] {0.5f})));
        Tensor s = Tensor.zeros(2, 2).scatterAdd(1, Tensor.of(new float[] {1, 1, 0, 1}, 2, 2), Tensor.ones(2, 2));
        assertArrayEquals(new float[] {0, 2, 1, 1}, s.toFloatArray());
        assertArrayEquals(new float[] {0, 9, 2, 9}, Tensor.arange(4).sliceScatter(Tensor.full(9, 2), 0, 1, 4, 2).toFloatArray());
    }

    @Test
    void errorsNameTheOp() {
        assertEquals("get: index 5 out of range for dim 0 of [2, 3]", assertThrows(ShapeException.class, () -> Tensor.zeros(2, 3).get(5, 0)).getMessage());
        assertTrue(assertThrows(ShapeException.class, () -> Tensor.zeros(2).permute(0, 0)).getMessage().startsWith("permute"));
        assertTrue(assertThrows(ShapeException.class, () -> Tensor.zeros(2).narrow(0, 1, 2)).getMessage().startsWith("narrow"));
        assertTrue(assertThrows(ShapeException.class, () -> Tensor.of(new float[] {1, 2}, 3)).getMessage().startsWith("of"));
        assertTrue(assertThrows(ShapeException.class, () -> Tensor.concat(List.of(Tensor.zeros(2, 2), Tensor.zeros(3, 3)), 0)).getMessage().startsWith("concat"));
    }

    @Test
    void float64RunsOnTheReferenceBackend() {
        Tensor x = Tensor.of(new double[] {1e-10, 2, 3});
        assertEquals("ref", x.backend().name());
        assertEquals(DType.F64, x.add(Tensor.ones(3)).dtype());
        assertEquals(1 + 1e-10, x.add(Tensor.ones(3)).get(0), 1e-15);
        assertEquals("cpu", Tensor.zeros(1).backend().name());
    }
}
