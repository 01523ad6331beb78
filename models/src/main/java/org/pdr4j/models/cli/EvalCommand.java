package org.pdr4j.models.cli;

import com.google.gson.GsonBuilder;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pdr4j.models.train.Checkpoint;
import org.pdr4j.models.train.Evaluation;
import org.pdr4j.nn.Module;
import org.pdr4j.tensor.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pdr eval}: OpenSTL-style metrics of a checkpoint on the test split. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a checkpoint on the test split: MSE, MAE, RMSE (summed over pixels, per frame, as OpenSTL),",
                "SSIM (11x11 Gaussian), PSNR; for z-scored data (WeatherBench) also per-pixel errors in physical units",
                "(kelvin). Printed and written as JSON."})
public final class EvalCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--checkpoint", required = true, description = "A .safetensors checkpoint written by pdr train.")
    Path checkpoint;

    @Option(names = "--split", defaultValue = "test", description = "train, val or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--json", description = "Where to write the metrics (default: eval-<split>.json beside the checkpoint).")
    Path json;

    @Option(names = "--batch", defaultValue = "16", description = "Evaluation batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--data-root", description = "Where the data set's files are now (default: the folder the run was trained from).")
    Path dataRoot;

    @Override
    public Integer call() throws Exception {
        TrainCommand.positive("--batch", batch);
        Checkpoint ck = Checkpoint.load(checkpoint);
        Module m = ck.buildModel();
        var data = TrainCommand.withRoot(ck.config(), dataRoot).open(split, ck.state().seed());
        Evaluation.Scored r = Evaluation.evaluate(m, data, batch, null);
        Evaluation.Scored copy = Evaluation.copyLastFrame(data, batch);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s %s on %s (%d samples)%n", ck.model(), ck.config().name(), data.name(), data.size());
        out.println("model:           " + r.summary());
        out.println("copy last frame: " + copy.summary());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("checkpoint", checkpoint.toString());
        doc.put("model", ck.model());
        doc.put("config", ck.config().name());
        doc.put("split", split);
        doc.put("samples", data.size());
        doc.put("metrics", r.metrics());
        if (r.physical() != null) doc.put("physical", r.physical());
        doc.put("copy_last_frame", copy.metrics());
        if (copy.physical() != null) doc.put("copy_last_frame_physical", copy.physical());
        Path f = json != null ? json : checkpoint.toAbsolutePath().resolveSibling("eval-" + split + ".json");
        byte[] bytes = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(doc).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(f, o -> o.write(bytes));
        out.println("wrote " + f);
        out.flush();
        return 0;
    }

}
