package org.pdr4j.tensor.backend;

import java.util.List;

/**
 * Where compute runs, as users spell it: {@code cpu}, {@code opencl[:N]} or {@code cuda[:N]}
 * ({@code N} the device index within that API, default 0). The tensor backend and the renderer
 * are both chosen from it, in {@link Backends}: {@code opencl} runs tensor ops and the renderer
 * on an OpenCL device; {@code cuda} runs the renderer through the CUDA driver and tensor ops on
 * the CPU (the CUDA path covers the rasterizer only).
 *
 * @param kind  "cpu", "opencl" or "cuda"
 * @param index device index within {@code kind}; 0 for cpu
 */
public record Device(String kind, int index) {
    /** The kinds, in the order {@code --help} lists them. */
    public static final List<String> KINDS = List.of("cpu", "opencl", "cuda");

    /** The default: the CPU. */
    public static final Device CPU = new Device("cpu", 0);

    public Device {
        if (!KINDS.contains(kind)) throw new IllegalArgumentException("unknown device kind '" + kind + "' (known: cpu, opencl[:N], cuda[:N])");
        if (index < 0 || (kind.equals("cpu") && index != 0)) throw new IllegalArgumentException("bad device index " + index + " for " + kind);
    }

    /**
     * Parses {@code cpu}, {@code opencl}, {@code opencl:2}, {@code cuda:0}, ...
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static Device parse(String s) {
        if (s == null) throw new IllegalArgumentException("device must not be null (cpu, opencl[:N], cuda[:N])");
        String t = s.strip().toLowerCase(java.util.Locale.ROOT);
        int colon = t.indexOf(':');
        String kind = colon < 0 ? t : t.substring(0, colon);
        if (!KINDS.contains(kind) || (kind.equals("cpu") && colon >= 0))
            throw new IllegalArgumentException("unknown device '" + s + "' (known: cpu, opencl[:N], cuda[:N])");
        if (colon < 0) return new Device(kind, 0);
        try {
            int n = Integer.parseInt(t.substring(colon + 1));
            if (n >= 0) return new Device(kind, n);
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("bad device index in '" + s + "': expected " + kind + ":N with N >= 0");
    }

    @Override
    public String toString() {
        return kind.equals("cpu") ? "cpu" : kind + ":" + index;
    }
}
