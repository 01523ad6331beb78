package org.pdr4j.models.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.pdr4j.models.config.Configs;
import org.pdr4j.models.config.ModelConfig;
import org.pdr4j.models.data.DataFormatException;
import org.pdr4j.models.data.DataRequest;
import org.pdr4j.models.data.Dataset;
import org.pdr4j.models.data.Datasets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pdr data}: inspect the data sets a user brings. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Inspect data sets.",
        subcommands = DataCommand.Check.class, synopsisSubcommandLabel = "COMMAND")
public final class DataCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return PdrCli.EXIT_USAGE;
    }

    /** {@code pdr data check}: opens every split and reports what it found, so a download can be verified before training. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Open each split of a data set and report what was found: samples, clip shape, files, value range",
                    "over a spread of samples. Exit 1 if a split cannot be opened."})
    static final class Check implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--dataset", required = true, description = "Data set name: ${COMPLETION-CANDIDATES}.", completionCandidates = Names.class)
        String dataset;

        @Option(names = "--data-root", description = "Folder holding its files (see README, \"Data sets\").")
        Path root;

        @Option(names = "--config", description = "Take the clip (frames, size) from this config (default: the first config for the data set).")
        String config;

        @Option(names = "--samples", defaultValue = "16", description = "Samples per split read for the value range (default: ${DEFAULT-VALUE}).")
        int samples;

        static final class Names implements Iterable<String> {
            @Override public java.util.Iterator<String> iterator() { return Datasets.names().iterator(); }
        }

        @Override
        public Integer call() {
            TrainCommand.positive("--samples", samples);
            if (!Datasets.names().contains(dataset))
                throw new IllegalArgumentException("unknown --dataset '" + dataset + "' (known: " + String.join(", ", Datasets.names()) + ")");
            ModelConfig c = config != null ? Configs.get(config) : Configs.names().stream().map(Configs::get)
                    .filter(x -> x.dataset().equals(dataset)).findFirst().orElse(Configs.get("digits"));
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%s in %s, clip %d -> %d at %dx%d (config %s)%n", dataset, root == null ? "(no --data-root)" : root.toAbsolutePath().normalize(),
                    c.inFrames(), c.outFrames(), c.height(), c.width(), c.name());
            int failed = 0;
            for (String split : DataRequest.SPLITS) {
                Dataset d;
                try {
                    d = Datasets.open(dataset, new DataRequest(split, 0, root, c.inFrames(), c.outFrames(), c.height(), c.width()));
                } catch (DataFormatException e) {
                    out.printf("%-5s  FAILED: %s%n", split, e.getMessage());
                    failed++;
                    continue;
                }
                out.printf("%-5s  %d samples of [%d, %d, %d, %d] -> [%d, %d, %d, %d], values %s%n", split, d.size(),
                        d.inFrames(), d.channels(), d.height(), d.width(), d.outFrames(), d.channels(), d.height(), d.width(), d.scale());
                for (String s : d.sources()) out.println("       " + s);
                out.println("       " + range(d, samples));
                out.flush();
            }
            out.println(failed == 0 ? "ok: every split opened" : failed + " split(s) failed");
            out.flush();
            return failed == 0 ? PdrCli.EXIT_OK : PdrCli.EXIT_FAILURE;
        }

        /** Minimum, mean and maximum over {@code n} samples spread evenly over the split (inputs and targets). */
        static String range(Dataset d, int n) {
            int k = Math.min(n, d.size());
            float[] in = new float[d.inputLength()], tgt = new float[d.targetLength()];
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY, sum = 0;
            long count = 0, bad = 0;
            for (int j = 0; j < k; j++) {
                int i = (int) ((long) j * d.size() / k);
                d.fill(i, in, 0, tgt, 0);
                for (float[] a : new float[][] {in, tgt})
                    for (float v : a) {
                        if (!Float.isFinite(v)) { bad++; continue; }
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                        sum += v;
                        count++;
                    }
            }
            String s = String.format("over %d samples: min %.4g  mean %.4g  max %.4g", k, lo, sum / Math.max(1, count), hi);
            return bad == 0 ? s : s + "  (" + bad + " non-finite values!)";
        }
    }
}
