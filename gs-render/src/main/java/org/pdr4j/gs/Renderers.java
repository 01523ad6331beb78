package org.pdr4j.gs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.pdr4j.gs.ref.BaseGridRenderer;
import org.pdr4j.gs.ref.BaseRenderer;
import org.pdr4j.gs.ref.FrameChunked;
import org.pdr4j.gs.ref.RefDirectRenderer;

/**
 * The renderer implementations by name: {@code fused} (the default), the paper's baselines,
 * {@code ref}, and {@code cuda} where a CUDA driver and device exist. {@code cuda} is probed on
 * first use, never in a static initialiser; where it cannot start, the reason is logged once
 * (by {@link org.pdr4j.tensor.backend.cuda.CudaDriver} or {@link CudaRenderer}) and
 * {@code byName("cuda")} gives {@code fused} instead, as {@code Backends} falls back to cpu.
 */
public final class Renderers {
    private Renderers() {}

    private static final Map<String, Supplier<Renderer>> BY_NAME = new LinkedHashMap<>();

    /** Elements per materialised stack in the baselines (256 MB of floats): they run frame chunks under it. */
    static final long BASELINE_BUDGET = 1L << 26;

    static {
        BY_NAME.put("fused", FusedRenderer::new);
        BY_NAME.put("base", () -> new FrameChunked(new BaseRenderer(), BASELINE_BUDGET));
        BY_NAME.put("base_grid", () -> new FrameChunked(new BaseGridRenderer(), BASELINE_BUDGET));
        BY_NAME.put("ref", RefDirectRenderer::new);
    }

    /** The name of the GPU renderer, listed by {@link #names()} only where it starts. */
    public static final String CUDA = "cuda";

    /** The renderer everything uses. */
    public static Renderer fused() {
        return new FusedRenderer();
    }

    /**
     * The renderer called {@code name}.
     *
     * @throws IllegalArgumentException listing the known names when there is none
     */
    public static Renderer byName(String name) {
        if (CUDA.equals(name)) return CudaRenderer.available() ? CudaRenderer.shared() : fused();
        Supplier<Renderer> s = BY_NAME.get(name);
        if (s == null) throw new IllegalArgumentException("unknown renderer '" + name + "'; known: " + String.join(", ", names())
                + (names().contains(CUDA) ? "" : " (and cuda, where a CUDA driver exists)"));
        return s.get();
    }

    /** Known names, the default first; {@code cuda} last, only where it starts (the first call may probe the driver). */
    public static List<String> names() {
        List<String> n = new java.util.ArrayList<>(BY_NAME.keySet());
        if (CudaRenderer.available()) n.add(CUDA);
        return List.copyOf(n);
    }
}
