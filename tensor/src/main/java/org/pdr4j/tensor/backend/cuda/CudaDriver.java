package org.pdr4j.tensor.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.logging.Logger;
import org.pdr4j.tensor.PdrConfig;
import org.pdr4j.tensor.backend.BackendUnavailableException;

/**
 * The CUDA driver API as pdr4j uses it: typed methods over the raw {@link CuApi} calls, each
 * turning a non-success CUresult into a one-line {@link CudaException} that names the call and
 * the status. {@link #system()} loads the real driver ({@code libcuda.so.1}, or
 * {@code -Dpdr4j.cuda.library}) once per process; when there is none it says why, once, in
 * the log, and every later call gets the same {@link BackendUnavailableException} without
 * logging again. It never takes the process down.
 *
 * <p>Written and tested on a machine with no GPU and no driver: everything here is checked
 * against a fake {@link CuApi}; the calls into a real driver have not run.
 */
public final class CudaDriver {
    private static final Logger LOG = Logger.getLogger(CudaDriver.class.getName());

    /** {@code CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR} / {@code _MINOR} / multiprocessors. */
    public static final int ATTR_CC_MAJOR = 75, ATTR_CC_MINOR = 76, ATTR_MULTIPROCESSORS = 16;

    private final CuApi api;
    private final boolean askDriverForNames;

    /** A driver over {@code api}; {@code api} may be a fake (then names come from {@link CuResult}'s table). */
    public CudaDriver(CuApi api) {
        this(api, api instanceof CuNative);
    }

    CudaDriver(CuApi api, boolean askDriverForNames) {
        this.api = api;
        this.askDriverForNames = askDriverForNames;
    }

    public CuApi api() {
        return api;
    }

    // ---- the process-wide driver ----------------------------------------------------------

    private static final class Holder {
        static final Object RESULT = open();

        private static Object open() {
            String lib = PdrConfig.get("cuda.library");
            try {
                CudaDriver d = new CudaDriver(CuNative.open(lib != null ? lib : CuNative.LIBRARY));
                d.init();
                int n = d.deviceCount();
                if (n == 0) throw new BackendUnavailableException("no CUDA device: the driver loaded but reports 0 devices",
                        CuResult.name(CuResult.CUDA_ERROR_NO_DEVICE), null);
                return d;
            } catch (BackendUnavailableException e) {
                return report(e);
            } catch (CudaException e) {
                return report(new BackendUnavailableException("CUDA driver present but unusable: " + e.getMessage(), e.status(), e));
            } catch (RuntimeException | LinkageError e) {
                return report(new BackendUnavailableException("CUDA driver could not be bound: " + e, null, e));
            }
        }

        /** The one report per process. */
        private static BackendUnavailableException report(BackendUnavailableException e) {
            LOG.warning("cuda unavailable: " + e.getMessage() + "; the CPU paths are used instead");
            return e;
        }
    }

    /**
     * The real driver, initialised, with at least one device.
     *
     * @throws BackendUnavailableException always the same one, when there is no usable driver
     */
    public static CudaDriver system() {
        if (Holder.RESULT instanceof CudaDriver d) return d;
        throw (BackendUnavailableException) Holder.RESULT;
    }

    /** True when {@link #system()} returns a driver. The first call may log one line. */
    public static boolean available() {
        return Holder.RESULT instanceof CudaDriver;
    }

    /** Why there is no driver (one line), or null when there is one. */
    public static String unavailableReason() {
        return Holder.RESULT instanceof BackendUnavailableException e ? e.getMessage() : null;
    }

    // ---- errors ---------------------------------------------------------------------------

    /** The status name: the driver's own ({@code cuGetErrorName}) when a real driver is loaded, else the table's. */
    public String errorName(int code) {
        if (askDriverForNames) {
            String n = driverString(code, true);
            if (n != null) return n;
        }
        return CuResult.name(code);
    }

