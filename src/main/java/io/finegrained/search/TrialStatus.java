package io.finegrained.search;

/** How a trial ended. */
public enum TrialStatus {
    /** Trained its budget and reported its metrics. */
    OK,
    /** The candidate's own failure (it does not fit, a NaN loss, its program's error); the reason is kept. */
    FAILED,
    /** Stopped early by a multi-fidelity rule; its metrics are those of the last rung it reached. */
    STOPPED
}
