package org.pdr4j.tensor.backend.cuda;

import java.lang.foreign.MemorySegment;

/**
 * One device's primary context, retained for as long as this object is open. CUDA contexts
 * are current per thread, so every entry point that launches work calls {@link #bind()} on its
 * own thread first.
 *
 * <p>Not run on a real GPU where it was written; tested against a fake {@link CuApi}.
 */
public final class CudaContext implements AutoCloseable {
    private final CudaDriver driver;
    private final int device;
    private final MemorySegment context;
    private final String deviceName;
    private final int computeCapability;
    private boolean closed;

    private CudaContext(CudaDriver driver, int device) {
        this.driver = driver;
        this.device = device;
        this.deviceName = driver.deviceName(device);
        this.computeCapability = driver.computeCapability(device);
        this.context = driver.retainPrimaryContext(device);
        try {
            driver.setCurrent(context);
        } catch (RuntimeException e) {
            driver.releasePrimaryContext(device);
            throw e;
        }
    }

    /** Opens device {@code ordinal} (0 is the first) on {@code driver}. */
    public static CudaContext open(CudaDriver driver, int ordinal) {
        int n = driver.deviceCount();
        if (ordinal < 0 || ordinal >= n) {
            throw new IllegalArgumentException("CUDA device " + ordinal + " does not exist; the driver reports " + n);
        }
        return new CudaContext(driver, driver.device(ordinal));
    }

    public CudaDriver driver() {
        return driver;
    }

    public int device() {
        return device;
    }

    public String deviceName() {
        return deviceName;
    }

    /** {@code major * 10 + minor}. */
    public int computeCapability() {
        return computeCapability;
    }

    /** Makes this context current on the calling thread. */
    public void bind() {
        if (closed) throw new IllegalStateException("CUDA context already closed");
        driver.setCurrent(context);
    }

    /** Loads PTX text as a module (the driver JIT-compiles it for this device). */
    public CudaModule load(String name, String ptx) {
        bind();
        return new CudaModule(driver, name, ptx);
    }

    /** {@code bytes} of device memory. */
    public DeviceBuffer alloc(long bytes) {
        return new DeviceBuffer(driver, bytes);
    }

    /** A new buffer holding {@code data}. */
    public DeviceBuffer upload(float[] data) {
        DeviceBuffer b = alloc((long) data.length * Float.BYTES);
        try {
            b.upload(data);
            return b;
        } catch (RuntimeException e) {
            b.close();
            throw e;
        }
    }

    public void synchronize() {
        driver.synchronize();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        driver.releasePrimaryContext(device);
    }

    @Override
    public String toString() {
        return deviceName + " (sm_" + computeCapability + ")";
    }
}
