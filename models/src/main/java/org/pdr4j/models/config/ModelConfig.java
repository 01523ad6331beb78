package org.pdr4j.models.config;

import java.nio.file.Path;
import org.pdr4j.models.Rollout;
import org.pdr4j.models.data.DataRequest;
import org.pdr4j.models.data.Dataset;
import org.pdr4j.models.data.Datasets;
import org.pdr4j.models.data.MovingDigits;
import org.pdr4j.models.data.Subset;
import org.pdr4j.models.pdr.Pdr;
import org.pdr4j.models.pdr.PredGS;
import org.pdr4j.models.simvp.SimVP;
import org.pdr4j.nn.Module;

/**
 * A named training setup: the frames, the SimVP sizes (OpenSTL's names), the Gaussian settings
 * PDR adds, and the optimisation defaults. {@link Configs} holds the named ones.
 *
 * @param schedule  learning-rate schedule over the run: {@code onecycle}, {@code cosine} or {@code constant}
 * @param clip      global gradient-norm limit (torch's clip_grad_norm_); 0 = no clipping
 * @param trainSize samples per training epoch (the dataset's first {@code trainSize}); 0 = all
 * @param dataRoot  the folder a file-backed dataset reads ({@code --data-root}); null for generated data
 */
public record ModelConfig(String name, String dataset, int inFrames, int outFrames, int channels, int height, int width,
                          int hidS, int hidT, int nS, int nT, double mlpRatio, double dropPath,
                          int gaussians, int kernel, int pool,
                          double lr, double weightDecay, int batch, int epochs, String schedule, double clip,
                          int trainSize, int valSize, int testSize, String note, String dataRoot) {

    /**
     * The model of {@code kind} ("simvp", "gsta", "tau", "pdr") at these sizes; a {@link Rollout} of
     * it when {@code outFrames != inFrames}.
     */
    public Module build(String kind, long seed) {
        SimVP.Translator t = switch (kind) {
            case "simvp" -> SimVP.Translator.INCEPU;
            case "gsta" -> SimVP.Translator.GSTA;
            case "tau", "pdr" -> SimVP.Translator.TAU;
            default -> throw new IllegalArgumentException("unknown model '" + kind + "' (known: " + String.join(", ", Configs.MODELS) + ")");
        };
        SimVP.Spec spec = new SimVP.Spec(inFrames, channels, height, width, hidS, hidT, nS, nT, t, mlpRatio, dropPath, 3, 3);
        Module m = kind.equals("pdr") ? new Pdr(spec, new PredGS.Spec(gaussians, kernel, pool, 256), seed) : new SimVP(spec, seed);
        // OpenSTL's SimVP-family models predict Tin frames; other horizons roll out (KTH 10 -> 20)
        return outFrames == inFrames ? m : new Rollout(m, inFrames, outFrames);
    }

    /**
     * The {@code split} ("train", "val", "test") of this config's dataset, cut to the config's size
     * for it. The built-in moving digits are generated at the config's frame count and size.
     */
    public Dataset open(String split, long seed) {
        int n = switch (split) { case "train" -> trainSize; case "val" -> valSize; case "test" -> testSize;
            default -> throw new IllegalArgumentException("unknown split '" + split + "' (known: train, val, test)"); };
        Dataset d;
        if (dataset.equals("moving-digits")) {
            if (height != width || channels != 1) throw new IllegalArgumentException("moving digits are square and grey; config " + name + " is not");
            int cap = Math.max(n, 1);
            d = MovingDigits.builder().frames(inFrames, outFrames).size(height, Math.max(4, height * 28 / 64))
                    .sizes(Math.max(cap, 10000), Math.max(cap, 1000), Math.max(cap, 1000)).build(split, seed);
        } else {
            d = Datasets.open(dataset, new DataRequest(split, seed, dataRoot == null ? null : Path.of(dataRoot), inFrames, outFrames, height, width));
        }
        if (d.inFrames() != inFrames || d.outFrames() != outFrames || d.channels() != channels || d.height() != height || d.width() != width)
            throw new IllegalArgumentException("dataset " + d.name() + " gives " + d.inFrames() + "->" + d.outFrames() + " frames of "
                    + d.channels() + "x" + d.height() + "x" + d.width() + ", config " + name + " wants " + inFrames + "->" + outFrames
                    + " of " + channels + "x" + height + "x" + width);
        return new Subset(d, n);
    }

    /** This config reading its files from {@code root} (null: none). */
    public ModelConfig withDataRoot(String root) {
        return new ModelConfig(name, dataset, inFrames, outFrames, channels, height, width, hidS, hidT, nS, nT, mlpRatio, dropPath,
                gaussians, kernel, pool, lr, weightDecay, batch, epochs, schedule, clip, trainSize, valSize, testSize, note, root);
    }

    /** The loss the paper pairs with each model: PDR trains on L1 + SSIM, TAU on MSE plus its regulariser, the others on MSE. */
    public static String defaultLoss(String kind) {
        return switch (kind) {
            case "pdr" -> "l1ssim";
            case "tau" -> "mse+reg";
            default -> "mse";
        };
    }
}
