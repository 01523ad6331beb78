package org.pdr4j.tensor;

/** Bad shapes, axes or indices passed to a tensor op. The message names the op and the shapes. */
public class ShapeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ShapeException(String message) {
        super(message);
    }
}
