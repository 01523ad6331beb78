package org.pdr4j.tensor.backend.opencl;

import static org.jocl.CL.*;

import org.jocl.CLException;
import org.jocl.cl_program;

/** A built program, cached by its {@link ClContext}; make kernels from it. */
public final class ClProgram {
    private final ClContext context;
    private final String name;
    private final cl_program program;

    ClProgram(ClContext context, String name, cl_program program) {
        this.context = context;
        this.name = name;
        this.program = program;
    }

    /** The name given when building (resource or family name). */
    public String name() {
        return name;
    }

    /**
     * A new kernel object for the {@code __kernel} function {@code kernelName}. Kernel objects
     * hold their arguments, so use one per thread (they are cheap) and close it when done.
     */
    public ClKernel kernel(String kernelName) {
        context.checkOpen();
        try {
            return new ClKernel(context, name + ":" + kernelName, clCreateKernel(program, kernelName, null));
        } catch (CLException e) {
            throw ClException.wrap("creating kernel " + kernelName + " of " + name, e);
        }
    }

    void release() {
        clReleaseProgram(program);
    }
}
