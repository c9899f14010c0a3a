package io.finegrained.trial;

/**
 * A trial could not run because of where it ran, not because of its candidate: its program is
 * missing, its folder or log cannot be written (a full disk, a read-only mount), its data cannot
 * be read. Not a verdict (ARCHITECTURE.md, "run output"): the trial gets no journal row and runs
 * again under its id, on {@code --resume} or elsewhere, once the environment is fixed. The
 * message says what failed and where, for the person who has to fix it.
 */
public final class EnvironmentFailureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EnvironmentFailureException(String message) {
        super(message);
    }

    public EnvironmentFailureException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Always true: the same candidate may succeed once the environment is fixed. */
    public boolean retryable() {
        return true;
    }
}
