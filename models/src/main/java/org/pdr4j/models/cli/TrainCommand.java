package org.pdr4j.models.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.pdr4j.models.config.Configs;
import org.pdr4j.models.config.ModelConfig;
import org.pdr4j.models.data.Datasets;
import org.pdr4j.models.train.Checkpoint;
import org.pdr4j.models.train.Evaluation;
import org.pdr4j.models.train.Objective;
import org.pdr4j.models.train.Trainer;
import org.pdr4j.nn.Module;
import org.pdr4j.nn.metrics.VideoMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pdr train}: trains a model on a dataset, then evaluates the best checkpoint on the test split. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train PDR (or a baseline) and evaluate it on the test split.",
                "Writes last.safetensors, best.safetensors, metrics.json and train.log to --out."})
public final class TrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", defaultValue = "pdr", description = "pdr, tau, gsta or simvp (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--config", defaultValue = "digits", description = "Named config: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
            completionCandidates = ConfigNames.class)
    String config;

    @Option(names = "--dataset", description = "Dataset (default: the config's; built in: moving-digits).")
    String dataset;

    @Option(names = "--data-root", description = "Folder holding the data set's files (Moving MNIST, TaxiBJ, WeatherBench, KTH, Human3.6M; see README, \"Data sets\"). Kept, absolute, in the checkpoint.")
    Path dataRoot;

    @Option(names = "--epochs", description = "Epochs (default: the config's).")
    Integer epochs;

    @Option(names = "--batch", description = "Batch size (default: the config's).")
    Integer batch;

    @Option(names = "--loss", description = "mse, mse+reg, l1 or l1ssim (default: l1ssim for pdr, mse+reg for tau, else mse).")
    String loss;

    @Option(names = "--train-size", description = "Training samples per epoch (default: the config's).")
    Integer trainSize;

    @Option(names = "--lr", description = "Peak learning rate (default: the config's).")
    Double lr;

    @Option(names = "--schedule", description = "Learning-rate schedule: onecycle, cosine (5% linear warm-up, then down to lr/1000) or constant (default: the config's).")
    String schedule;

    @Option(names = "--clip", description = "Clip the global gradient norm to this value each step; 0 = off (default: the config's).")
    Double clip;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for weights, data order and dropout (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", description = "Run folder (default: runs/<model>-<config>).")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint, exactly.")
    boolean resume;

    @Option(names = "--max-steps", defaultValue = "0", hidden = true, description = "Stop after this many steps (tests).")
    long maxSteps;

    static final class ConfigNames implements Iterable<String> {
        @Override public java.util.Iterator<String> iterator() { return Configs.names().iterator(); }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter console = spec.commandLine().getOut();
        if (!Configs.MODELS.contains(model))
            throw new IllegalArgumentException("unknown --model '" + model + "' (known: " + String.join(", ", Configs.MODELS) + ")");
        ModelConfig c = Configs.get(config);
        c = override(c);
        Path dir = out != null ? out : Path.of("runs", model + "-" + c.name());
        Path last = dir.resolve("last.safetensors");
        Trainer t;
        if (resume) {
            Checkpoint ck = Checkpoint.load(last);
            if (!ck.model().equals(model))
                throw new IllegalArgumentException(last + " holds a " + ck.model() + " model, not " + model + " (pass --model " + ck.model() + ")");
            if (!ck.config().name().equals(c.name()))
                throw new IllegalArgumentException(last + " was trained with config " + ck.config().name() + ", not " + c.name());
            t = new Trainer(ck, dir, console);
        } else {
            if (Files.exists(last))
                throw new IllegalArgumentException(dir + " already holds a run; pass --resume to continue it or --out for a new one");
            String l = loss != null ? loss : ModelConfig.defaultLoss(model);
            if (!Objective.NAMES.contains(l)) throw new IllegalArgumentException("unknown --loss '" + l + "' (known: " + String.join(", ", Objective.NAMES) + ")");
            t = new Trainer(model, c, l, seed, dir, console);
        }
        t.run(maxSteps);
        if (!t.finished()) return 0;
        Path best = dir.resolve("best.safetensors");
        if (Files.exists(best) && t.state().bestEpoch() > 0) {
            Checkpoint ck = Checkpoint.load(best);
            Module m = ck.buildModel();
            var test = ck.config().open("test", ck.state().seed());
            Evaluation.Scored scored = Evaluation.evaluate(m, test, ck.state().batch(), null);
            Evaluation.Scored copyS = Evaluation.copyLastFrame(test, ck.state().batch()), blankS = Evaluation.blankFrame(test, ck.state().batch());
            VideoMetrics.Result r = scored.metrics(), copy = copyS.metrics(), blank = blankS.metrics();
            console.printf("test (best, epoch %d): %s%n", ck.state().bestEpoch(), scored.summary());
            console.printf("test (copy last input frame): %s%n", copyS.summary());
            console.printf("test (empty frame): %s%n", blankS.summary());
            console.printf("MSE %.2f vs copy-last %.2f: %s%n", r.mse(), copy.mse(), r.mse() < copy.mse() ? "better" : "NOT better");
            if (Evaluation.nearlyBlank(r, blank))
                console.printf("note: the model still predicts (nearly) empty frames, the first stage of L1/SSIM training on sparse digits; train longer (--epochs)%n");
            console.flush();
        }
        return 0;
    }

    private ModelConfig override(ModelConfig c) {
        int e = epochs != null ? positive("--epochs", epochs) : c.epochs();
        int b = batch != null ? positive("--batch", batch) : c.batch();
        int n = trainSize != null ? positive("--train-size", trainSize) : c.trainSize();
        double l = lr != null ? lr : c.lr();
        if (!(l > 0) || Double.isInfinite(l)) throw new IllegalArgumentException("--lr must be a positive number, got " + lr);
        String sch = schedule != null ? schedule : c.schedule();
        if (!Trainer.SCHEDULES.contains(sch))
            throw new IllegalArgumentException("unknown --schedule '" + sch + "' (known: " + String.join(", ", Trainer.SCHEDULES) + ")");
        double cl = clip != null ? clip : c.clip();
        if (!(cl >= 0) || Double.isInfinite(cl)) throw new IllegalArgumentException("--clip must be >= 0 (0 = off), got " + clip);
        String ds = dataset != null ? dataset : c.dataset();
        if (!Datasets.names().contains(ds))
            throw new IllegalArgumentException("unknown --dataset '" + ds + "' (known: " + String.join(", ", Datasets.names()) + ")");
        return new ModelConfig(c.name(), ds, c.inFrames(), c.outFrames(), c.channels(), c.height(), c.width(), c.hidS(), c.hidT(),
                c.nS(), c.nT(), c.mlpRatio(), c.dropPath(), c.gaussians(), c.kernel(), c.pool(), l, c.weightDecay(), b, e,
                sch, cl, n, c.valSize(), c.testSize(), c.note(), dataRoot != null ? dataRoot.toAbsolutePath().normalize().toString() : c.dataRoot());
    }

    /** {@code c} reading its files from {@code root} instead, when one is given (eval, predict after the data moved). */
    static ModelConfig withRoot(ModelConfig c, Path root) {
        return root == null ? c : c.withDataRoot(root.toAbsolutePath().normalize().toString());
    }

    static int positive(String flag, int v) {
        if (v < 1) throw new IllegalArgumentException(flag + " must be >= 1, got " + v);
        return v;
    }
}
