package org.pdr4j.tensor.backend.opencl;

import org.jocl.CLException;

/**
 * An OpenCL call failed. The message is one line, {@code "<what>: CL_NAME (code)"}, except for
 * program builds, whose message continues with the device's build log.
 */
public final class ClException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String buildLog;

    ClException(String message, int status, String buildLog, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.buildLog = buildLog;
    }

    /** A failed call: {@code what} says which call on which object. */
    static ClException of(String what, int status, Throwable cause) {
        return new ClException(what + ": " + ClStatus.describe(status), status, null, cause);
    }

    /** JOCL's exception (exceptions are enabled) as ours, naming the call. */
    static ClException wrap(String what, CLException e) {
        return of(what, e.getStatus(), e);
    }

    /** The OpenCL status code (negative), e.g. -5 for {@code CL_OUT_OF_RESOURCES}. */
    public int status() {
        return status;
    }

    /** {@link ClStatus#name} of {@link #status()}. */
    public String statusName() {
        return ClStatus.name(status);
    }

    /** The compiler's log for a failed program build, else null. */
    public String buildLog() {
        return buildLog;
    }
}
