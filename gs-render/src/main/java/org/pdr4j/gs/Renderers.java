package org.pdr4j.gs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.pdr4j.gs.opencl.OpenClRenderer;
import org.pdr4j.gs.ref.BaseGridRenderer;
import org.pdr4j.gs.ref.BaseRenderer;
import org.pdr4j.gs.ref.FrameChunked;
import org.pdr4j.gs.ref.RefDirectRenderer;
import org.pdr4j.tensor.backend.Backends;
import org.pdr4j.tensor.backend.Device;
import org.pdr4j.tensor.backend.cuda.CudaContext;
import org.pdr4j.tensor.backend.cuda.CudaDriver;
import org.pdr4j.tensor.backend.opencl.OpenCl;

/**
 * The renderer implementations by name: {@code fused} (the CPU default), the paper's baselines,
 * {@code ref}, {@code opencl} where an OpenCL device exists and {@code cuda} where a CUDA driver
 * and device exist. The two device renderers are probed on first use, never when the class
 * loads; {@link #names()} lists them only where they start, and {@link #byName} of one that
 * cannot start throws with the one-line reason.
 *
 * <p>{@link #current()} is the renderer of the chosen {@link Backends#device() device}: what
 * PredGS renders with. A device renderer that cannot start is reported once and {@code fused}
 * used instead, as {@code Backends} falls back to the CPU.
 */
public final class Renderers {
    private Renderers() {}

    private static final Logger LOG = Logger.getLogger(Renderers.class.getName());

    /** The OpenCL renderer's name. */
    public static final String OPENCL = "opencl";
    /** The CUDA renderer's name. */
    public static final String CUDA = "cuda";

    private static final Map<String, Supplier<Renderer>> BY_NAME = new LinkedHashMap<>();

    /** Elements per materialised stack in the baselines (256 MB of floats): they run frame chunks under it. */
    static final long BASELINE_BUDGET = 1L << 26;

    static {
        BY_NAME.put("fused", FusedRenderer::new);
        BY_NAME.put("base", () -> new FrameChunked(new BaseRenderer(), BASELINE_BUDGET));
        BY_NAME.put("base_grid", () -> new FrameChunked(new BaseGridRenderer(), BASELINE_BUDGET));
        BY_NAME.put("ref", RefDirectRenderer::new);
        BY_NAME.put(OPENCL, OpenClRenderer::new);
        BY_NAME.put(CUDA, CudaRenderer::shared);
    }

    private static Device currentDevice;
    private static Renderer currentRenderer;

    /** The CPU renderer. */
    public static Renderer fused() {
        return new FusedRenderer();
    }

    /**
     * The renderer called {@code name}.
     *
     * @throws IllegalArgumentException listing the known names when there is none
     * @throws RuntimeException with the one-line reason for {@code opencl} or {@code cuda} where
     *         they cannot start
     */
    public static Renderer byName(String name) {
        Supplier<Renderer> s = BY_NAME.get(name);
        if (s == null) throw new IllegalArgumentException("unknown renderer '" + name + "'; known: " + String.join(", ", BY_NAME.keySet())
                + " (opencl and cuda where their device exists)");
        return s.get();
    }

    /** Names of the renderers that can run here, the default first (the first call may probe OpenCL and CUDA). */
    public static List<String> names() {
        List<String> names = new ArrayList<>(BY_NAME.keySet());
        if (!OpenCl.available()) names.remove(OPENCL);
        if (!CudaRenderer.available()) names.remove(CUDA);
        return List.copyOf(names);
    }

    /**
     * The renderer of {@code d}: {@code fused} for cpu, the OpenCL or CUDA renderer on device
     * {@code N}. Where that one cannot start the reason is logged and {@code fused} returned.
     */
    public static Renderer forDevice(Device d) {
        try {
            return switch (d.kind()) {
                case "opencl" -> new OpenClRenderer(OpenCl.context(d.index()));
                case "cuda" -> d.index() == 0 ? CudaRenderer.shared() : new CudaRenderer(CudaContext.open(CudaDriver.system(), d.index()));
                default -> fused();
            };
        } catch (RuntimeException | LinkageError e) {
            LOG.warning("renderer for device " + d + " unavailable (" + e.getMessage() + "); using fused (cpu)");
            return fused();
        }
    }

    /** The renderer of the current {@link Backends#device() device}, made once per device. */
    public static synchronized Renderer current() {
        Device d = Backends.device();
        if (!d.equals(currentDevice)) {
            currentRenderer = forDevice(d);
            currentDevice = d;
        }
        return currentRenderer;
    }
}
