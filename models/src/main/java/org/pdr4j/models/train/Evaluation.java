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
        boolean was = model.isTraining();
        model.eval();
        VideoMetrics acc = new VideoMetrics();
        try (var g = Grad.noGrad(); DataLoader loader = DataLoader.builder(data).batchSize(batch).shuffle(false).dropLast(false).build()) {
            for (DataLoader.Batch b : loader.epoch(0)) {
                Tensor pred = ((VideoModel) model).forward(Var.constant(b.input())).value();
                acc.add(pred.clamp(0, 1), b.target());
            }
        } finally {
            model.train(was);
        }
        return acc.result();
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
}
