package org.pdr4j.tensor.backend.cuda;

import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

/** A loaded PTX module and the kernels looked up in it (by {@code .entry} name); {@link #close()} unloads it. */
public final class CudaModule implements AutoCloseable {
    private final CudaDriver driver;
    private final String name;
    private final MemorySegment handle;
    private final Map<String, MemorySegment> functions = new HashMap<>();
    private boolean closed;

    CudaModule(CudaDriver driver, String name, String ptx) {
        this.driver = driver;
        this.name = name;
        this.handle = driver.loadModule(ptx);
    }

    public String name() {
        return name;
    }

    /** The kernel {@code entry}, looked up once. */
    public synchronized MemorySegment function(String entry) {
        if (closed) throw new IllegalStateException("module " + name + " already unloaded");
        return functions.computeIfAbsent(entry, e -> driver.function(handle, e));
    }

    /** Launches {@code entry} with {@code args} under {@code geometry}. */
    public void launch(String entry, LaunchGeometry geometry, KernelArgs args) {
        driver.launch(function(entry), entry, geometry, args);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        functions.clear();
        driver.unloadModule(handle);
    }
}
