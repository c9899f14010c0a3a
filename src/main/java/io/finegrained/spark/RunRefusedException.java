package io.finegrained.spark;

/**
 * The run cannot start in the requested directory: it is in use, it holds a run and
 * {@code --resume} was not given, or its run was made with another configuration. The message
 * says what to do; the CLI exits with status 2.
 */
public final class RunRefusedException extends RuntimeException {
    public RunRefusedException(String message) {
        super(message);
    }
}
