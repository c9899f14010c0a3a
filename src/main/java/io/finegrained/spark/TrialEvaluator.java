package io.finegrained.spark;

import io.finegrained.search.Candidate;
import io.finegrained.search.TrialResult;
import java.util.List;

/**
 * Where a generation's trials run: the one seam between the driver loop and the engine that
 * runs them ({@link SparkTrialEvaluator}). Results are handed to the sink on the calling thread,
 * one by one as each trial finishes, not at the end of the generation.
 */
public interface TrialEvaluator {

    /** Receives each result as it arrives; returning false stops the generation (the rest is cancelled). */
    @FunctionalInterface
    interface ResultSink {
        boolean accept(TrialResult result);
    }

    /**
     * Runs the candidates and returns when each has delivered its result, or when the sink asked
     * to stop or {@link #cancel()} was called (then some candidates have no result). A failure of
     * the engine itself (not of a trial) is thrown.
     *
     * @param description what the generation is, for the engine's UI ({@code generation 3/10 · 16 candidates})
     */
    void evaluate(List<Candidate> candidates, String description, ResultSink sink);

    /** Cancels the running generation, from any thread (Ctrl-C); evaluate then returns soon. */
    void cancel();
}
