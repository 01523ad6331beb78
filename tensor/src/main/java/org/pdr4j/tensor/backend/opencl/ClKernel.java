package org.pdr4j.tensor.backend.opencl;

import static org.jocl.CL.*;

import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;

/**
 * A kernel with its arguments. Setters return {@code this}, so a launch reads
 * {@code k.arg(0, buf).arg(1, n).launch1d(n, 64)}. Not for sharing between threads while
 * arguments are being set (methods are synchronized, but arguments set by one thread would be
 * seen by another's launch).
 */
public final class ClKernel implements AutoCloseable {
    private final ClContext context;
    private final String name;
    private final cl_kernel kernel;
    private boolean closed;

    ClKernel(ClContext context, String name, cl_kernel kernel) {
        this.context = context;
        this.name = name;
        this.kernel = kernel;
    }

    /** {@code program:kernel}. */
    public String name() {
        return name;
    }

    /** Sets a {@code __global float*} (or any buffer) argument. */
    public synchronized ClKernel arg(int index, ClBuffer buffer) {
        return set(index, Sizeof.cl_mem, Pointer.to(buffer.mem()), "buffer");
    }

    /** Sets an {@code int} argument. */
    public synchronized ClKernel arg(int index, int value) {
        return set(index, Sizeof.cl_int, Pointer.to(new int[] {value}), "int " + value);
    }

    /** Sets a {@code float} argument. */
    public synchronized ClKernel arg(int index, float value) {
        return set(index, Sizeof.cl_float, Pointer.to(new float[] {value}), "float " + value);
    }

    /** Sets a {@code long} argument. */
    public synchronized ClKernel arg(int index, long value) {
        return set(index, Sizeof.cl_long, Pointer.to(new long[] {value}), "long " + value);
    }

    /** Sets a {@code __local float*} argument of {@code floats} floats per work-group. */
    public synchronized ClKernel local(int index, int floats) {
        return set(index, (long) floats * Float.BYTES, null, "__local " + floats + " floats");
    }

    private ClKernel set(int index, long size, Pointer p, String what) {
        checkOpen();
        try {
            clSetKernelArg(kernel, index, size, p);
        } catch (CLException e) {
            throw ClException.wrap("setting argument " + index + " (" + what + ") of " + name, e);
        }
        return this;
    }

    /**
     * The largest work-group this kernel can run with on its device
     * ({@code CL_KERNEL_WORK_GROUP_SIZE}; at most the device's limit, less for kernels that
     * use many registers or much local memory).
     */
    public synchronized long maxWorkGroupSize() {
        checkOpen();
        long[] v = new long[1];
        try {
            clGetKernelWorkGroupInfo(kernel, context.device().deviceId, CL_KERNEL_WORK_GROUP_SIZE, Sizeof.size_t, Pointer.to(v), null);
        } catch (CLException e) {
            throw ClException.wrap("querying the work-group size of " + name, e);
        }
        return v[0];
    }

    /** {@link #launch} over one dimension: {@code n} items rounded up to a multiple of {@code local}. */
    public ClKernel launch1d(long n, int local) {
        return launch(new long[] {n}, new long[] {local});
    }

    /**
     * Enqueues the kernel over an ND range (asynchronous; in order with the context's other
     * commands). Global sizes are rounded up to multiples of {@code local}
     * ({@link ClLaunch#globalSizes}); the kernel must ignore items past its real size.
     *
     * @param global items per dimension (1 to 3)
     * @param local work-group sizes, or null to let the driver choose
     */
    public synchronized ClKernel launch(long[] global, long[] local) {
        checkOpen();
        long[] g = ClLaunch.globalSizes(global, local, local == null ? Long.MAX_VALUE : maxWorkGroupSize());
        try {
            clEnqueueNDRangeKernel(context.queue(), kernel, g.length, null, g, local == null ? null : local.clone(), 0, null, null);
        } catch (CLException e) {
            throw ClException.wrap("launching " + name + " over " + java.util.Arrays.toString(g)
                    + (local == null ? "" : " in groups of " + java.util.Arrays.toString(local)), e);
        }
        return this;
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("kernel " + name + " is closed");
        context.checkOpen();
    }

    /** Releases the kernel object (launches already enqueued still run). */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        clReleaseKernel(kernel);
    }
}
