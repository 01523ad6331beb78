package org.pdr4j.tensor.backend.opencl;

import static org.jocl.CL.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_program;
import org.jocl.cl_queue_properties;

/**
 * One device's context and in-order command queue, with its program cache and buffer pool.
 * Get one from {@link OpenCl#context()}; all methods are thread-safe.
 *
 * <p>Ordering: every command goes to the same in-order queue, so a kernel sees the writes
 * enqueued before it. Writes and reads of {@code float[]} are blocking (JOCL cannot pin a heap
 * array beyond the call); {@link ClKernel#launch} is asynchronous, and a following
 * {@link #read} or {@link #finish()} waits for it.
 */
public final class ClContext implements AutoCloseable {
    /** Where {@link #program(String, String)} looks for {@code .cl} sources on the classpath. */
    public static final String RESOURCE_DIR = "/org/pdr4j/tensor/backend/opencl/";

    private final ClDevice device;
    private final cl_context context;
    private final cl_command_queue queue;
    private final Map<ProgramKey, ClProgram> programs = new ConcurrentHashMap<>();
    private final ClBufferPool pool;
    private volatile boolean closed;

    ClContext(ClDevice device) {
        this.device = device;
        try {
            cl_context_properties props = new cl_context_properties();
            props.addProperty(CL_CONTEXT_PLATFORM, device.platformId);
            context = clCreateContext(props, 1, new cl_device_id[] {device.deviceId}, null, null, null);
            queue = createQueue(context, device);
        } catch (CLException e) {
            throw ClException.wrap("creating a context on " + device.name(), e);
        }
        pool = new ClBufferPool(context, Math.min(device.globalMemBytes() / 4, 1L << 30));
    }

    @SuppressWarnings("deprecation")
    private static cl_command_queue createQueue(cl_context context, ClDevice device) {
        // clCreateCommandQueueWithProperties is 2.0+; 1.x devices still need the old call.
        if (majorVersion(device.version()) >= 2) {
            return clCreateCommandQueueWithProperties(context, device.deviceId, new cl_queue_properties(), null);
        }
        return clCreateCommandQueue(context, device.deviceId, 0, null);
    }

