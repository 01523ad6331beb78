package org.pdr4j.nn.metrics;

import org.pdr4j.nn.loss.Ssim;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.ShapeException;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.backend.Backends;

/**
 * Streaming evaluation metrics for video prediction on {@code [B, T, C, H, W]} frames in [0, 1],
 * with OpenSTL's definitions: call {@link #add} per batch, then {@link #result}. Sums are in
 * double, so the result does not depend on how the test set is cut into batches.
 *
 * <ul>
 *   <li>{@code mse}, {@code mae} (OpenSTL's "MSE"/"MAE"): mean over frames (b, t) of the error
 *       SUMMED over C, H, W, i.e. {@code np.mean(err, axis=(0, 1)).sum()}; {@code rmse = sqrt(mse)}.
 *   <li>{@code msePerPixel}, {@code maePerPixel}: the plain mean over every element (what
 *       torch.nn.MSELoss reports); {@code mse = msePerPixel * C * H * W}.
 *   <li>{@code psnr}: mean over frames of {@code 20 log10(1 / sqrt(mse_frame))}, mse_frame the
 *       per-pixel mean of the frame; +infinity once a frame is exact (as OpenSTL).
 *   <li>{@code ssim}: mean over frames of the Gaussian SSIM of {@link Ssim} (11x11, sigma 1.5,
 *       valid windows, mean over channels). OpenSTL itself uses skimage's 7x7 uniform window, so
 *       its SSIM differs slightly; this is the SSIM that the training loss optimises.
 * </ul>
 * As in OpenSTL, PSNR and SSIM clip the prediction to [0, 1] first; MSE and MAE do not.
 */
public final class VideoMetrics {
    /** The metrics over every frame added so far (see the class comment for each definition). */
    public record Result(long frames, double mse, double mae, double rmse, double psnr, double ssim,
                         double msePerPixel, double maePerPixel) {}

    private long frames, pixels;
    private double sse, sae, psnrSum, ssimSum;
    private int frameSize = -1;
    private final double[] window = Ssim.gaussian(Ssim.WINDOW, Ssim.SIGMA);

    /** Adds a batch: pred and target {@code [B, T, C, H, W]} of the same shape. */
    public void add(Tensor pred, Tensor target) {
        Shape s = pred.shape();
        if (!s.equals(target.shape())) throw new ShapeException("VideoMetrics: pred " + s + " and target " + target.shape() + " differ");
        if (s.rank() != 5) throw new ShapeException("VideoMetrics: frames must be [B, T, C, H, W], got " + s);
        add(pred.toDoubleArray(), target.toDoubleArray(), s.dim(0) * s.dim(1), s.dim(2), s.dim(3), s.dim(4));
    }

    /** Adds {@code nFrames} frames of {@code [C, H, W]} each, row-major. */
    public void add(double[] pred, double[] target, int nFrames, int c, int h, int w) {
        int fs = c * h * w;
        if (pred.length != (long) nFrames * fs || target.length != pred.length)
            throw new IllegalArgumentException("VideoMetrics: " + pred.length + " and " + target.length + " values for " + nFrames + " frames of [" + c + ", " + h + ", " + w + "]");
        if (frameSize >= 0 && frameSize != fs) throw new IllegalArgumentException("VideoMetrics: frame size changed from " + frameSize + " to " + fs);
        frameSize = fs;
        if (h < Ssim.WINDOW || w < Ssim.WINDOW) throw new IllegalArgumentException("VideoMetrics: frames of " + h + "x" + w + " are smaller than the SSIM window " + Ssim.WINDOW);
        int planes = nFrames * c, ho = h - Ssim.WINDOW + 1, wo = w - Ssim.WINDOW + 1, hw = h * w;
        // Five maps per plane (x, y, x^2, y^2, xy) for one blur call over the whole batch.
        double[] maps = new double[5 * pred.length];
        for (int f = 0; f < nFrames; f++) {
            double se = 0, ae = 0, seClip = 0;
            for (int i = f * fs, e = i + fs; i < e; i++) {
                double d = pred[i] - target[i], x = Math.min(1, Math.max(0, pred[i])), y = target[i], dc = x - y;
                se += d * d;
                ae += Math.abs(d);
                seClip += dc * dc;
                int plane = i / hw, at = i % hw, q = plane * 5 * hw + at;
                maps[q] = x;
                maps[q + hw] = y;
                maps[q + 2 * hw] = x * x;
                maps[q + 3 * hw] = y * y;
                maps[q + 4 * hw] = x * y;
            }
            sse += se;
            sae += ae;
            double m = seClip / fs;
            psnrSum += m == 0 ? Double.POSITIVE_INFINITY : 20 * Math.log10(1 / Math.sqrt(m));
        }
        // Float64 throughout: the blur runs on the reference backend (the CPU's float64 kernel).
        Tensor mt = Tensor.zeros(DType.F64, Shape.of(5 * planes, ho, wo)), mapsT = Tensor.of(maps, 5 * planes, h, w);
        Backends.forOperands(mapsT).blur(mapsT, Tensor.of(window, window.length), mt);
        double[] mu = mt.toDoubleArray();
        int n = ho * wo;
        for (int f = 0; f < nFrames; f++) {
            double s = 0;
            for (int ch = 0; ch < c; ch++) {
                int base = (f * c + ch) * 5 * n;
                for (int j = 0; j < n; j++) {
                    double mx = mu[base + j], my = mu[base + n + j];
                    double sxx = mu[base + 2 * n + j] - mx * mx, syy = mu[base + 3 * n + j] - my * my, sxy = mu[base + 4 * n + j] - mx * my;
                    double cC1 = 0.01 * 0.01, cC2 = 0.03 * 0.03;
                    s += (2 * mx * my + cC1) * (2 * sxy + cC2) / ((mx * mx + my * my + cC1) * (sxx + syy + cC2));
                }
            }
            ssimSum += s / ((double) c * n);
        }
        frames += nFrames;
        pixels += (long) nFrames * fs;
    }

    /** The metrics so far; throws if nothing was added. */
    public Result result() {
        if (frames == 0) throw new IllegalStateException("VideoMetrics: no frames added");
        double mse = sse / frames;
        return new Result(frames, mse, sae / frames, Math.sqrt(mse), psnrSum / frames, ssimSum / frames, sse / pixels, sae / pixels);
    }

    /** Starts over. */
    public void reset() {
        frames = pixels = 0;
        sse = sae = psnrSum = ssimSum = 0;
        frameSize = -1;
    }

    /** The metrics of one pair {@code [B, T, C, H, W]}. */
    public static Result of(Tensor pred, Tensor target) {
        VideoMetrics m = new VideoMetrics();
        m.add(pred, target);
        return m.result();
    }
}
