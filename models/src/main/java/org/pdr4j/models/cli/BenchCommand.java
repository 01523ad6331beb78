package org.pdr4j.models.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.pdr4j.autograd.Profiler;
import org.pdr4j.autograd.Var;
import org.pdr4j.models.VideoModel;
import org.pdr4j.models.config.Configs;
import org.pdr4j.models.config.ModelConfig;
import org.pdr4j.models.train.Objective;
import org.pdr4j.nn.Module;
import org.pdr4j.nn.optim.AdamW;
import org.pdr4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pdr bench}: whole-step timings (the kernels have JMH benchmarks in the jmh module). */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Time whole training steps, a data set's loader, or the renderers (Table 9).",
        subcommands = {BenchCommand.TrainStep.class, BenchCommand.Data.class, BenchRender.class})
public final class BenchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return PdrCli.EXIT_USAGE;
    }

    /** {@code pdr bench train-step}: ms per forward + backward + AdamW step on random inputs. */
    @Command(name = "train-step", mixinStandardHelpOptions = true,
            description = {"Milliseconds per training step (forward, backward, AdamW) on random frames, after warm-up.",
                    "Compare with models/scripts/bench_train_step.py (PyTorch) on the same machine."})
    static final class TrainStep implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--model", defaultValue = "tau", description = "pdr, tau, gsta or simvp (default: ${DEFAULT-VALUE}).")
        String model;

        @Option(names = "--config", defaultValue = "digits", description = "Named config (default: ${DEFAULT-VALUE}).")
        String config;

        @Option(names = "--batch", description = "Batch size (default: the config's).")
        Integer batch;

        @Option(names = "--steps", defaultValue = "5", description = "Timed steps (default: ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--warmup", defaultValue = "2", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--profile", description = "After the timings, print the time per op (forward and backward) over the timed steps.")
        boolean profile;

        @Override public Integer call() {
            if (!Configs.MODELS.contains(model))
                throw new IllegalArgumentException("unknown --model '" + model + "' (known: " + String.join(", ", Configs.MODELS) + ")");
            TrainCommand.positive("--steps", steps);
            ModelConfig c = Configs.get(config);
            int b = batch != null ? TrainCommand.positive("--batch", batch) : c.batch();
            Module m = c.build(model, 0);
            m.train(true);
            AdamW opt = new AdamW(m.parameters(), c.lr(), c.weightDecay());
            Tensor x = Tensor.rand(1, b, c.inFrames(), c.channels(), c.height(), c.width());
            Tensor y = Tensor.rand(2, b, c.outFrames(), c.channels(), c.height(), c.width());
            String loss = ModelConfig.defaultLoss(model);
            double[] ms = new double[steps];
            long optNanos = 0, allocated = 0;
            var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            for (int i = -warmup; i < steps; i++) {
                if (i == 0 && profile) Profiler.start();
                long t0 = System.nanoTime(), a0 = threads.getCurrentThreadAllocatedBytes();
                Var l = Objective.loss(loss, ((VideoModel) m).forward(Var.constant(x)), Var.constant(y));
                m.zeroGrad();
                l.backward();
                long t1 = System.nanoTime();
                opt.step();
                if (i >= 0) {
                    long t2 = System.nanoTime();
                    optNanos += t2 - t1;
                    allocated += threads.getCurrentThreadAllocatedBytes() - a0;
                    ms[i] = (t2 - t0) / 1e6;
                }
            }
            double[] s = ms.clone();
            Arrays.sort(s);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%s %s batch %d (%,d parameters, loss %s): train step ms min %.1f median %.1f max %.1f over %d steps; %.2f GB allocated per step%n",
                    model, config, b, m.parameterCount(), loss, s[0], s[s.length / 2], s[s.length - 1], steps, allocated / 1e9 / steps);
            if (profile) {
                Profiler.Report r = Profiler.stop();
                out.printf("per op over %d steps (autograd ops %.0f ms, optimiser %.0f ms, of %.0f ms):%n%s",
                        steps, r.totalNanos() / 1e6, optNanos / 1e6, Arrays.stream(ms).sum(), r.table(30));
            }
            out.flush();
            return 0;
        }
    }

    /**
     * {@code pdr bench data}: how fast a loader fills batches on one thread, to compare with a train
     * step (the trainer's prefetch thread hides loading whenever a batch fills faster than a step).
     */
    @Command(name = "data", mixinStandardHelpOptions = true,
            description = {"Milliseconds per batch filled by a data set's loader on one thread (no prefetch), after one warm-up batch.",
                    "Loading is hidden behind training when this is below 'pdr bench train-step' for the same config."})
    static final class Data implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--config", defaultValue = "digits", description = "Named config: its data set, clip and batch (default: ${DEFAULT-VALUE}).")
        String config;

        @Option(names = "--data-root", description = "Folder holding the data set's files.")
        java.nio.file.Path root;

        @Option(names = "--split", defaultValue = "train", description = "train, val or test (default: ${DEFAULT-VALUE}).")
        String split;

        @Option(names = "--batches", defaultValue = "10", description = "Timed batches (default: ${DEFAULT-VALUE}).")
        int batches;

        @Override public Integer call() {
            TrainCommand.positive("--batches", batches);
            ModelConfig c = TrainCommand.withRoot(Configs.get(config), root);
            org.pdr4j.models.data.Dataset d = c.open(split, 0);
            int b = c.batch();
            double[] ms = new double[batches];
            try (org.pdr4j.models.data.DataLoader l = org.pdr4j.models.data.DataLoader.builder(d).batchSize(b).dropLast(false).prefetch(false).build()) {
                int per = l.batchesPerEpoch();
                l.batch(0, 0);
                for (int i = 0; i < batches; i++) {
                    long t0 = System.nanoTime();
                    l.batch(1 + i / per, i % per); // epoch 0 batch 0 was the warm-up
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
            }
            double[] s = ms.clone();
            Arrays.sort(s);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%s (%d samples): batch of %d filled in ms min %.1f median %.1f max %.1f over %d batches, %.0f samples/s on one thread%n",
                    d.name(), d.size(), b, s[0], s[s.length / 2], s[s.length - 1], batches, b * 1000.0 / s[s.length / 2]);
            out.flush();
            return 0;
        }
    }
}
