package org.pdr4j.nn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.pdr4j.tensor.Tensor;

class VideoMetricsTest {
    @Test
    void constantErrorGivesClosedForms() {
        // Every pixel off by 0.1: per-pixel MSE 0.01, OpenSTL MSE sums over C*H*W = 2*12*12.
        Tensor target = Tensor.full(0.5, 2, 3, 2, 12, 12);
        Tensor pred = target.add(0.1);
        VideoMetrics.Result r = VideoMetrics.of(pred, target);
        int chw = 2 * 12 * 12;
        assertEquals(6, r.frames());
        assertEquals(0.01, r.msePerPixel(), 1e-7);
        assertEquals(0.1, r.maePerPixel(), 1e-7);
        assertEquals(0.01 * chw, r.mse(), 1e-4);
        assertEquals(0.1 * chw, r.mae(), 1e-4);
        assertEquals(Math.sqrt(0.01 * chw), r.rmse(), 1e-5);
        assertEquals(20.0, r.psnr(), 1e-4); // 20 log10(1 / 0.1)
    }

    @Test
    void identicalFramesHaveSsimOneAndInfinitePsnr() {
        Tensor t = Tensor.rand(3, 1, 2, 1, 16, 16);
        VideoMetrics.Result r = VideoMetrics.of(t, t);
        assertEquals(1.0, r.ssim(), 1e-12);
        assertEquals(0.0, r.mse());
        assertEquals(Double.POSITIVE_INFINITY, r.psnr());
    }

    @Test
    void psnrAndSsimClipThePrediction() {
        Tensor target = Tensor.ones(1, 1, 1, 11, 11);
        Tensor pred = Tensor.full(1.5, 1, 1, 1, 11, 11);
        VideoMetrics.Result r = VideoMetrics.of(pred, target);
        assertEquals(Double.POSITIVE_INFINITY, r.psnr());
        assertEquals(1.0, r.ssim(), 1e-12);
        assertEquals(0.25 * 121, r.mse(), 1e-9);
    }

    @Test
    void streamingEqualsOneBatch() {
        Tensor p = Tensor.rand(5, 4, 3, 1, 13, 14), t = Tensor.rand(6, 4, 3, 1, 13, 14);
        VideoMetrics.Result whole = VideoMetrics.of(p, t);
        VideoMetrics acc = new VideoMetrics();
        acc.add(p.narrow(0, 0, 1), t.narrow(0, 0, 1));
        acc.add(p.narrow(0, 1, 3), t.narrow(0, 1, 3));
        VideoMetrics.Result s = acc.result();
        assertEquals(whole.mse(), s.mse(), 1e-12);
        assertEquals(whole.psnr(), s.psnr(), 1e-10);
        assertEquals(whole.ssim(), s.ssim(), 1e-12);
        acc.reset();
        assertThrows(IllegalStateException.class, acc::result);
    }

    @Test
    void badShapesAreRejected() {
        VideoMetrics m = new VideoMetrics();
        assertThrows(IllegalArgumentException.class, () -> m.add(Tensor.zeros(1, 1, 16, 16), Tensor.zeros(1, 1, 16, 16)));
        assertThrows(IllegalArgumentException.class, () -> m.add(Tensor.zeros(1, 1, 1, 1, 16, 16), Tensor.zeros(1, 1, 1, 1, 16, 15)));
        assertThrows(IllegalArgumentException.class, () -> m.add(Tensor.zeros(1, 1, 1, 8, 8), Tensor.zeros(1, 1, 1, 8, 8)));
    }
}
