package org.pdr4j.tensor.backend;

/**
 * A backend (or a kernel set on it) cannot start on this machine: no driver, no device, a
 * module that does not load. The message is one line naming the cause and, where there is
 * one, the fix; {@link #status()} keeps the native status name when a native call said no.
 * Callers report it once and fall back to {@code cpu}; it is never a reason to exit.
 */
public class BackendUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String status;

    public BackendUnavailableException(String message) {
        this(message, null, null);
    }

    public BackendUnavailableException(String message, String status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The native status name (for example {@code CUDA_ERROR_NO_DEVICE}), or null when no native call failed. */
    public String status() {
        return status;
    }
}
