package io.finegrained.search;

/**
 * Where an asynchronous run's trials train, one segment at a time: Spark executors, or a
 * simulated clock in the benchmarks. A segment trains one trial from where it stands (scratch,
 * or its checkpoint at {@code fromResource}) up to {@code toResource}. The loop that keeps every
 * slot busy ({@code AsyncLoop}, search layer) starts segments and takes finished ones; it never
 * knows what runs them.
 */
public interface SegmentRunner {

    /** Training slots there are now (executors × slots; may change as executors come and go). */
    int slots();

    /**
     * Starts a segment and returns at once.
     *
     * @param fromResource the resource the trial's checkpoint holds (0 = from scratch)
     * @param toResource the resource to reach ({@link Proposal#FULL_BUDGET} = the trial's whole budget)
     */
    void start(Candidate trial, int fromResource, int toResource);

    /** The next finished segment, waiting for one; null when none is running. */
    Segment next() throws InterruptedException;

    /** Cancels every running segment (the run is stopping); {@link #next()} then returns null soon. */
    void cancel();

    /**
     * A finished segment.
     *
     * @param resource the resource reached (for a failed segment: where it stood; 0 when the
     *                 trial did not say, as a program that ignores the rung contract)
     * @param result the trial's metrics at that resource (status OK), or its failure (FAILED);
     *               an environment failure is not a segment result: the runner retries it itself
     * @param complete the trial trained its whole budget in this segment, whatever it was sent
     *                 to (its budget ended before the rung, or it cannot stop at rungs): nothing
     *                 can continue it, so an OK result is its verdict and no rung is judged
     */
    record Segment(Candidate trial, int resource, TrialResult result, boolean complete) {
        /** A segment that stopped where it was sent (a rung, or the full budget). */
        public Segment(Candidate trial, int resource, TrialResult result) {
            this(trial, resource, result, false);
        }
    }
}
