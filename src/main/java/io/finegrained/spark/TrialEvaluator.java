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

    /**
     * Receives each outcome as it arrives; returning false stops the generation (the rest is
     * cancelled). Each candidate gets exactly one call: {@link #accept} with its result (a
     * verdict, to journal), or {@link #environmentFailure} (no verdict: not journaled, the
     * candidate runs again under its id, e.g. on {@code --resume}).
     */
    @FunctionalInterface
    interface ResultSink {
        boolean accept(TrialResult result);

        /**
         * The candidate could not run where it was sent (a missing program, a full disk, data
         * that cannot be read). By default: said on stderr, and the generation goes on; the
         * candidate is left without a result.
         */
        default boolean environmentFailure(EnvironmentFailure failure) {
            System.err.println("finegrained: " + failure.describe());
            return true;
        }
    }

    /**
     * A trial that did not run because of its environment ({@link io.finegrained.trial.EnvironmentFailureException}).
     *
     * @param reason what failed, as the trial said it
     * @param executor where: the Spark executor id and host ({@code "driver"} in local mode)
     */
    record EnvironmentFailure(Candidate candidate, String reason, String executor) implements java.io.Serializable {
        /** One line for the user: which trial, where, why, and that it is not a verdict. */
        public String describe() {
            return "trial " + candidate.id() + " could not run on executor " + executor + ": " + reason
                    + " (an environment failure, not the candidate's: no journal row; it runs again on --resume)";
        }
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
