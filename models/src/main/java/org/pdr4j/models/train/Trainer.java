package org.pdr4j.models.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.pdr4j.autograd.Var;
import org.pdr4j.models.VideoModel;
import org.pdr4j.models.config.ModelConfig;
import org.pdr4j.models.data.DataLoader;
import org.pdr4j.models.data.Dataset;
import org.pdr4j.nn.Module;
import org.pdr4j.nn.optim.AdamW;
import org.pdr4j.nn.optim.CosineWarmup;
import org.pdr4j.nn.optim.GradClip;
import org.pdr4j.nn.optim.LrSchedule;
import org.pdr4j.nn.optim.OneCycle;
import org.pdr4j.nn.optim.Optimizer;
import org.pdr4j.tensor.io.AtomicFiles;

/**
 * The training loop behind {@code pdr train}: AdamW with the config's schedule, a progress bar,
 * validation after each epoch, {@code last.safetensors} and {@code best.safetensors} (lowest
 * validation loss), {@code metrics.json} and {@code train.log} in the run folder.
 *
 * <p>Exact resume: the data order is a function of (seed, epoch), stochastic layers are reseeded
 * from (seed, step), and the optimiser's moments and step count are saved, so a run stopped and
 * resumed at step s computes the same numbers as one that never stopped. Ctrl-C (SIGINT) finishes
 * the current step, saves {@code last} and exits.
 */
public final class Trainer {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    private final String model;
    private final ModelConfig config;
    private final Path out;
    private final PrintWriter console;
    private final Module net;
    private final Optimizer opt;
    private TrainState state;
    private final List<Map<String, Object>> history;
    private volatile boolean stopRequested;
    private boolean finished;