    /** The major version in {@code "OpenCL 3.0 ..."}; 1 if unparseable. */
    static int majorVersion(String version) {
        String[] parts = version.split("[ .]");
        try {
            return parts.length > 1 ? Integer.parseInt(parts[1]) : 1;
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    public ClDevice device() {
        return device;
    }

    /**
     * The program built from a {@code .cl} resource of this package
     * ({@value #RESOURCE_DIR}{@code name}), or from an absolute classpath path starting with '/'.
     */
    public ClProgram program(String resource, String options) {
        String path = resource.startsWith("/") ? resource : RESOURCE_DIR + resource;
        return program(ClContext.class, path, options);
    }

    /** The program built from a resource found relative to {@code anchor} (as {@link Class#getResourceAsStream}). */
    public ClProgram program(Class<?> anchor, String resource, String options) {
        return programFromSource(resource, readResource(anchor, resource), options);
    }

    /**
     * The program built from {@code source} with {@code options}, built once per (device,
     * source, options) and cached until {@link #close()}.
     *
     * @param name what error messages call the program (file name or kernel family)
     * @throws ClException with the build log when the build fails
     */
    public ClProgram programFromSource(String name, String source, String options) {
        checkOpen();
        ProgramKey key = ProgramKey.of(source, options);
        ClProgram p = programs.get(key);
        if (p != null) return p;
        synchronized (programs) {
            p = programs.get(key);
            if (p == null) {
                p = build(name, source, key.options());
                programs.put(key, p);
            }
            return p;
        }
    }

    /** How many distinct programs are cached (for tests). */
    int cachedPrograms() {
        return programs.size();
    }

    private ClProgram build(String name, String source, String options) {
        cl_program program;
        try {
            program = clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        } catch (CLException e) {
            throw ClException.wrap("creating program " + name, e);
        }
        try {
            clBuildProgram(program, 1, new cl_device_id[] {device.deviceId}, options, null, null);
        } catch (CLException e) {
            String log = buildLog(program);
            clReleaseProgram(program);
            throw new ClException("building program " + name + " on " + device.name() + (options.isEmpty() ? "" : " with '" + options + "'")
                    + " failed: " + ClStatus.describe(e.getStatus()) + "\n" + log, e.getStatus(), log, e);
        }
        return new ClProgram(this, name, program);
    }

    private String buildLog(cl_program program) {
        try {
            long[] size = new long[1];
            clGetProgramBuildInfo(program, device.deviceId, CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] buf = new byte[(int) size[0]];
            clGetProgramBuildInfo(program, device.deviceId, CL_PROGRAM_BUILD_LOG, buf.length, Pointer.to(buf), null);
            return OpenCl.cString(buf);
        } catch (CLException e) {
            return "(no build log: " + ClStatus.describe(e.getStatus()) + ")";
        }
    }

    static String readResource(Class<?> anchor, String resource) {
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalArgumentException("OpenCL source " + resource + " not on the classpath (relative to " + anchor.getName() + ")");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("reading OpenCL source " + resource + ": " + e.getMessage(), e);
        }
    }

    /** A device buffer of at least {@code floats} floats from the pool; close it to give it back. */
    public ClBuffer buffer(long floats) {
        checkOpen();
        if (floats < 0) throw new IllegalArgumentException("buffer size must be >= 0 floats, got " + floats);
        return pool.acquire(this, floats * Float.BYTES);
    }

    /** A pooled buffer holding a copy of {@code data}. */
    public ClBuffer upload(float[] data) {
        ClBuffer b = buffer(data.length);
        try {
            write(b, 0, data, 0, data.length);
        } catch (RuntimeException e) {
            b.close();
            throw e;
        }
        return b;
    }

    /** Copies {@code src[srcOff, srcOff + n)} into {@code dst} at float offset {@code dstOff}; blocking. */
    public void write(ClBuffer dst, long dstOff, float[] src, int srcOff, int n) {
        checkRange("write", dst, dstOff, src, srcOff, n);
        if (n == 0) return;
        try {
            clEnqueueWriteBuffer(queue, dst.mem(), CL_TRUE, dstOff * Float.BYTES, (long) n * Float.BYTES,
                    Pointer.to(src).withByteOffset((long) srcOff * Float.BYTES), 0, null, null);
        } catch (CLException e) {
            throw ClException.wrap("writing " + n + " floats to a buffer on " + device.name(), e);
        }
    }

    /** A pooled buffer holding a copy of {@code data} (ints are 4 bytes: {@link ClBuffer#floats()} counts them). */
    public ClBuffer upload(int[] data) {
        ClBuffer b = buffer(data.length);
        try {
            write(b, 0, data, 0, data.length);
        } catch (RuntimeException e) {
            b.close();
            throw e;
        }
        return b;
    }

    /** Copies {@code src[srcOff, srcOff + n)} into {@code dst} at 4-byte element offset {@code dstOff}; blocking. */
    public void write(ClBuffer dst, long dstOff, int[] src, int srcOff, int n) {
        if (n < 0 || dstOff < 0 || srcOff < 0 || srcOff + (long) n > src.length || dstOff + n > dst.floats()) {
            throw new IndexOutOfBoundsException("write: " + n + " ints at buffer offset " + dstOff + " (buffer holds "
                    + dst.floats() + ") and array offset " + srcOff + " (array holds " + src.length + ")");
        }
        if (n == 0) return;
        try {
            clEnqueueWriteBuffer(queue, dst.mem(), CL_TRUE, dstOff * Integer.BYTES, (long) n * Integer.BYTES,
                    Pointer.to(src).withByteOffset((long) srcOff * Integer.BYTES), 0, null, null);
        } catch (CLException e) {
            throw ClException.wrap("writing " + n + " ints to a buffer on " + device.name(), e);
        }
    }

    /** Copies {@code n} floats from {@code src} at float offset {@code srcOff} into {@code dst[dstOff...]}; waits for earlier commands. */
    public void read(ClBuffer src, long srcOff, float[] dst, int dstOff, int n) {
        checkRange("read", src, srcOff, dst, dstOff, n);
        if (n == 0) return;
        try {
            clEnqueueReadBuffer(queue, src.mem(), CL_TRUE, srcOff * Float.BYTES, (long) n * Float.BYTES,
                    Pointer.to(dst).withByteOffset((long) dstOff * Float.BYTES), 0, null, null);
        } catch (CLException e) {
            throw ClException.wrap("reading " + n + " floats from a buffer on " + device.name(), e);
        }
    }

    private static void checkRange(String what, ClBuffer b, long bufOff, float[] host, int hostOff, int n) {
        if (n < 0 || bufOff < 0 || hostOff < 0 || hostOff + (long) n > host.length || bufOff + n > b.floats()) {
            throw new IndexOutOfBoundsException(what + ": " + n + " floats at buffer offset " + bufOff + " (buffer holds "
                    + b.floats() + ") and array offset " + hostOff + " (array holds " + host.length + ")");
        }
    }

    /** Waits until every enqueued command has finished. */
    public void finish() {
        try {
            clFinish(queue);
        } catch (CLException e) {
            throw ClException.wrap("clFinish on " + device.name(), e);
        }
    }

    /** Releases pooled buffers nobody holds. */
    public void trim() {
        pool.trim();
    }

    cl_command_queue queue() {
        return queue;
    }

    cl_context clContext() {
        return context;
    }

    void checkOpen() {
        if (closed) throw new IllegalStateException("OpenCL context on " + device.name() + " is closed");
    }

    /**
     * Releases programs, pooled buffers, the queue and the context. Contexts from
     * {@link OpenCl#context} live for the process; close only ones you own.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            clFinish(queue);
        } catch (CLException ignored) {
            // releasing anyway
        }
        for (ClProgram p : programs.values()) p.release();
        programs.clear();
        pool.trim();
        clReleaseCommandQueue(queue);
        clReleaseContext(context);
    }
}
