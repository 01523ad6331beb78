package org.pdr4j.tensor.backend.cuda;

/**
 * A CUDA driver call returned something other than {@code CUDA_SUCCESS}. The message is one
 * line: the call, the status name and code, and the driver's description when there is one,
 * e.g. {@code cuMemAlloc_v2: CUDA_ERROR_OUT_OF_MEMORY (2): out of memory}.
 */
public final class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int code;
    private final String status;

    public CudaException(String call, int code, String status, String description) {
        super(message(call, code, status, description));
        this.call = call;
        this.code = code;
        this.status = status;
    }

    static String message(String call, int code, String status, String description) {
        String s = call + ": " + status + " (" + code + ")";
        return description == null || description.isBlank() ? s : s + ": " + description.strip().replace('\n', ' ');
    }

    /** The driver function that failed, e.g. {@code cuLaunchKernel}. */
    public String call() {
        return call;
    }

    /** The CUresult code. */
    public int code() {
        return code;
    }

    /** The CUresult name, e.g. {@code CUDA_ERROR_INVALID_PTX}. */
    public String status() {
        return status;
    }
}
