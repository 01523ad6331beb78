package org.pdr4j.models.train;

import java.util.function.Function;
import org.pdr4j.autograd.Grad;
import org.pdr4j.autograd.Var;
import org.pdr4j.models.VideoModel;
import org.pdr4j.models.data.DataLoader;
import org.pdr4j.models.data.Dataset;
import org.pdr4j.models.data.ValueScale;
import org.pdr4j.nn.Module;
import org.pdr4j.nn.metrics.VideoMetrics;
import org.pdr4j.tensor.Tensor;

/**
 * Evaluation of a model, and of two baselines (copy the last input frame, predict an empty frame),
 * on a whole split: OpenSTL's metrics on the stored values and, when the data set's
 * {@link Dataset#scale() scale} is not the identity (WeatherBench), the same errors per pixel in
 * physical units.
 */
public final class Evaluation {
    private Evaluation() {}

    /**
     * Errors in the data set's physical unit, per pixel (OpenSTL's {@code spatial_norm}, the way
     * WeatherBench results are reported): {@code mse} in unit squared, {@code mae} and
     * {@code rmse = sqrt(mse)} in unit.
     */
    public record Physical(String unit, double mse, double mae, double rmse) {}

    /**
     * Metrics over a split: {@code metrics} on the stored values, {@code loss} the mean training
     * objective (NaN when none was asked), {@code physical} null when the scale is the identity.
     * PSNR and SSIM mean something only when {@code scale.bounded()}.
     */
    public record Scored(VideoMetrics.Result metrics, double loss, Physical physical, ValueScale scale) {
        /**
         * The metrics as one line: OpenSTL's per-frame sums, then (z-scored data) the per-pixel
         * errors in physical units; SSIM and PSNR only where values lie in [0, 1].
         */
        public String summary() {
            VideoMetrics.Result r = metrics;
            String line = scale.bounded()
                    ? String.format("MSE %.3f  MAE %.3f  RMSE %.3f  SSIM %.4f  PSNR %.3f", r.mse(), r.mae(), r.rmse(), r.ssim(), r.psnr())
                    : String.format("MSE %.3f  MAE %.3f  RMSE %.3f (normalised, summed per frame)", r.mse(), r.mae(), r.rmse());
            return physical == null ? line
                    : line + String.format("  |  per pixel in %s: MSE %.4f  MAE %.4f  RMSE %.4f", physical.unit(), physical.mse(), physical.mae(), physical.rmse());
        }
    }

    /** OpenSTL-style metrics of {@code model} (eval mode, no graph) over every sample of {@code data}. */
    public static VideoMetrics.Result evaluate(Module model, Dataset data, int batch) {
        return evaluate(model, data, batch, null).metrics();
    }

    /**
     * The metrics of {@code model}'s predictions (clamped to [0, 1] when the data are bounded there)
     * and, when {@code loss} names an {@link Objective}, its mean over batches on the raw
     * predictions (as training sees them; NaN when {@code loss} is null). Eval mode and no
     * gradients throughout.
     */
    public static Scored evaluate(Module model, Dataset data, int batch, String loss) {
        boolean was = model.isTraining(), bounded = data.scale().bounded();
        model.eval();
        double[] lossSum = {0};
        int[] batches = {0};
        try (var g = Grad.noGrad()) {
            Scored s = score(data, batch, b -> {
                Var pred = ((VideoModel) model).forward(Var.constant(b.input()));
                if (loss != null) {
                    lossSum[0] += Objective.loss(loss, pred, Var.constant(b.target())).item();
                    batches[0]++;
                }
                return bounded ? pred.value().clamp(0, 1) : pred.value();
            });
            return new Scored(s.metrics(), loss == null ? Double.NaN : lossSum[0] / Math.max(1, batches[0]), s.physical(), s.scale());
        } finally {
            model.train(was);
        }
    }

    /** The baseline that repeats the last input frame for every output frame. */
    public static Scored copyLastFrame(Dataset data, int batch) {
        return score(data, batch, b -> {
            Tensor in = b.input();
            return in.narrow(1, in.size(1) - 1, 1).expand(b.target().shape().toArray()).copy();
        });
    }

    /**
     * The baseline that predicts all-zero frames: what a model scores when it has only learnt the
     * background, which L1/SSIM training on sparse digits passes through first. (For z-scored data
     * zero is the training mean, i.e. climatology.)
     */
    public static Scored blankFrame(Dataset data, int batch) {
        return score(data, batch, b -> Tensor.zeros(b.target().dtype(), b.target().shape()));
    }

    /** True when {@code r} is within 3% of the blank-frame baseline on both MSE and MAE. */
    public static boolean nearlyBlank(VideoMetrics.Result r, VideoMetrics.Result blank) {
        return Math.abs(r.mse() - blank.mse()) <= 0.03 * blank.mse() && Math.abs(r.mae() - blank.mae()) <= 0.03 * blank.mae();
    }

    /** Every batch of {@code data} in order, predicted by {@code predict}, scored. */
    private static Scored score(Dataset data, int batch, Function<DataLoader.Batch, Tensor> predict) {
        ValueScale scale = data.scale();
        VideoMetrics acc = new VideoMetrics();
        PhysicalErrors phys = scale.isIdentity() ? null : new PhysicalErrors(scale);
        try (DataLoader loader = DataLoader.builder(data).batchSize(batch).shuffle(false).dropLast(false).build()) {
            for (DataLoader.Batch b : loader.epoch(0)) {
                Tensor pred = predict.apply(b);
                acc.add(pred, b.target());
                if (phys != null) phys.add(pred, b.target());
            }
        }
        return new Scored(acc.result(), Double.NaN, phys == null ? null : phys.result(), scale);
    }

    /** Sums of squared and absolute errors in physical units, per channel's std; double throughout. */
    static final class PhysicalErrors {
        private final String unit;
        private final double[] std;
        private double sse, sae;
        private long n;

        PhysicalErrors(ValueScale scale) {
            unit = scale.unit();
            std = scale.std();
        }

        /** Adds {@code [B, T, C, H, W]} predictions and targets (same shape). */
        void add(Tensor pred, Tensor target) {
            int[] s = pred.shape().toArray();
            if (!pred.shape().equals(target.shape()) || s.length != 5)
                throw new IllegalArgumentException("physical errors: pred " + pred.shape() + " and target " + target.shape() + " must be the same [B, T, C, H, W]");
            float[] p = pred.toFloatArray(), t = target.toFloatArray();
            int c = s[2], plane = s[3] * s[4];
            for (int i = 0; i < p.length; i++) {
                // physical(p) - physical(t) = (p - t) * std: the mean cancels
                double d = ((double) p[i] - t[i]) * std[Math.min((i / plane) % c, std.length - 1)];
                sse += d * d;
                sae += Math.abs(d);
            }
            n += p.length;
        }

        Physical result() {
            double mse = sse / n;
            return new Physical(unit, mse, sae / n, Math.sqrt(mse));
        }
    }
}
