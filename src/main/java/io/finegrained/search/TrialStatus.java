package io.finegrained.search;

/** How a trial ended. */
public enum TrialStatus {
    OK,
    FAILED
}
