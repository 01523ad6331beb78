package org.pdr4j.nn.io;

/** A file that is not valid safetensors; the message names the file and the problem in one line. */
public final class SafetensorsFormatException extends RuntimeException {
    public SafetensorsFormatException(String message) { super(message); }
}
