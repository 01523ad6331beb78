package org.pdr4j.tensor.backend.opencl;

import static org.jocl.CL.*;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.jocl.CLException;
import org.jocl.cl_context;
import org.jocl.cl_mem;

/**
 * Device buffers by power-of-two size class (at least 256 bytes). A released buffer is kept
 * for reuse while the pool holds less than its limit, else freed; an allocation that fails
 * frees the pool and tries once more.
 */
final class ClBufferPool {
    static final long MIN_CLASS = 256;

    private final cl_context context;
    private final long limitBytes;
    private final Map<Long, ArrayDeque<cl_mem>> free = new HashMap<>();
    private long pooledBytes;

    ClBufferPool(cl_context context, long limitBytes) {
        this.context = context;
        this.limitBytes = limitBytes;
    }

    /** The size class a request of {@code bytes} is served from. */
    static long sizeClass(long bytes) {
        if (bytes <= MIN_CLASS) return MIN_CLASS;
        long c = Long.highestOneBit(bytes);
        return c == bytes ? c : c << 1;
    }

    ClBuffer acquire(ClContext owner, long bytes) {
        long cls = sizeClass(bytes);
        synchronized (this) {
            ArrayDeque<cl_mem> q = free.get(cls);
            if (q != null && !q.isEmpty()) {
                pooledBytes -= cls;
                return new ClBuffer(this, q.pop(), cls, bytes / Float.BYTES);
            }
        }
        cl_mem mem;
        try {
            mem = clCreateBuffer(context, CL_MEM_READ_WRITE, cls, null, null);
        } catch (CLException first) {
            trim();
            try {
                mem = clCreateBuffer(context, CL_MEM_READ_WRITE, cls, null, null);
            } catch (CLException e) {
                throw ClException.wrap("allocating " + cls + " bytes on " + owner.device().name(), e);
            }
        }
        return new ClBuffer(this, mem, cls, bytes / Float.BYTES);
    }

    synchronized void release(cl_mem mem, long cls) {
        if (pooledBytes + cls <= limitBytes) {
            free.computeIfAbsent(cls, k -> new ArrayDeque<>()).push(mem);
            pooledBytes += cls;
        } else {
            clReleaseMemObject(mem);
        }
    }

    synchronized long pooledBytes() {
        return pooledBytes;
    }

    synchronized void trim() {
        for (ArrayDeque<cl_mem> q : free.values()) for (cl_mem m : q) clReleaseMemObject(m);
        free.clear();
        pooledBytes = 0;
    }
}
