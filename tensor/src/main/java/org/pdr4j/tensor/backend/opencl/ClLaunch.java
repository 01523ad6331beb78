package org.pdr4j.tensor.backend.opencl;

import java.util.Arrays;

/**
 * Launch geometry, pure Java: global sizes are rounded up to a multiple of the work-group size,
 * so kernels must guard their index ({@code if (i >= n) return;}).
 */
public final class ClLaunch {
    private ClLaunch() {}

    /** The smallest multiple of {@code local} that is at least {@code global} (and at least {@code local}). */
    public static long roundUp(long global, long local) {
        if (local <= 0) throw new IllegalArgumentException("local size must be positive, got " + local);
        if (global < 0) throw new IllegalArgumentException("global size must be >= 0, got " + global);
        if (global == 0) return local;
        return (global + local - 1) / local * local;
    }

    /**
     * Checks an ND range and returns the global sizes rounded up to the local sizes.
     *
     * @param global work items per dimension, 1 to 3 dimensions, each >= 0
     * @param local work-group sizes (same length), or null to let the driver choose
     * @param maxWorkGroupSize the device's (or kernel's) limit on the product of local sizes
     */
    public static long[] globalSizes(long[] global, long[] local, long maxWorkGroupSize) {
        if (global == null || global.length < 1 || global.length > 3) {
            throw new IllegalArgumentException("global must have 1 to 3 dimensions, got "
                    + (global == null ? "null" : Arrays.toString(global)));
        }
        long[] out = global.clone();
        for (long g : global) if (g < 0) throw new IllegalArgumentException("global sizes must be >= 0, got " + Arrays.toString(global));
        if (local == null) {
            for (int d = 0; d < out.length; d++) out[d] = Math.max(1, out[d]);
            return out;
        }
        if (local.length != global.length) {
            throw new IllegalArgumentException("local must have " + global.length + " dimensions like global "
                    + Arrays.toString(global) + ", got " + Arrays.toString(local));
        }
        long product = 1;
        for (int d = 0; d < local.length; d++) {
            if (local[d] <= 0) throw new IllegalArgumentException("local sizes must be positive, got " + Arrays.toString(local));
            product *= local[d];
            out[d] = roundUp(global[d], local[d]);
        }
        if (product > maxWorkGroupSize) {
            throw new IllegalArgumentException("work-group " + Arrays.toString(local) + " has " + product
                    + " items, more than the device's maximum " + maxWorkGroupSize);
        }
        return out;
    }
}
