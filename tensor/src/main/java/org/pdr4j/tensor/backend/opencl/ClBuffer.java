package org.pdr4j.tensor.backend.opencl;

import org.jocl.cl_mem;

/**
 * A device buffer from a {@link ClContext}'s pool. It may be larger than asked for (pool size
 * classes are powers of two); {@link #floats()} is the size requested. {@link #close()} gives it
 * back to the pool for reuse; closing twice is harmless, use after close is an error.
 */
public final class ClBuffer implements AutoCloseable {
    private final ClBufferPool pool;
    private final cl_mem mem;
    private final long capacityBytes;
    private final long floats;
    private boolean closed;

    ClBuffer(ClBufferPool pool, cl_mem mem, long capacityBytes, long floats) {
        this.pool = pool;
        this.mem = mem;
        this.capacityBytes = capacityBytes;
        this.floats = floats;
    }

    /** The number of floats requested: the valid range for reads and writes. */
    public long floats() {
        return floats;
    }

    /** The allocation's real size (its pool size class). */
    public long capacityBytes() {
        return capacityBytes;
    }

    synchronized cl_mem mem() {
        if (closed) throw new IllegalStateException("OpenCL buffer of " + floats + " floats used after close");
        return mem;
    }

    /** Returns the buffer to its pool. Commands already enqueued on it still complete first (in-order queue). */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        pool.release(mem, capacityBytes);
    }
}
