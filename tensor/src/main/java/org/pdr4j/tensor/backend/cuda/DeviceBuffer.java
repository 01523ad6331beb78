package org.pdr4j.tensor.backend.cuda;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Device memory owned by Java: {@code bytes} at device address {@link #ptr()}, freed by
 * {@link #close()} (try-with-resources; no finalizer). Copies go through a confined host arena.
 */
public final class DeviceBuffer implements AutoCloseable {
    private final CudaDriver driver;
    private final long ptr, bytes;
    private boolean closed;

    DeviceBuffer(CudaDriver driver, long bytes) {
        this.driver = driver;
        this.bytes = bytes;
        this.ptr = driver.alloc(bytes);
    }

    /** The device address ({@code CUdeviceptr}), what a kernel's pointer parameter gets. */
    public long ptr() {
        if (closed) throw new IllegalStateException("device buffer already freed");
        return ptr;
    }

    public long bytes() {
        return bytes;
    }

    /** Copies {@code src} (at most {@link #bytes()} / 4 floats) to the start of the buffer. */
    public void upload(float[] src) {
        long n = (long) src.length * Float.BYTES;
        if (n > bytes) throw new IllegalArgumentException(src.length + " floats do not fit a " + bytes + "-byte buffer");
        if (n == 0) return;
        try (Arena a = Arena.ofConfined()) {
            driver.copyToDevice(ptr(), a.allocateFrom(JAVA_FLOAT, src), n);
        }
    }

    /** Copies the first {@code dst.length} floats of the buffer into {@code dst}. */
    public void download(float[] dst) {
        long n = (long) dst.length * Float.BYTES;
        if (n > bytes) throw new IllegalArgumentException(dst.length + " floats are more than a " + bytes + "-byte buffer holds");
        if (n == 0) return;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment host = a.allocate(JAVA_FLOAT, dst.length);
            driver.copyToHost(host, ptr(), n);
            MemorySegment.copy(host, JAVA_FLOAT, 0, dst, 0, dst.length);
        }
    }

    /** Zeroes the buffer ({@code cuMemsetD8}; any length). */
    public void zero() {
        driver.memsetD8(ptr(), (byte) 0, bytes);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        driver.free(ptr);
    }
}
