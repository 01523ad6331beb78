package org.pdr4j.models.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pdr4j.gs.Gaussians;
import org.pdr4j.gs.RenderSpec;
import org.pdr4j.gs.Renderer;
import org.pdr4j.gs.Renderers;
import org.pdr4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pdr bench render}: the paper's Table 9 layout (frames/s per configuration and renderer,
 * forward and forward + backward) on whatever renderers this machine can start, so a user on a
 * GPU machine gets the table in one command. The JMH {@code RenderBench} is the careful version.
 */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = {"Frames/s of each renderer in the paper's Table 9 layout: H=W/K/N configurations, one frame and a batch,",
                "forward and forward + backward; C = 3, random Gaussians as the reference script draws them.",
                "Median of the timed calls after warm-up. A renderer that cannot start here is listed with its reason."})
final class BenchRender implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--impl", split = ",", description = "Renderers (default: fused and every non-CPU renderer registered; the baselines base and base_grid take seconds per call at 128 and 256).")
    List<String> impls;

    @Option(names = "--configs", split = ",", defaultValue = "32/15/300,64/15/300,128/51/400,256/51/400",
            description = "H=W/K/N configurations (default: Table 9's, ${DEFAULT-VALUE}).")
    List<String> configs;

    @Option(names = "--frames", split = ",", defaultValue = "1,16", description = "Frames per call (default: ${DEFAULT-VALUE}).")
    List<Integer> frames;

    @Option(names = "--seconds", defaultValue = "1", description = "Timed seconds per measurement, after as much warm-up (default: ${DEFAULT-VALUE}).")
    double seconds;

    /** Renderers that run on the CPU: the default list adds everything else that is registered. */
    private static final List<String> CPU = List.of("fused", "base", "base_grid", "ref");

    @Override
    public Integer call() {
        if (!(seconds > 0) || Double.isInfinite(seconds)) throw new IllegalArgumentException("--seconds must be positive, got " + seconds);
        for (int f : frames) TrainCommand.positive("--frames", f);
        List<int[]> cfgs = new ArrayList<>();
        for (String c : configs) cfgs.add(parseConfig(c));
        List<String> names = impls != null ? impls : defaultImpls();
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Renderer> live = new LinkedHashMap<>();
        for (String n : names) {
            try {
                live.put(n, Renderers.byName(n));
            } catch (IllegalArgumentException e) {
                throw e; // an unknown name: the message lists the known ones
            } catch (RuntimeException | LinkageError e) {
                out.printf("%s: not available here (%s)%n", n, e.getMessage());
            }
        }
        if (live.isEmpty()) throw new IllegalArgumentException("no renderer of " + names + " can start here");
        for (String pass : List.of("forward", "forward + backward")) {
            out.printf("%n%s, frames/s (median ms per call in brackets)%n%n", pass);
            StringBuilder head = new StringBuilder("| H=W / K / N | frames |");
            StringBuilder rule = new StringBuilder("| --- | ---: |");
            for (String n : live.keySet()) {
                head.append(' ').append(n).append(" |");
                rule.append(" ---: |");
            }
            out.println(head);
            out.println(rule);
            for (int[] c : cfgs)
                for (int f : frames) {
                    StringBuilder row = new StringBuilder(String.format("| %d/%d/%d | %d |", c[0], c[1], c[2], f));
                    Gaussians g = Gaussians.random(f, c[2], 3, 0);
                    RenderSpec rs = new RenderSpec(c[0], c[0], c[1]);
                    Tensor up = Tensor.randn(4, f, 3, c[0], c[0]);
                    for (Renderer r : live.values()) {
                        Runnable call = pass.equals("forward") ? () -> r.forward(g, rs) : () -> { r.forward(g, rs); r.backward(g, rs, up); };
                        double ms = medianMs(call, seconds);
                        row.append(String.format(" %,.0f (%.3g) |", f * 1000.0 / ms, ms));
                    }
                    out.println(row);
                    out.flush();
                }
        }
        out.flush();
        return 0;
    }

    static List<String> defaultImpls() {
        List<String> l = new ArrayList<>(List.of("fused"));
        for (String n : Renderers.names()) if (!CPU.contains(n)) l.add(n);
        return l;
    }

    /** {@code "H/K/N"} as {@code {H, K, N}}, checked. */
    static int[] parseConfig(String s) {
        String[] p = s.split("/");
        try {
            if (p.length == 3) {
                int h = Integer.parseInt(p[0].strip()), k = Integer.parseInt(p[1].strip()), n = Integer.parseInt(p[2].strip());
                if (h >= 1 && k >= 1 && k <= h && n >= 1) return new int[] {h, k, n};
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("--configs: '" + s + "' is not H/K/N with 1 <= K <= H and N >= 1, e.g. 64/15/300");
    }

    /** Median wall time of {@code call} in ms: warm-up (JIT) for {@code seconds}, then at least 3 timed calls over {@code seconds}. */
    static double medianMs(Runnable call, double seconds) {
        long warmEnd = System.nanoTime() + (long) (seconds * 1e9);
        do call.run(); while (System.nanoTime() < warmEnd);
        List<Double> ms = new ArrayList<>();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (ms.size() < 3 || System.nanoTime() < end) {
            long t0 = System.nanoTime();
            call.run();
            ms.add((System.nanoTime() - t0) / 1e6);
        }
        double[] a = ms.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a[a.length / 2];
    }
}
