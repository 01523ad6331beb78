package org.pdr4j.models.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.pdr4j.autograd.Var;
import org.pdr4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pdr demo}: fits a small tanh MLP to {@code y = sin(3x)} with full-batch Adam, using
 * nothing but tensors and autograd, and prints the loss as it falls. The first thing to run
 * on a new machine; the PDR training command replaces it as the main job.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Train a tiny MLP with autograd (fit sin(3x)) and print its loss falling.")
public final class DemoCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--steps", defaultValue = "600", description = "Optimiser steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--hidden", defaultValue = "64", description = "Hidden units (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--lr", defaultValue = "0.01", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for data and initial weights (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        if (steps < 1) throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
        if (hidden < 1) throw new IllegalArgumentException("--hidden must be >= 1, got " + hidden);
        if (!(lr > 0)) throw new IllegalArgumentException("--lr must be > 0, got " + lr);
        PrintWriter out = spec.commandLine().getOut();
        Result r = train(steps, hidden, lr, seed, out);
        out.printf("loss %.5f -> %.5f (%.0fx lower) in %d steps, %.2f s%n", r.first, r.last, r.first / r.last, steps, r.seconds);
        out.flush();
        return r.last < r.first ? 0 : 1;
    }

    /** Losses at the first and last step, and the wall time. */
    record Result(double first, double last, double seconds) {}

    static Result train(int steps, int hidden, double lr, long seed, PrintWriter out) {
        int n = 256;
        Tensor x = Tensor.linspace(-1, 1, n).reshape(n, 1);
        Tensor y = x.mul(3).sin().add(Tensor.randn(seed + 1, n, 1).mul(0.02));
        // Kaiming-uniform-like init, as torch.nn.Linear does.
        Var w1 = Var.param(Tensor.rand(seed + 2, 1, hidden).mul(2).sub(1));
        Var b1 = Var.param(Tensor.zeros(hidden));
        Var w2 = Var.param(Tensor.rand(seed + 3, hidden, 1).mul(2).sub(1).mul(1 / Math.sqrt(hidden)));
        Var b2 = Var.param(Tensor.zeros(1));
        List<Var> params = List.of(w1, b1, w2, b2);
        Adam adam = new Adam(params, lr);
        Var input = Var.constant(x), target = Var.constant(y);
        double first = 0, last = 0;
        long t0 = System.nanoTime();
        for (int step = 1; step <= steps; step++) {
            Var pred = input.matmul(w1).add(b1).tanh().matmul(w2).add(b2);
            Var loss = pred.sub(target).square().mean();
            for (Var p : params) p.zeroGrad();
            loss.backward();
            adam.step();
            last = loss.item();
            if (step == 1) first = last;
            if (step == 1 || step % Math.max(1, steps / 10) == 0 || step == steps) {
                out.printf("step %4d/%d  loss %.5f%n", step, steps, last);
                out.flush();
            }
        }
        return new Result(first, last, (System.nanoTime() - t0) / 1e9);
    }

    /** Plain Adam over a list of parameters (the nn module's AdamW supersedes it). */
    private static final class Adam {
        private final List<Var> params;
        private final double lr, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        private final Tensor[] m, v;
        private int t;

        Adam(List<Var> params, double lr) {
            this.params = params;
            this.lr = lr;
            m = new Tensor[params.size()];
            v = new Tensor[params.size()];
        }

        void step() {
            t++;
            double c1 = 1 - Math.pow(b1, t), c2 = 1 - Math.pow(b2, t);
            for (int i = 0; i < params.size(); i++) {
                Var p = params.get(i);
                Tensor g = p.grad();
                m[i] = m[i] == null ? g.mul(1 - b1) : m[i].mul(b1).add(g.mul(1 - b1));
                v[i] = v[i] == null ? g.square().mul(1 - b2) : v[i].mul(b2).add(g.square().mul(1 - b2));
                Tensor update = m[i].div(c1).div(v[i].div(c2).sqrt().add(eps)).mul(lr);
                p.value().assign(p.value().sub(update));
            }
        }
    }
}
