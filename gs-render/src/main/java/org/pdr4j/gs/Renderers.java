package org.pdr4j.gs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.pdr4j.gs.opencl.OpenClRenderer;
import org.pdr4j.gs.ref.BaseGridRenderer;
import org.pdr4j.gs.ref.BaseRenderer;
import org.pdr4j.gs.ref.FrameChunked;
import org.pdr4j.gs.ref.RefDirectRenderer;
import org.pdr4j.tensor.backend.opencl.OpenCl;

/**
 * The renderer implementations by name: {@code fused} (the default), the paper's baselines,
 * {@code ref}, and {@code opencl} where an OpenCL device exists (probed on the first call to
 * {@link #names()} or {@code byName("opencl")}, never when the class loads).
 */
public final class Renderers {
    private Renderers() {}

    /** Listed only when {@link OpenCl#available()}; without a device, {@code byName} says why in one line. */
    private static final String OPENCL = "opencl";

    private static final Map<String, Supplier<Renderer>> BY_NAME = new LinkedHashMap<>();

    /** Elements per materialised stack in the baselines (256 MB of floats): they run frame chunks under it. */
    static final long BASELINE_BUDGET = 1L << 26;

    static {
        BY_NAME.put("fused", FusedRenderer::new);
        BY_NAME.put("base", () -> new FrameChunked(new BaseRenderer(), BASELINE_BUDGET));
        BY_NAME.put("base_grid", () -> new FrameChunked(new BaseGridRenderer(), BASELINE_BUDGET));
        BY_NAME.put("ref", RefDirectRenderer::new);
        BY_NAME.put(OPENCL, OpenClRenderer::new);
    }

    /** The renderer everything uses. */
    public static Renderer fused() {
        return new FusedRenderer();
    }

    /**
     * The renderer called {@code name}.
     *
     * @throws IllegalArgumentException listing the known names when there is none
     * @throws IllegalStateException with the reason, for {@code opencl} without an OpenCL device
     */
    public static Renderer byName(String name) {
        Supplier<Renderer> s = BY_NAME.get(name);
        if (s == null) throw new IllegalArgumentException("unknown renderer '" + name + "'; known: " + String.join(", ", names()));
        return s.get();
    }

    /** Known names, the default first; {@code opencl} only where a device exists. */
    public static List<String> names() {
        List<String> names = new ArrayList<>(BY_NAME.keySet());
        if (!OpenCl.available()) names.remove(OPENCL);
        return List.copyOf(names);
    }
}
