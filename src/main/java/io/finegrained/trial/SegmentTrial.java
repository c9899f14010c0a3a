package io.finegrained.trial;

import io.finegrained.search.Candidate;
import io.finegrained.search.TrialResult;
import java.io.Serializable;

/**
 * A trial that trains in segments, for multi-fidelity search: from where it stands (scratch, or
 * its checkpoint at {@code fromResource}) up to {@code toResource}, then it reports and saves its
 * state so that a later segment continues it. Like {@link TrialRunner}, implementations hold
 * plain settings only and travel to the executors.
 */
public interface SegmentTrial extends Serializable {

    /**
     * Trains one segment.
     *
     * @param fromResource the resource the checkpoint holds (0 = from scratch)
     * @param toResource the resource to reach; {@link io.finegrained.search.Proposal#FULL_BUDGET} for the whole budget
     * @param checkpoint the trial's checkpoint at {@code fromResource} as bytes when it travels with
     *                   the task, or null (from scratch, or the trial finds it in its own folder)
     * @return OK with the metrics at the resource reached, or FAILED; may throw (see {@link GuardedTrial})
     */
    Outcome runSegment(Candidate candidate, int fromResource, int toResource, byte[] checkpoint);

    /**
     * What a segment gave.
     *
     * @param result OK (metrics at {@code resource}) or FAILED; its {@code resource} is the one reached
     * @param complete whether the trial trained its whole budget (no later segment can continue it)
     * @param checkpoint its state at {@code resource}, as bytes for the driver to keep in the run
     *                   directory, or null (nothing saved, or saved in the trial's folder only)
     */
    record Outcome(TrialResult result, boolean complete, byte[] checkpoint) implements Serializable {
        private static final long serialVersionUID = 1L;
    }
}
