package org.pdr4j.models.train;

import org.pdr4j.autograd.Grad;
import org.pdr4j.autograd.Var;
import org.pdr4j.models.VideoModel;
import org.pdr4j.models.data.DataLoader;
import org.pdr4j.models.data.Dataset;
import org.pdr4j.nn.Module;
import org.pdr4j.nn.metrics.VideoMetrics;
import org.pdr4j.tensor.Tensor;

/** Evaluation of a model, and of the copy-last-frame baseline, on a whole split. */
public final class Evaluation {
    private Evaluation() {}

    /** OpenSTL-style metrics of {@code model} (eval mode, no graph) over every sample of {@code data}. */
    public static VideoMetrics.Result evaluate(Module model, Dataset data, int batch) {
        return evaluate(model, data, batch, null).metrics();
    }

    /** Metrics and the mean of a training objective over a split. */
    public record Scored(VideoMetrics.Result metrics, double loss) {}

    /**
     * The metrics of {@code model}'s clamped predictions and, when {@code loss} names an
     * {@link Objective}, its mean over batches on the raw predictions (as training sees them;
     * NaN when {@code loss} is null). Eval mode and no gradients throughout.
     */
    public static Scored evaluate(Module model, Dataset data, int batch, String loss) {
        boolean was = model.isTraining();
        model.eval();
        VideoMetrics acc = new VideoMetrics();
        double lossSum = 0;
        int batches = 0;
        try (var g = Grad.noGrad(); DataLoader loader = DataLoader.builder(data).batchSize(batch).shuffle(false).dropLast(false).build()) {
            for (DataLoader.Batch b : loader.epoch(0)) {
                Var pred = ((VideoModel) model).forward(Var.constant(b.input()));
                if (loss != null) {
                    lossSum += Objective.loss(loss, pred, Var.constant(b.target())).item();
                    batches++;
                }
                acc.add(pred.value().clamp(0, 1), b.target());
            }
        } finally {
            model.train(was);
        }
        return new Scored(acc.result(), loss == null ? Double.NaN : lossSum / Math.max(1, batches));
    }

    /** The baseline that repeats the last input frame for every output frame. */
    public static VideoMetrics.Result copyLastFrame(Dataset data, int batch) {
        VideoMetrics acc = new VideoMetrics();
        try (DataLoader loader = DataLoader.builder(data).batchSize(batch).shuffle(false).dropLast(false).build()) {
            for (DataLoader.Batch b : loader.epoch(0)) {
                Tensor in = b.input();
                int t = in.size(1);
                Tensor last = in.narrow(1, t - 1, 1);
                int[] ts = b.target().shape().toArray();
                acc.add(last.expand(ts).copy(), b.target());
            }
        }
        return acc.result();
    }

    /**
     * The baseline that predicts empty (all-zero) frames: what a model scores when it has
     * only learnt the background, which L1/SSIM training on sparse digits passes through first.
     */
    public static VideoMetrics.Result blankFrame(Dataset data, int batch) {
        VideoMetrics acc = new VideoMetrics();
        try (DataLoader loader = DataLoader.builder(data).batchSize(batch).shuffle(false).dropLast(false).build()) {
            for (DataLoader.Batch b : loader.epoch(0)) acc.add(Tensor.zeros(b.target().dtype(), b.target().shape()), b.target());
        }
        return acc.result();
    }

    /** True when {@code r} is within 3% of the blank-frame baseline on both MSE and MAE. */
    public static boolean nearlyBlank(VideoMetrics.Result r, VideoMetrics.Result blank) {
        return Math.abs(r.mse() - blank.mse()) <= 0.03 * blank.mse() && Math.abs(r.mae() - blank.mae()) <= 0.03 * blank.mae();
    }
}
