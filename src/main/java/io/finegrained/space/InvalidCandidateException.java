package io.finegrained.space;

/** A set of hyper-parameter values that gives no valid network; the message says why. */
public final class InvalidCandidateException extends RuntimeException {
    public InvalidCandidateException(String message) {
        super(message);
    }
}
