package org.pdr4j.models.data;

/**
 * A data set's files are missing, malformed or not what the request needs. The message is one line
 * that names the file (or folder) and what was expected, fit to show a user as it is.
 */
public class DataFormatException extends IllegalArgumentException {
    public DataFormatException(String message) {
        super(message);
    }

    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