    /** One epoch's summary line in metrics.json. */
    private static Map<String, Object> row(int epoch, long step, double trainLoss, double valLoss, Evaluation.Scored val, double seconds) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("epoch", epoch);
        r.put("step", step);
        r.put("train_loss", trainLoss);
        r.put("val_loss", valLoss);
        r.put("val", val.metrics());
        if (val.physical() != null) r.put("val_physical", val.physical());
        r.put("seconds", seconds);
        return r;
    }

    /** A fresh run. */
    public Trainer(String model, ModelConfig config, String loss, long seed, Path out, PrintWriter console) {
        this.model = model;
        this.config = config;
        this.out = out;
        this.console = console;
        this.net = config.build(model, seed);
        this.opt = new AdamW(net.parameters(), config.lr(), config.weightDecay());
        this.state = new TrainState(0, config.epochs(), config.batch(), seed, loss, Double.POSITIVE_INFINITY, -1);
        this.history = new ArrayList<>();
    }

    /** A run continued from its checkpoint. */
    public Trainer(Checkpoint c, Path out, PrintWriter console) {
        this.model = c.model();
        this.config = c.config();
        this.out = out;
        this.console = console;
        this.net = c.buildModel();
        this.opt = new AdamW(net.parameters(), config.lr(), config.weightDecay());
        try {
            opt.loadState(c.optimizer());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("checkpoint's optimizer state does not fit the model: " + e.getMessage());
        }
        this.state = c.state();
        this.history = readHistory(out.resolve("metrics.json"));
    }

    public Module net() { return net; }

    /** True once every step of the run has been taken. */
    public boolean finished() { return finished; }

    public TrainState state() { return state; }

    /** Asks the loop to stop after the current step (and save). */
    public void requestStop() { stopRequested = true; }

    private Dataset split(String name) {
        return config.open(name, state.seed());
    }

    /** Trains to the end (or until stopped); returns the test metrics of the best checkpoint. */
    public void run(long maxSteps) throws IOException {
        Files.createDirectories(out);
        Dataset train = split("train"), val = split("val");
        CountDownLatch saved = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            requestStop();
            try { saved.await(120, TimeUnit.SECONDS); } catch (InterruptedException ignored) { Thread.currentThread().interrupt(); }
        }, "pdr-train-sigint");
        Runtime.getRuntime().addShutdownHook(hook);
        try (DataLoader loader = DataLoader.builder(train).batchSize(state.batch()).shuffle(true).dropLast(true).seed(state.seed()).build()) {
            int bpe = loader.batchesPerEpoch();
            if (bpe == 0) throw new IllegalArgumentException("batch " + state.batch() + " is larger than the training set (" + train.size() + ")");
            long total = (long) bpe * state.epochs();
            LrSchedule sched = schedule(total);
            log(String.format("%s %s: %,d parameters, %d epochs x %d steps, batch %d, loss %s, seed %d%s", model, config.name(),
                    net.parameterCount(), state.epochs(), bpe, state.batch(), state.loss(), state.seed(),
                    state.step() > 0 ? ", resuming at step " + state.step() : ""));
            long limit = maxSteps > 0 ? Math.min(total, state.step() + maxSteps) : total;
            var batches = loader.steps(state.step());
            while (state.step() < limit && !stopRequested) {
                int epoch = (int) (state.step() / bpe);
                long epochEnd = Math.min((long) (epoch + 1) * bpe, limit);
                double lossSum = 0;
                int n = 0;
                long t0 = System.nanoTime();
                try (ProgressBar pb = bar(epoch, bpe, state.step() - (long) epoch * bpe)) {
                    while (state.step() < epochEnd && !stopRequested) {
                        DataLoader.Batch b = batches.next();
                        double l = step(b, sched.lr(state.step()));
                        lossSum += l;
                        n++;
                        pb.step();
                        double secs = (System.nanoTime() - t0) / 1e9;
                        pb.setExtraMessage(String.format("loss %.4f  %.1f samples/s", lossSum / n, n * state.batch() / secs));
                    }
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                if (state.step() == (long) (epoch + 1) * bpe) {
                    Evaluation.Scored sv = Evaluation.evaluate(net, val, state.batch(), state.loss());
                    // best = lowest validation value of the run's own objective: selecting an
                    // L1/SSIM run by MSE would keep its blurriest early epoch
                    if (sv.loss() < state.bestValLoss()) {
                        state = state.withBest(sv.loss(), epoch + 1);
                        save("best.safetensors");
                    }
                    history.add(row(epoch + 1, state.step(), lossSum / Math.max(1, n), sv.loss(), sv, seconds));
                    byte[] json = GSON.toJson(history).getBytes(StandardCharsets.UTF_8);
                    AtomicFiles.write(out.resolve("metrics.json"), o -> o.write(json));
                    log(String.format("epoch %d/%d  train loss %.5f  val loss %.5f  %s  (%.0f s)",
                            epoch + 1, state.epochs(), lossSum / Math.max(1, n), sv.loss(), sv.summary(), seconds));
                }
                save("last.safetensors");
            }
            finished = state.step() >= total;
            if (stopRequested) log("stopped at step " + state.step() + "; resume with --resume");
        } finally {
            saved.countDown();
            try { Runtime.getRuntime().removeShutdownHook(hook); } catch (IllegalStateException ignored) { /* shutting down */ }
        }
    }

    /** One optimisation step; returns the loss. */
    double step(DataLoader.Batch b, double lr) {
        net.train(true);
        net.reseed(state.seed() * 0x9E3779B97F4A7C15L + state.step());
        Var pred = ((VideoModel) net).forward(Var.constant(b.input()));
        Var loss = Objective.loss(state.loss(), pred, Var.constant(b.target()));
        double l = loss.item();
        if (!Double.isFinite(l))
            throw new IllegalStateException("loss is " + l + " at step " + state.step() + "; the last checkpoint in " + out + " is kept");
        net.zeroGrad();
        loss.backward();
        if (config.clip() > 0) GradClip.clipGradNorm(net.parameters(), config.clip());
        opt.setLr(lr);
        opt.step();
        net.zeroGrad();
        state = state.withStep(state.step() + 1);
        return l;
    }

    /** The learning-rate schedules a config may name. */
    public static final List<String> SCHEDULES = List.of("onecycle", "cosine", "constant");

    private LrSchedule schedule(long total) {
        return switch (config.schedule()) {
            case "onecycle" -> new OneCycle(config.lr(), total);
            // timm-style: linear warm-up over the first 5% of steps from lr/100, cosine down to lr/1000
            case "cosine" -> total < 2 ? s -> config.lr() : new CosineWarmup(config.lr(), config.lr() * 1e-3, Math.max(1, total / 20), config.lr() * 1e-2, total);
            case "constant" -> s -> config.lr();
            default -> throw new IllegalArgumentException("unknown schedule '" + config.schedule() + "' (known: " + String.join(", ", SCHEDULES) + ")");
        };
    }

    private ProgressBar bar(int epoch, int bpe, long done) {
        ProgressBar pb = new ProgressBarBuilder()
                .setTaskName(String.format("epoch %d/%d", epoch + 1, state.epochs()))
                .setInitialMax(bpe)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(1000)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUnit(" steps", 1)
                .build();
        pb.stepTo(done);
        return pb;
    }

    void save(String name) throws IOException {
        Checkpoint.save(out.resolve(name), model, config, state, net, opt.state());
    }

    private void log(String line) throws IOException {
        console.println(line);
        console.flush();
        Files.writeString(out.resolve("train.log"), Instant.now() + " " + line + System.lineSeparator(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> readHistory(Path f) {
        if (!Files.isRegularFile(f)) return new ArrayList<>();
        try {
            List<Map<String, Object>> h = GSON.fromJson(Files.readString(f), List.class);
            return h == null ? new ArrayList<>() : new ArrayList<>(h);
        } catch (IOException | RuntimeException e) {
            return new ArrayList<>();
        }
    }
}