    private String driverString(int code, boolean name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            int r = name ? api.cuGetErrorName(code, out) : api.cuGetErrorString(code, out);
            MemorySegment s = out.get(ADDRESS, 0);
            if (r != CuResult.CUDA_SUCCESS || s.equals(MemorySegment.NULL)) return null;
            return s.reinterpret(4096).getString(0);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Throws a {@link CudaException} for {@code call} unless {@code code} is {@code CUDA_SUCCESS}. */
    public void check(int code, String call) {
        if (code == CuResult.CUDA_SUCCESS) return;
        throw new CudaException(call, code, errorName(code), askDriverForNames ? driverString(code, false) : null);
    }

    // ---- device ---------------------------------------------------------------------------

    public void init() {
        check(api.cuInit(0), "cuInit");
    }

    /** The driver's CUDA version, e.g. 13000 for 13.0. */
    public int driverVersion() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            check(api.cuDriverGetVersion(v), "cuDriverGetVersion");
            return v.get(JAVA_INT, 0);
        }
    }

    public int deviceCount() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            check(api.cuDeviceGetCount(v), "cuDeviceGetCount");
            return v.get(JAVA_INT, 0);
        }
    }

    /** The CUdevice of {@code ordinal}. */
    public int device(int ordinal) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            check(api.cuDeviceGet(v, ordinal), "cuDeviceGet");
            return v.get(JAVA_INT, 0);
        }
    }

    public String deviceName(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(256);
            check(api.cuDeviceGetName(v, 256, device), "cuDeviceGetName");
            return v.getString(0);
        }
    }

    public long totalMemory(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_LONG);
            check(api.cuDeviceTotalMem_v2(v, device), "cuDeviceTotalMem_v2");
            return v.get(JAVA_LONG, 0);
        }
    }

    public int attribute(int attribute, int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            check(api.cuDeviceGetAttribute(v, attribute, device), "cuDeviceGetAttribute");
            return v.get(JAVA_INT, 0);
        }
    }

    /** Compute capability as {@code major * 10 + minor} (90 for an H100). */
    public int computeCapability(int device) {
        return attribute(ATTR_CC_MAJOR, device) * 10 + attribute(ATTR_CC_MINOR, device);
    }

    // ---- context --------------------------------------------------------------------------

    /** The device's primary context (retained: pair with {@link #releasePrimaryContext}). */
    public MemorySegment retainPrimaryContext(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(ADDRESS);
            check(api.cuDevicePrimaryCtxRetain(v, device), "cuDevicePrimaryCtxRetain");
            return v.get(ADDRESS, 0);
        }
    }

    public void releasePrimaryContext(int device) {
        check(api.cuDevicePrimaryCtxRelease_v2(device), "cuDevicePrimaryCtxRelease_v2");
    }

    /** Makes {@code context} current on the calling thread (CUDA contexts are per thread). */
    public void setCurrent(MemorySegment context) {
        check(api.cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    /** Waits for all work on the current context; launch errors surface here. */
    public void synchronize() {
        check(api.cuCtxSynchronize(), "cuCtxSynchronize");
    }

    // ---- modules --------------------------------------------------------------------------

    /** Loads a module from PTX text (JIT-compiled by the driver for the current device). */
    public MemorySegment loadModule(String ptx) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            check(api.cuModuleLoadData(out, a.allocateFrom(ptx)), "cuModuleLoadData");
            return out.get(ADDRESS, 0);
        }
    }

    public void unloadModule(MemorySegment module) {
        check(api.cuModuleUnload(module), "cuModuleUnload");
    }

    /** The kernel {@code name} (an {@code extern "C"} {@code .entry}) of {@code module}. */
    public MemorySegment function(MemorySegment module, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            check(api.cuModuleGetFunction(out, module, a.allocateFrom(name)), "cuModuleGetFunction(" + name + ")");
            return out.get(ADDRESS, 0);
        }
    }

    // ---- memory ---------------------------------------------------------------------------

    /** {@code bytes} of device memory (at least 1); free with {@link #free}. */
    public long alloc(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("bytes must be >= 0, got " + bytes);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_LONG);
            check(api.cuMemAlloc_v2(out, Math.max(1, bytes)), "cuMemAlloc_v2(" + bytes + " bytes)");
            return out.get(JAVA_LONG, 0);
        }
    }

    public void free(long devicePtr) {
        check(api.cuMemFree_v2(devicePtr), "cuMemFree_v2");
    }

    public void copyToDevice(long dst, MemorySegment src, long bytes) {
        check(api.cuMemcpyHtoD_v2(dst, src, bytes), "cuMemcpyHtoD_v2");
    }

    public void copyToHost(MemorySegment dst, long src, long bytes) {
        check(api.cuMemcpyDtoH_v2(dst, src, bytes), "cuMemcpyDtoH_v2");
    }

    public void memsetD8(long dst, byte value, long count) {
        check(api.cuMemsetD8_v2(dst, value, count), "cuMemsetD8_v2");
    }

    /** Sets {@code count} 32-bit words; {@code memsetD32(p, 0, n)} zeroes n floats. */
    public void memsetD32(long dst, int value, long count) {
        check(api.cuMemsetD32_v2(dst, value, count), "cuMemsetD32_v2");
    }

    // ---- launch ---------------------------------------------------------------------------

    /**
     * Launches {@code function} on the default stream with {@code args} packed in a confined
     * arena that is closed when the call returns (the driver copies parameter values at launch).
     */
    public void launch(MemorySegment function, String name, LaunchGeometry g, KernelArgs args) {
        try (Arena a = Arena.ofConfined()) {
            check(api.cuLaunchKernel(function, g.gridX(), g.gridY(), g.gridZ(), g.blockX(), g.blockY(), g.blockZ(),
                    g.sharedBytes(), MemorySegment.NULL, args.pack(a), MemorySegment.NULL), "cuLaunchKernel(" + name + ", " + g + ")");
        }
    }
}
