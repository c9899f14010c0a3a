package io.finegrained.search;

/** A searcher's answer to a running trial's intermediate report. */
public enum Decision {
    /** Go on training. */
    CONTINUE,
    /** Stop now: the trial's verdict is STOPPED, its metrics those of its last report. */
    STOP
}
