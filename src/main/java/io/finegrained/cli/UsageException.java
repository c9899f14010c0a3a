package io.finegrained.cli;

/** A wrong command-line request (a directory in use, an option combination): exit 2, message only. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
