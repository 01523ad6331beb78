package org.pdr4j.models.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.concurrent.Callable;
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
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Time whole training steps.",
        subcommands = BenchCommand.TrainStep.class)
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
            for (int i = -warmup; i < steps; i++) {
                long t0 = System.nanoTime();
                Var l = Objective.loss(loss, ((VideoModel) m).forward(Var.constant(x)), Var.constant(y));
                m.zeroGrad();
                l.backward();
                opt.step();
                if (i >= 0) ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            double[] s = ms.clone();
            Arrays.sort(s);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%s %s batch %d (%,d parameters, loss %s): train step ms min %.1f median %.1f max %.1f over %d steps%n",
                    model, config, b, m.parameterCount(), loss, s[0], s[s.length / 2], s[s.length - 1], steps);
            out.flush();
            return 0;
        }
    }
}
