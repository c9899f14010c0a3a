package io.finegrained.trial;

import io.finegrained.search.Candidate;
import io.finegrained.search.TrialResult;
import java.io.Serializable;

/**
 * Trains or evaluates one candidate where it is called (an executor, a test, a notebook).
 * Implementations hold plain settings only: they travel from the driver to the executors.
 */
public interface TrialRunner extends Serializable {

    /**
     * Runs the candidate and returns its result: {@code OK} with its metrics, or {@code FAILED}
     * with the reason. May throw; {@link GuardedTrial} turns what it throws into a failure.
     */
    TrialResult run(Candidate candidate);
}
