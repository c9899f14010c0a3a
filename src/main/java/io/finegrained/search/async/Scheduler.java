package io.finegrained.search.async;

import io.finegrained.search.Decision;

/**
 * A multi-fidelity rule: where a new trial first reports, and at each rung whether it trains on.
 * Trials are known by their index in proposal order (the loop's ids). It sees objective vectors
 * only, each turned to "smaller is better" ({@code null}: the trial cannot be compared, a missing
 * or non-finite objective). Deterministic: the same calls in the same order give the same answers,
 * which is what lets a resume replay it. Not thread-safe.
 */
public interface Scheduler {

    /** The first resource of trial {@code trial}: a rung, or {@code Proposal.FULL_BUDGET} for no early stopping. */
    int firstResource(int trial);

    /**
     * Trial {@code trial} reached {@code resource} (the rung it was sent to) with these objectives:
     * continue to the next rung ({@code Proposal.FULL_BUDGET} for the last leg, which trains to the
     * trial's whole budget, {@link #maxResource()}), or stop.
     */
    Decision atRung(int trial, int resource, double[] minimised);

    /** The full budget of a trial; a trial's last leg ends there. */
    int maxResource();

    /** The type name as written in YAML ({@code ASHA}, {@code Hyperband}). */
    String name();
}
