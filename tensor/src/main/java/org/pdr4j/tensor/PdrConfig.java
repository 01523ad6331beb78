package org.pdr4j.tensor;

import java.util.Locale;

/**
 * Every system property and environment variable pdr4j reads, read in one place.
 * A property {@code -Dpdr4j.x} wins over the variable {@code PDR4J_X}.
 */
public final class PdrConfig {
    private PdrConfig() {}

    /** Raw lookup: {@code -Dpdr4j.<key>} then {@code PDR4J_<KEY>}; null when neither is set. */
    public static String get(String key) {
        String v = System.getProperty("pdr4j." + key);
        if (v == null) v = System.getenv("PDR4J_" + key.toUpperCase(Locale.ROOT).replace('.', '_'));
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** OpenCL device for the opencl backend ({@code pdr4j.opencl.device}: {@code N} or {@code opencl:N}), or null for device 0. */
    public static String openclDevice() {
        return get("opencl.device");
    }

    /** Intra-op threads: {@code pdr4j.threads}, default the available processors. */
    public static int threads() {
        String v = get("threads");
        if (v == null) return Math.max(1, Runtime.getRuntime().availableProcessors());
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) return n;
        } catch (NumberFormatException ignored) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("pdr4j.threads must be a positive integer, got '" + v + "'");
    }

    /** Requested backend name ({@code pdr4j.backend}), or null for the default priority order. */
    public static String backend() {
        return get("backend");
    }

    /**
     * Vector width cap in bits ({@code pdr4j.vectorBits}: 128, 256 or 512), or 0 to use the
     * platform's preferred species. Tests use it to force partly filled vector tails.
     */
    public static int vectorBits() {
        String v = get("vectorBits");
        if (v == null) return 0;
        return switch (v) {
            case "64", "128", "256", "512" -> Integer.parseInt(v);
            default -> throw new IllegalArgumentException("pdr4j.vectorBits must be 64, 128, 256 or 512, got '" + v + "'");
        };
    }
}
