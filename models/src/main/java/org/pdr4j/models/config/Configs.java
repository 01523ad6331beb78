package org.pdr4j.models.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named configurations. Sizes follow OpenSTL's per-dataset configs for TAU/SimVPv2 (hid_S,
 * hid_T, N_S, N_T, lr, one-cycle schedule); Gaussian settings follow the paper where it gives them
 * (DESIGN.md). {@code digits} is our own small default, sized so that {@code pdr train} finishes in
 * about ten minutes on two cores.
 */
public final class Configs {
    private Configs() {}

    /** Model kinds the CLI accepts. */
    public static final List<String> MODELS = List.of("pdr", "tau", "gsta", "simvp");

    private static final Map<String, ModelConfig> BY_NAME = new LinkedHashMap<>();

    static {
        add(new ModelConfig("digits", "moving-digits", 10, 10, 1, 64, 64, 16, 64, 4, 4, 4.0, 0.0,
                256, 15, 4, 2e-3, 1e-2, 16, 10, "onecycle", 0, 480, 64, 128,
                "default: small enough to train in ~10 min on 2 cores", null));
        add(new ModelConfig("micro", "moving-digits", 4, 4, 1, 16, 16, 8, 16, 2, 2, 4.0, 0.1,
                16, 7, 2, 2e-3, 1e-2, 4, 1, "onecycle", 0, 16, 8, 8,
                "a few seconds per epoch: for tests and smoke runs", null));
        add(new ModelConfig("mmnist", "moving-mnist", 10, 10, 1, 64, 64, 64, 512, 4, 8, 8.0, 0.1,
                256, 15, 4, 1e-3, 1e-2, 16, 200, "onecycle", 0, 0, 0, 0,
                "OpenSTL Moving MNIST (TAU/gSTA): hid_S 64, hid_T 512, N_S 4, N_T 8, lr 1e-3, batch 16, 200 epochs", null));
        add(new ModelConfig("taxibj", "taxibj", 4, 4, 2, 32, 32, 32, 256, 2, 8, 8.0, 0.1,
                300, 15, 2, 1e-3, 1e-2, 16, 50, "onecycle", 0, 0, 0, 0,
                "OpenSTL TaxiBJ: hid_S 32, hid_T 256, N_S 2, N_T 8; paper: N 300, K 15, 2x pooling", null));
        add(new ModelConfig("weatherbench", "weatherbench", 12, 12, 1, 32, 64, 32, 256, 2, 8, 8.0, 0.1,
                300, 15, 2, 1e-3, 1e-2, 16, 50, "onecycle", 0, 0, 0, 0,
                "OpenSTL WeatherBench 5.625deg: hid_S 32, hid_T 256, N_S 2, N_T 8; paper: N 300, K 15, 2x pooling", null));
        add(new ModelConfig("kth", "kth", 10, 20, 1, 128, 128, 64, 256, 2, 6, 8.0, 0.1,
                400, 51, 8, 1e-3, 1e-2, 16, 100, "onecycle", 0, 0, 0, 0,
                "OpenSTL KTH 10->20: hid_S 64, hid_T 256, N_S 2, N_T 6; paper: N 400, K 51, 8x pooling", null));
        add(new ModelConfig("kth30", "kth", 10, 30, 1, 64, 64, 64, 256, 2, 6, 8.0, 0.1,
                400, 25, 4, 1e-3, 1e-2, 16, 100, "onecycle", 0, 0, 0, 0,
                "KTH 10->30 at 64x64 (the paper's Table 3): kth's backbone; N 400, and K and pooling halved with the frame (our reading)", null));
        add(new ModelConfig("human", "human3.6m", 4, 4, 3, 256, 256, 64, 512, 4, 6, 8.0, 0.1,
                400, 51, 16, 1e-3, 1e-2, 16, 50, "onecycle", 0, 0, 0, 0,
                "OpenSTL Human3.6M 4->4: hid_S 64, hid_T 512, N_S 4, N_T 6; paper: N 400, K 51, 16x pooling", null));
    }

    private static void add(ModelConfig c) { BY_NAME.put(c.name(), c); }

    /** The config called {@code name}; an unknown name is an IllegalArgumentException listing the known ones. */
    public static ModelConfig get(String name) {
        ModelConfig c = BY_NAME.get(name);
        if (c == null) throw new IllegalArgumentException("unknown config '" + name + "' (known: " + String.join(", ", BY_NAME.keySet()) + ")");
        return c;
    }

    public static List<String> names() { return List.copyOf(BY_NAME.keySet()); }
}
