package org.pdr4j.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pdr4j.models.data.DataLoader;
import org.pdr4j.models.data.MovingDigits;
import org.pdr4j.nn.metrics.VideoMetrics;
import org.pdr4j.tensor.Tensor;

/** The two baselines of the closing report: the empty frame and the last input frame. */
class EvaluationTest {
    private static final MovingDigits DATA = MovingDigits.builder().size(16, 8).frames(2, 3).sizes(7, 5, 5).build("val", 4);

    @Test
    void blankFrameScoresTheTargetsEnergy() {
        VideoMetrics.Result blank = Evaluation.blankFrame(DATA, 2);
        // MSE of zeros = per-frame sum of squared targets, averaged over frames (OpenSTL's per-frame sums)
        double sq = 0;
        int frames = 0;
        try (DataLoader l = DataLoader.builder(DATA).batchSize(2).shuffle(false).dropLast(false).build()) {
            for (DataLoader.Batch b : l.epoch(0)) {
                Tensor t = b.target();
                sq += t.mul(t).sum().item();
                frames += t.size(0) * t.size(1);
            }
        }
        assertEquals(sq / frames, blank.mse(), 1e-6 * sq);
        assertTrue(Evaluation.nearlyBlank(blank, blank));
        VideoMetrics.Result copy = Evaluation.copyLastFrame(DATA, 2);
        assertFalse(Evaluation.nearlyBlank(copy, blank), "copying digits is not an empty frame");
    }
}
