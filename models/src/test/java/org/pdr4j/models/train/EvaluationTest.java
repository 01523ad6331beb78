package org.pdr4j.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pdr4j.models.data.DataLoader;
import org.pdr4j.models.data.Dataset;
import org.pdr4j.models.data.MovingDigits;
import org.pdr4j.models.data.ValueScale;
import org.pdr4j.nn.metrics.VideoMetrics;
import org.pdr4j.tensor.Tensor;

/** The two baselines of the closing report: the empty frame and the last input frame. */
class EvaluationTest {
    private static final MovingDigits DATA = MovingDigits.builder().size(16, 8).frames(2, 3).sizes(7, 5, 5).build("val", 4);

    @Test
    void blankFrameScoresTheTargetsEnergy() {
        VideoMetrics.Result blank = Evaluation.blankFrame(DATA, 2).metrics();
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
        VideoMetrics.Result copy = Evaluation.copyLastFrame(DATA, 2).metrics();
        assertFalse(Evaluation.nearlyBlank(copy, blank), "copying digits is not an empty frame");
    }

    /** Two z-scored channels (std 10 K and 2 K): sample i's input frames hold i, its targets i + 0.5 (channel 0) and i - 1 (channel 1). */
    private static final Dataset ZSCORED = new Dataset() {
        @Override public String name() { return "zscored"; }
        @Override public int size() { return 3; }
        @Override public int inFrames() { return 2; }
        @Override public int outFrames() { return 2; }
        @Override public int channels() { return 2; }
        @Override public int height() { return 11; }
        @Override public int width() { return 11; }
        @Override public ValueScale scale() { return ValueScale.zScore("K", new double[] {280, 270}, new double[] {10, 2}); }
        @Override public void fill(int index, float[] input, int inOff, float[] target, int tgtOff) {
            checkFill(index, input, inOff, target, tgtOff);
            java.util.Arrays.fill(input, inOff, inOff + inputLength(), index);
            for (int i = 0; i < targetLength(); i++) target[tgtOff + i] = (i / 121) % 2 == 0 ? index + 0.5f : index - 1;
        }
    };

    @Test
    void zScoredDataAreScoredInPhysicalUnitsPerPixel() {
        Evaluation.Scored copy = Evaluation.copyLastFrame(ZSCORED, 2);
        // Copying input i: channel 0 is off by 0.5 sd = 5 K, channel 1 by 1 sd = 2 K, on half the pixels each.
        Evaluation.Physical p = copy.physical();
        assertEquals("K", p.unit());
        assertEquals((25 + 4) / 2.0, p.mse(), 1e-9);
        assertEquals((5 + 2) / 2.0, p.mae(), 1e-9);
        assertEquals(Math.sqrt(14.5), p.rmse(), 1e-9);
        // The stored-value metrics stay OpenSTL's per-frame sums: (0.25 + 1) * 121 per frame.
        assertEquals(1.25 * 121, copy.metrics().mse(), 1e-6);
        assertFalse(copy.scale().bounded());
        assertNull(Evaluation.copyLastFrame(DATA, 2).physical(), "unit-interval data have no physical unit to report");
    }
}
