package org.pdr4j.models.train;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pdr4j.models.config.Configs;
import org.pdr4j.models.config.ModelConfig;
import org.pdr4j.nn.Module;
import org.pdr4j.nn.io.Safetensors;
import org.pdr4j.nn.io.SafetensorsFormatException;
import org.pdr4j.tensor.Tensor;

/**
 * A training checkpoint in one safetensors file: the model's state dict under its PyTorch names
 * (so {@code safetensors.torch.load_file} plus a prefix filter gives an OpenSTL state dict), the
 * optimiser's buffers under {@code optimizer.}, and in the metadata the model kind, the config
 * (as JSON) and the trainer state. Written atomically: a crash mid-save keeps the previous file.
 */
public record Checkpoint(String model, ModelConfig config, TrainState state,
                         LinkedHashMap<String, Tensor> weights, LinkedHashMap<String, Tensor> optimizer) {
    static final String FORMAT = "pdr4j-checkpoint/1";
    private static final String OPT = "optimizer.";
    private static final Gson GSON = new com.google.gson.GsonBuilder().serializeSpecialFloatingPointValues().create();

    public static void save(Path file, String model, ModelConfig config, TrainState state, Module m, Map<String, Tensor> optimizer)
            throws IOException {
        LinkedHashMap<String, Tensor> all = new LinkedHashMap<>(m.stateDict());
        optimizer.forEach((k, v) -> all.put(OPT + k, v));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("model", model);
        meta.put("config", GSON.toJson(config));
        meta.put("trainer", GSON.toJson(state));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Safetensors.write(file, all, meta);
    }

    /** Reads and validates a checkpoint; any problem is one IllegalArgumentException naming the file. */
    public static Checkpoint load(Path file) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("no checkpoint at " + file);
        Safetensors.Loaded l;
        try {
            l = Safetensors.read(file);
        } catch (SafetensorsFormatException e) {
            throw new IllegalArgumentException("corrupt checkpoint: " + e.getMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read checkpoint " + file + ": " + e.getMessage());
        }
        Map<String, String> meta = l.metadata();
        if (!FORMAT.equals(meta.get("format")))
            throw new IllegalArgumentException(file + " is not a pdr4j checkpoint (metadata format is " + meta.get("format") + ")");
        String model = meta.get("model");
        if (model == null || !Configs.MODELS.contains(model))
            throw new IllegalArgumentException(file + ": unknown model '" + model + "' in checkpoint");
        ModelConfig config;
        TrainState state;
        try {
            config = GSON.fromJson(meta.get("config"), ModelConfig.class);
            state = GSON.fromJson(meta.get("trainer"), TrainState.class);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(file + ": checkpoint metadata is not valid JSON: " + e.getMessage());
        }
        if (config == null || state == null) throw new IllegalArgumentException(file + ": checkpoint lacks its config or trainer state");
        LinkedHashMap<String, Tensor> w = new LinkedHashMap<>(), o = new LinkedHashMap<>();
        l.tensors().forEach((k, v) -> { if (k.startsWith(OPT)) o.put(k.substring(OPT.length()), v); else w.put(k, v); });
        return new Checkpoint(model, config, state, w, o);
    }

    /** Builds the model this checkpoint holds and loads its weights (strict). */
    public Module buildModel() {
        Module m = config.build(model, state.seed());
        try {
            m.loadStateDict(weights);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("checkpoint does not match model " + model + "/" + config.name() + ": " + e.getMessage());
        }
        return m;
    }
}
