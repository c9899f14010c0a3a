package io.finegrained.spark;

import io.finegrained.search.Candidate;
import io.finegrained.trial.GuardedTrial;
import io.finegrained.trial.TrialRunner;
import java.util.List;

/**
 * Runs the trials on the calling thread, in order: a stand-in for Spark in the tests of the
 * driver's own logic (journal, replay, failure policy). {@code crashAfter} simulates a driver
 * killed after that many results; {@code duplicateDeliveries} delivers each result twice.
 */
final class InlineEvaluator implements TrialEvaluator {
    private final TrialRunner runner;
    private final int crashAfter;
    private final boolean duplicateDeliveries;
    private int delivered;
    private volatile boolean cancelled;

    InlineEvaluator(TrialRunner runner) {
        this(runner, Integer.MAX_VALUE, false);
    }

    InlineEvaluator(TrialRunner runner, int crashAfter, boolean duplicateDeliveries) {
        this.runner = runner;
        this.crashAfter = crashAfter;
        this.duplicateDeliveries = duplicateDeliveries;
    }

    @Override
    public void evaluate(List<Candidate> candidates, String description, ResultSink sink) {
        for (Candidate c : candidates) {
            if (cancelled) {
                return;
            }
            if (delivered == crashAfter) {
                throw new IllegalStateException("simulated crash");
            }
            var result = GuardedTrial.run(runner, c);
            delivered++;
            if (!sink.accept(result)) {
                return;
            }
            if (duplicateDeliveries && !sink.accept(result)) {
                return;
            }
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
    }
}
