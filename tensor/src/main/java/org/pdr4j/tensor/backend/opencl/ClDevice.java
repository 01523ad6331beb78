package org.pdr4j.tensor.backend.opencl;

import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * One OpenCL device as discovered: its index in {@link OpenCl#devices()} (what {@code opencl:N}
 * names), and what the driver reports about it.
 */
public final class ClDevice {
    private final int index;
    private final String platform;
    private final String name;
    private final String vendor;
    private final String type;
    private final String version;
    private final int computeUnits;
    private final long globalMemBytes;
    private final long localMemBytes;
    private final long maxWorkGroupSize;
    final cl_platform_id platformId;
    final cl_device_id deviceId;

    ClDevice(int index, String platform, String name, String vendor, String type, String version, int computeUnits,
            long globalMemBytes, long localMemBytes, long maxWorkGroupSize, cl_platform_id platformId, cl_device_id deviceId) {
        this.index = index;
        this.platform = platform;
        this.name = name;
        this.vendor = vendor;
        this.type = type;
        this.version = version;
        this.computeUnits = computeUnits;
        this.globalMemBytes = globalMemBytes;
        this.localMemBytes = localMemBytes;
        this.maxWorkGroupSize = maxWorkGroupSize;
        this.platformId = platformId;
        this.deviceId = deviceId;
    }

    /** Position in {@link OpenCl#devices()}: {@code opencl:index}. */
    public int index() { return index; }
    /** The platform's name, e.g. {@code "Portable Computing Language"}. */
    public String platform() { return platform; }
    public String name() { return name; }
    public String vendor() { return vendor; }
    /** {@code CPU}, {@code GPU}, {@code ACCELERATOR}, {@code CUSTOM} (joined with '+' if several). */
    public String type() { return type; }
    /** {@code CL_DEVICE_VERSION}, e.g. {@code "OpenCL 3.0 PoCL ..."}. */
    public String version() { return version; }
    public int computeUnits() { return computeUnits; }
    public long globalMemBytes() { return globalMemBytes; }
    /** {@code __local} memory per work-group. */
    public long localMemBytes() { return localMemBytes; }
    /** Largest product of local sizes a work-group may have. */
    public long maxWorkGroupSize() { return maxWorkGroupSize; }

    /** One line: {@code opencl:0 cpu-haswell-... (CPU, pocl, 2 CU, 7.6 GiB) on Portable Computing Language}. */
    @Override
    public String toString() {
        return String.format("opencl:%d %s (%s, %s, %d CU, %.1f GiB) on %s", index, name, type, vendor, computeUnits,
                globalMemBytes / (1024.0 * 1024 * 1024), platform);
    }
}
