package io.finegrained.search.async;

import io.finegrained.search.Candidate;
import io.finegrained.search.Decision;
import io.finegrained.search.TrialResult;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the {@link AsyncLoop} did, in the order it did it: the record the Spark side journals
 * ({@link Finished} as the one row per trial in {@code trials.jsonl}, the others in
 * {@code events.jsonl}) and that {@link AsyncLoop#replay} reads back on resume. Immutable.
 */
public sealed interface LoopEvent {

    /** The trial the event is about. */
    int id();

    /**
     * A segment was started: a new trial ({@code fromResource} 0, right after the proposal) or a
     * continuation from a rung.
     *
     * @param toResource the rung to reach, or {@code Proposal.FULL_BUDGET}
     */
    record Started(Candidate trial, int fromResource, int toResource) implements LoopEvent {
        @Override
        public int id() {
            return trial.id();
        }
    }

    /**
     * A segment of a trial interrupted by the end of the driver was started again on resume, from
     * its last rung (0: from scratch). Replay treats it as a continuation; it proposes nothing.
     */
    record Restarted(Candidate trial, int fromResource, int toResource) implements LoopEvent {
        @Override
        public int id() {
            return trial.id();
        }
    }

    /**
     * A trial reached a rung below its budget and was judged: {@code decision} is what the
     * searcher answered ({@link Decision.Continue} to the next rung, or {@link Decision.Stop}).
     *
     * @param seconds the trial's training seconds so far
     */
    record Rung(Candidate trial, int resource, Map<String, Double> metrics, Decision decision, double seconds) implements LoopEvent {
        public Rung {
            metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        }

        @Override
        public int id() {
            return trial.id();
        }
    }

    /**
     * A trial's final verdict (OK, FAILED or STOPPED), told to the searcher right after this event.
     *
     * @param resource the resource it reached
     */
    record Finished(TrialResult result, int resource) implements LoopEvent {
        @Override
        public int id() {
            return result.id();
        }
    }
}
