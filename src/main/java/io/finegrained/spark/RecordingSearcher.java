package io.finegrained.spark;

import io.finegrained.search.Candidate;
import io.finegrained.search.Decision;
import io.finegrained.search.Proposal;
import io.finegrained.search.Searcher;
import io.finegrained.search.TrialResult;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The driver's side of an asynchronous run around any searcher: each verdict the loop tells is
 * journaled (durably, before the searcher hears it), each decision on a rung is an event. The
 * loop ({@code io.finegrained.search.async.AsyncLoop}) stays engine-agnostic; wrapping its
 * searcher is how its verdicts and decisions reach the run directory. On {@code --resume} a
 * verdict already in the journal is told again but not written twice.
 */
public final class RecordingSearcher implements Searcher {
    private final Searcher searcher;
    private final Journal journal;
    private final Events events;
    private final Set<Integer> journaled = new HashSet<>();
    private final java.util.function.IntConsumer afterVerdict;

    /** @param alreadyJournaled the journal's rows (resume), not to be written again */
    public RecordingSearcher(Searcher searcher, Journal journal, Events events, List<TrialResult> alreadyJournaled) {
        this(searcher, journal, events, alreadyJournaled, id -> { });
    }

    /** @param afterVerdict told each trial id once its verdict is journaled (to delete its checkpoint) */
    public RecordingSearcher(Searcher searcher, Journal journal, Events events, List<TrialResult> alreadyJournaled,
                             java.util.function.IntConsumer afterVerdict) {
        this.searcher = searcher;
        this.journal = journal;
        this.events = events;
        this.afterVerdict = afterVerdict;
        alreadyJournaled.forEach(r -> journaled.add(r.id()));
    }

    @Override
    public Proposal propose() {
        return searcher.propose();
    }

    @Override
    public void tell(TrialResult result) {
        if (journaled.add(result.id())) {
            journal.append(result);
            afterVerdict.accept(result.id());
        }
        searcher.tell(result);
    }

    @Override
    public Decision report(Candidate trial, Map<String, Double> metrics, int resource) {
        Decision decision = searcher.report(trial, metrics, resource);
        if (!journaled.contains(trial.id())) {
            if (decision instanceof Decision.Continue c) {
                events.append(Events.Type.CONTINUED, trial.id(), resource, c.resource(), null);
            } else {
                events.append(Events.Type.STOPPED, trial.id(), resource, 0, null);
            }
        }
        return decision;
    }

    @Override
    public int budget() {
        return searcher.budget();
    }

    @Override
    public int plannedBatches() {
        return searcher.plannedBatches();
    }

    @Override
    public Map<String, Integer> refusals() {
        return searcher.refusals();
    }

    @Override
    public String name() {
        return searcher.name();
    }
}
