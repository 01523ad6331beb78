package org.pdr4j.nn.io;

/** A file that is not valid safetensors; the message is one line naming the file and the problem. */
public final class SafetensorsFormatException extends RuntimeException {
    public SafetensorsFormatException(String message) { super(message); }
}
