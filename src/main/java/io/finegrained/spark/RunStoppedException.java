package io.finegrained.spark;

/**
 * The run stopped before its budget was spent: too many failures in a generation, a trial that
 * does not report an objective, an interruption, or a Spark failure. The journal is consistent
 * and the message says how to continue ({@code --resume}).
 */
public final class RunStoppedException extends RuntimeException {
    private final boolean userError;

    public RunStoppedException(String message, boolean userError, Throwable cause) {
        super(message, cause);
        this.userError = userError;
    }

    /** True when the user must change the configuration or the trial program (the CLI exits 2). */
    public boolean userError() {
        return userError;
    }
}
