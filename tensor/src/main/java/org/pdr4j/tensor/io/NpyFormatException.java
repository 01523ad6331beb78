package org.pdr4j.tensor.io;

/**
 * A {@code .npy}/{@code .npz} file that cannot be read as asked: missing, not NPY/NPZ,
 * truncated, of an unsupported dtype or layout, or without the requested array. The message
 * starts with the file (and the array, for an {@code .npz}) and names the problem in one line.
 *
 * <p>It is an {@link IllegalArgumentException} because the input is at fault, not the machine;
 * genuine I/O failures are reported as {@link java.io.IOException}.
 */
public class NpyFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public NpyFormatException(String message) {
        super(message);
    }

    public NpyFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
