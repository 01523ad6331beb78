package org.pdr4j.models.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.pdr4j.autograd.Grad;
import org.pdr4j.autograd.Var;
import org.pdr4j.models.VideoModel;
import org.pdr4j.models.data.Dataset;
import org.pdr4j.models.train.Checkpoint;
import org.pdr4j.models.viz.Gif;
import org.pdr4j.models.viz.Strips;
import org.pdr4j.nn.Module;
import org.pdr4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pdr predict}: PNG strips (input | truth | prediction) and an animated GIF per test sample. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predict test samples with a checkpoint; write a PNG strip and an animated GIF for each.")
public final class PredictCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--checkpoint", required = true, description = "A .safetensors checkpoint written by pdr train.")
    Path checkpoint;

    @Option(names = "--out", required = true, description = "Folder for sample-<i>.png and sample-<i>.gif.")
    Path out;

    @Option(names = "--samples", defaultValue = "4", description = "How many test samples (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--split", defaultValue = "test", description = "train, val or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Override
    public Integer call() throws Exception {
        TrainCommand.positive("--samples", samples);
        Checkpoint ck = Checkpoint.load(checkpoint);
        Module m = ck.buildModel();
        m.eval();
        Dataset data = ck.config().open(split, ck.state().seed());
        Files.createDirectories(out);
        PrintWriter pw = spec.commandLine().getOut();
        try (var g = Grad.noGrad()) {
            for (int i = 0; i < Math.min(samples, data.size()); i++) {
                Dataset.Sample s = data.get(i);
                Tensor in = s.input().unsqueeze(0);
                Tensor pred = ((VideoModel) m).forward(Var.constant(in)).value().squeeze(0).clamp(0, 1);
                Strips.write(Strips.strip(s.input(), s.target(), pred, true), out.resolve("sample-" + i + ".png"));
                Gif.write(out.resolve("sample-" + i + ".gif"), s.input(), s.target(), pred);
            }
        }
        pw.printf("wrote %d PNG strips and GIFs to %s%n", Math.min(samples, data.size()), out);
        pw.flush();
        return 0;
    }
}
