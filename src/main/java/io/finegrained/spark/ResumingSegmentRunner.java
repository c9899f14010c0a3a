package io.finegrained.spark;

import io.finegrained.search.Candidate;
import io.finegrained.search.Proposal;
import io.finegrained.search.SegmentRunner;
import io.finegrained.search.TrialResult;
import io.finegrained.search.TrialStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * {@code --resume} of an asynchronous run: a segment the interrupted run finished (a {@code rung}
 * event, or a verdict in the journal) is answered from the record without training; any other is
 * started on the live runner from where the trial stands (its last recorded rung, whose
 * checkpoint the run directory holds). So no finished rung runs again, and since the searcher is
 * told the same results in the same order (recorded segments come back in their recorded order),
 * it makes the same decisions (Searcher's contract).
 */
public final class ResumingSegmentRunner implements SegmentRunner {
    private final SegmentRunner live;
    /** Per trial, its recorded rungs in order: (seq, resource, metrics). */
    private final Map<Integer, List<Events.Event>> rungs = new HashMap<>();
    private final Map<Integer, TrialResult> verdicts = new HashMap<>();
    private final PriorityQueue<Replayed> ready = new PriorityQueue<>((a, b) -> Long.compare(a.seq(), b.seq()));
    private int replayed;

    public ResumingSegmentRunner(SegmentRunner live, List<TrialResult> journal, List<Events.Event> events) {
        this.live = live;
        journal.forEach(r -> verdicts.put(r.id(), r));
        for (Events.Event e : events) {
            if (e.type() == Events.Type.RUNG) {
                rungs.computeIfAbsent(e.id(), k -> new ArrayList<>()).add(e);
            }
        }
    }

    /** Segments answered from the record so far. */
    public int replayed() {
        return replayed;
    }

    @Override
    public int slots() {
        return live.slots();
    }

    @Override
    public void start(Candidate trial, int fromResource, int toResource) {
        List<Events.Event> recorded = rungs.getOrDefault(trial.id(), List.of());
        TrialResult verdict = verdicts.get(trial.id());
        if (verdict != null && (verdict.generation() != trial.generation()
                || !Values.same(verdict.hyperparameters(), trial.hyperparameters()))) {
            throw new RunStoppedException("cannot resume: trial " + trial.id() + " in the journal (generation "
                    + verdict.generation() + ", " + verdict.hyperparameters() + ") is not what the algorithm proposes again"
                    + " (generation " + trial.generation() + ", " + trial.hyperparameters()
                    + "); the journal was written by another configuration or version", true, null);
        }
        for (Events.Event e : recorded) {
            // A segment that trained the whole budget may say nothing of its resource (0).
            boolean whole = SparkSegmentRunner.COMPLETE.equals(e.detail());
            if ((e.resource() > fromResource || whole) && (toResource == Proposal.FULL_BUDGET || e.resource() <= toResource)) {
                // The first recorded rung after where it stands: what this segment gave last time.
                boolean isVerdict = verdict != null && verdict.resource() == e.resource() && verdict.isOk();
                TrialResult result = isVerdict ? verdict
                        : new TrialResult(trial.id(), trial.generation(), TrialStatus.OK, trial.hyperparameters(), e.metrics(),
                                null, 0, e.resource(), null, e.time(), null);
                ready.add(new Replayed(e.seq(), new Segment(trial, e.resource(), result, whole || isVerdict)));
                return;
            }
        }
        if (verdict != null && verdict.status() != TrialStatus.STOPPED) {
            // Its verdict is journaled (FAILED, or OK from a record without that segment's rung event):
            // answered from the journal, never trained again.
            ready.add(new Replayed(Long.MAX_VALUE, new Segment(trial, verdict.resource(), verdict, true)));
            return;
        }
        int standing = fromResource;
        for (Events.Event e : recorded) {
            standing = Math.max(standing, e.resource());
        }
        live.start(trial, standing, toResource);
    }

    @Override
    public Segment next() throws InterruptedException {
        Replayed r = ready.poll();
        if (r != null) {
            replayed++;
            return r.segment();
        }
        return live.next();
    }

    @Override
    public void cancel() {
        ready.clear();
        live.cancel();
    }

    private record Replayed(long seq, Segment segment) {
    }
}
