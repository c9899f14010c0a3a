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
    /** The recorded decisions, by "id@resource". */
    private final Map<String, Events.Event> decided = new java.util.HashMap<>();
    private int redecided;

    /** @param alreadyJournaled the journal's rows (resume), not to be written again */
    public RecordingSearcher(Searcher searcher, Journal journal, Events events, List<TrialResult> alreadyJournaled) {
        this(searcher, journal, events, alreadyJournaled, id -> { });
    }

    /** @param afterVerdict told each trial id once its verdict is journaled (to delete its checkpoint) */
    public RecordingSearcher(Searcher searcher, Journal journal, Events events, List<TrialResult> alreadyJournaled,
                             java.util.function.IntConsumer afterVerdict) {
        this(searcher, journal, events, alreadyJournaled, List.of(), afterVerdict);
    }

    /**
     * On {@code --resume}: {@code recorded} are the events file's rows. A decision the record holds
     * (a {@code continued} or {@code stopped} of that trial at that resource) is not written again,
     * and must be the one the searcher makes now: another answer means another configuration, seed
     * or version, and the run is refused rather than continued on a different path.
     *
     * @param afterVerdict told each trial id once its verdict is journaled (to delete its checkpoint)
     */
    public RecordingSearcher(Searcher searcher, Journal journal, Events events, List<TrialResult> alreadyJournaled,
                             List<Events.Event> recorded, java.util.function.IntConsumer afterVerdict) {
        this.searcher = searcher;
        this.journal = journal;
        this.events = events;
        this.afterVerdict = afterVerdict;
        alreadyJournaled.forEach(r -> journaled.add(r.id()));
        for (Events.Event e : recorded) {
            if (e.type() == Events.Type.CONTINUED || e.type() == Events.Type.STOPPED) {
                decided.putIfAbsent(e.id() + "@" + e.resource(), e);
            }
        }
    }

    /** Decisions answered from the record again on resume (and found equal). */
    public int redecided() {
        return redecided;
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
        Events.Event before = decided.get(trial.id() + "@" + resource);
        if (before != null) {
            boolean same = decision instanceof Decision.Continue c
                    ? before.type() == Events.Type.CONTINUED && before.to() == c.resource()
                    : before.type() == Events.Type.STOPPED;
            if (!same) {
                throw new RunStoppedException("cannot resume: trial " + trial.id() + " was "
                        + (before.type() == Events.Type.STOPPED ? "stopped" : "continued to " + describe(before.to()))
                        + " at resource " + resource + " (events.jsonl row " + before.seq() + "); " + searcher.name() + " now answers "
                        + decision + ": the record was written by another configuration, seed or version", true, null);
            }
            redecided++;
            return decision;
        }
        if (!journaled.contains(trial.id())) {
            if (decision instanceof Decision.Continue c) {
                events.append(Events.Type.CONTINUED, trial.id(), resource, c.resource(), null);
            } else {
                events.append(Events.Type.STOPPED, trial.id(), resource, 0, null);
            }
        }
        return decision;
    }

    private static String describe(int to) {
        return to == Proposal.FULL_BUDGET ? "its full budget" : "resource " + to;
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
