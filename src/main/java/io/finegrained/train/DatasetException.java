package io.finegrained.train;

/**
 * Data that cannot be read: a missing, truncated or corrupt file, a label out of range. The
 * message names the file and what was expected there.
 */
public final class DatasetException extends RuntimeException {
    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
