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

    @Option(names = "--data-root", description = "Where the data set's files are now (default: the folder the run was trained from).")
    Path dataRoot;

    @Override
    public Integer call() throws Exception {
        TrainCommand.positive("--samples", samples);
        Checkpoint ck = Checkpoint.load(checkpoint);
        Module m = ck.buildModel();
        m.eval();
        Dataset data = TrainCommand.withRoot(ck.config(), dataRoot).open(split, ck.state().seed());
        Files.createDirectories(out);
        PrintWriter pw = spec.commandLine().getOut();
        try (var g = Grad.noGrad()) {
            for (int i = 0; i < Math.min(samples, data.size()); i++) {
                Dataset.Sample s = data.get(i);
                Tensor in = s.input().unsqueeze(0);
                Tensor pred = ((VideoModel) m).forward(Var.constant(in)).value().squeeze(0);
                Tensor[] shown = forDisplay(data.scale().bounded(), s.input(), s.target(), pred);
                Strips.write(Strips.strip(shown[0], shown[1], shown[2], true), out.resolve("sample-" + i + ".png"));
                Gif.write(out.resolve("sample-" + i + ".gif"), shown[0], shown[1], shown[2]);
            }
        }
        if (!data.scale().bounded()) pw.println("values are z-scored: each sample is shown stretched from its input and truth's minimum to maximum");
        pw.printf("wrote %d PNG strips and GIFs to %s%n", Math.min(samples, data.size()), out);
        pw.flush();
        return 0;
    }

    /**
     * Input, truth and prediction in [0, 1] for images: clamped for bounded data; for z-scored data
     * stretched linearly so the sample's input and truth span [0, 1] (the prediction on the same scale).
     */
    static Tensor[] forDisplay(boolean bounded, Tensor input, Tensor truth, Tensor pred) {
        if (bounded) return new Tensor[] {input, truth, pred.clamp(0, 1)};
        double lo = Math.min(input.min(null, false).item(), truth.min(null, false).item()), hi = Math.max(input.max().item(), truth.max().item());
        double span = hi > lo ? hi - lo : 1;
        Tensor[] out = {input, truth, pred};
        for (int k = 0; k < 3; k++) out[k] = out[k].sub(lo).div(span).clamp(0, 1);
        return out;
    }
}
