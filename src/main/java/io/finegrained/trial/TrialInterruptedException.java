package io.finegrained.trial;

/**
 * The trial's thread was interrupted because its job was cancelled (a stop, Ctrl-C). Not a
 * result: the candidate did not finish and stays unjournaled, so a resumed run runs it again.
 */
public final class TrialInterruptedException extends RuntimeException {
    public TrialInterruptedException(String message) {
        super(message);
    }
}
