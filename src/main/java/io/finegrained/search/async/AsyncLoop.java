package io.finegrained.search.async;

import io.finegrained.search.Candidate;
import io.finegrained.search.Decision;
import io.finegrained.search.Proposal;
import io.finegrained.search.Replay;
import io.finegrained.search.Searcher;
import io.finegrained.search.SegmentRunner;
import io.finegrained.search.TrialResult;
import io.finegrained.search.TrialStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The asynchronous driver loop, engine-agnostic: it keeps every slot of a {@link SegmentRunner}
 * busy. While a slot is free it asks the searcher for a proposal and starts it (ids 0, 1, 2, ...
 * in proposal order); it takes each finished segment as it comes; a segment that reached a rung
 * below the trial's budget is reported ({@link Searcher#report}) and continued from there, or
 * finished as STOPPED; a segment that reached the full budget (sent there, or
 * {@link SegmentRunner.Segment#complete() complete} wherever it was sent), or failed, finishes
 * the trial.
 * Finishing = a {@link LoopEvent.Finished} to the listener, then {@link Searcher#tell}.
 *
 * <p>Every call into the searcher happens next to an event, in the same order: propose before
 * {@link LoopEvent.Started} of a new trial, report before {@link LoopEvent.Rung}, tell after
 * {@link LoopEvent.Finished}. So the run is a function of the order in which segments finish,
 * and the event record alone drives a fresh searcher to the same state ({@link #replay}):
 * {@link #resume} does that and goes on. A Wait or Done answer must leave the searcher as it was
 * (the {@link Searcher} contract), which is why those calls need no event.
 *
 * <p>One thread: the caller's. The listener is called on it; an exception it throws (a journal
 * that cannot be written, a stop rule) ends the loop with that exception, running segments
 * cancelled. Not reusable: one run or resume per loop.
 */
public final class AsyncLoop {

    /** Told each event as it happens; the Spark side journals them. */
    @FunctionalInterface
    public interface Listener {
        void event(LoopEvent event);
    }

    /**
     * Where a replayed record leaves the run.
     *
     * @param nextId the id of the next proposal
     * @param open trials proposed and not finished, by id: the segment each must run next
     * @param finished the verdicts replayed, in record order
     * @param decisions the rung decisions replayed
     */
    public record Replayed(int nextId, List<Open> open, List<TrialResult> finished, int decisions) {
        public Replayed {
            open = List.copyOf(open);
            finished = List.copyOf(finished);
        }
    }

    /**
     * A trial the record leaves unfinished.
     *
     * @param fromResource where its checkpoint stands (0: from scratch)
     * @param toResource what its next segment trains to
     * @param stoppedWith non-null when the searcher had already answered Stop at a rung and only
     *                    the verdict is missing: the metrics of that rung
     * @param segmentStarted whether the record holds the start of that segment (else the driver
     *                       stopped between a rung's decision and the continuation's start)
     */
    public record Open(Candidate trial, int fromResource, int toResource, double seconds, Map<String, Double> stoppedWith,
                       boolean segmentStarted) {
    }

    /**
     * A finished loop.
     *
     * @param results every verdict, in the order they were told (replayed ones first)
     * @param proposals trials proposed, replayed ones included
     * @param decisions rung decisions taken, replayed ones included
     * @param stopped true when {@link #stop()} ended it before the searcher was done
     */
    public record Summary(List<TrialResult> results, int proposals, int decisions, boolean stopped) {
        public Summary {
            results = List.copyOf(results);
        }
    }

    private static final class Running {
        final Candidate trial;
        int from;
        int to;
        double seconds;
        /** When its first segment started (the runner's clock), for the verdict's {@code started}. */
        java.time.Instant started;

        Running(Candidate trial, int from, int to, double seconds) {
            this.trial = trial;
            this.from = from;
            this.to = to;
            this.seconds = seconds;
        }
    }

    private final Searcher searcher;
    private final SegmentRunner runner;
    private final Listener listener;
    private final Map<Integer, Running> running = new HashMap<>();
    private final List<TrialResult> results = new ArrayList<>();
    private int nextId;
    private int decisions;
    private boolean searcherDone;
    private boolean used;
    private volatile boolean stopRequested;

    public AsyncLoop(Searcher searcher, SegmentRunner runner, Listener listener) {
        this.searcher = Objects.requireNonNull(searcher);
        this.runner = Objects.requireNonNull(runner);
        this.listener = listener == null ? e -> { } : listener;
    }

    /** Asks the loop to end (another thread may call it): no new segment starts, running ones are cancelled. */
    public void stop() {
        stopRequested = true;
        runner.cancel();
    }

    /** A fresh run. */
    public Summary run() throws InterruptedException {
        return resume(List.of());
    }

    /**
     * Replays the record into the (fresh) searcher, then goes on: the open trials first, each
     * from its last rung (a {@link LoopEvent.Restarted}; one stopped at a rung is only finished),
     * then new proposals. Throws {@link IllegalStateException} when the record does not match
     * what the searcher proposes or decides (another configuration, seed or version).
     */
    public Summary resume(List<LoopEvent> recorded) throws InterruptedException {
        if (used) {
            throw new IllegalStateException("an AsyncLoop runs once");
        }
        used = true;
        Replayed replayed = replay(searcher, recorded);
        nextId = replayed.nextId();
        decisions = replayed.decisions();
        results.addAll(replayed.finished());
        try {
            for (Open open : replayed.open()) {
                if (open.stoppedWith() != null) {
                    finish(new Running(open.trial(), open.fromResource(), open.toResource(), open.seconds()),
                            TrialResult.stopped(open.trial(), open.stoppedWith(), open.seconds(), open.fromResource()),
                            open.fromResource());
                    continue;
                }
                Running r = new Running(open.trial(), open.fromResource(), open.toResource(), open.seconds());
                running.put(open.trial().id(), r);
                // A segment the record saw start is started again; one it never saw start is simply started.
                listener.event(open.segmentStarted() ? new LoopEvent.Restarted(open.trial(), open.fromResource(), open.toResource())
                        : new LoopEvent.Started(open.trial(), open.fromResource(), open.toResource()));
                runner.start(open.trial(), open.fromResource(), open.toResource());
            }
            while (!stopRequested) {
                fill();
                if (running.isEmpty()) {
                    if (!searcherDone) {
                        throw new IllegalStateException(searcher.name() + " waits for results, and no trial is running");
                    }
                    break;
                }
                SegmentRunner.Segment segment = runner.next();
                if (segment == null) {
                    break;
                }
                handle(segment);
            }
        } catch (RuntimeException | Error e) {
            runner.cancel();
            throw e;
        }
        return new Summary(results, nextId, decisions, stopRequested && !(searcherDone && running.isEmpty()));
    }

    private void fill() {
        while (!searcherDone && !stopRequested && running.size() < runner.slots()) {
            Proposal p = searcher.propose();
            if (p instanceof Proposal.Trial t) {
                Candidate c = new Candidate(nextId++, t.batch(), t.values());
                running.put(c.id(), new Running(c, 0, t.resource(), 0));
                listener.event(new LoopEvent.Started(c, 0, t.resource()));
                runner.start(c, 0, t.resource());
            } else {
                searcherDone = p instanceof Proposal.Done;
                return;
            }
        }
    }

    private void handle(SegmentRunner.Segment segment) {
        Running r = running.get(segment.trial().id());
        if (r == null) {
            return; // a segment of a trial already finished (a late duplicate): kept once
        }
        TrialResult outcome = segment.result();
        r.seconds += outcome.seconds();
        if (r.started == null) {
            r.started = outcome.started();
        }
        if (outcome.status() == TrialStatus.FAILED) {
            finish(r, verdict(r, outcome, TrialStatus.FAILED, Map.of(), outcome.error(), segment.resource()), segment.resource());
            return;
        }
        if (r.to == Proposal.FULL_BUDGET || segment.complete()) {
            // Sent to its whole budget, or it trained it anyway (a program that ignores the rung
            // contract): its result is the verdict, with no rung to judge.
            finish(r, verdict(r, outcome, TrialStatus.OK, outcome.metrics(), null, segment.resource()), segment.resource());
            return;
        }
        Decision d = searcher.report(r.trial, outcome.metrics(), segment.resource());
        decisions++;
        listener.event(new LoopEvent.Rung(r.trial, segment.resource(), outcome.metrics(), d, r.seconds));
        if (d instanceof Decision.Continue c) {
            r.from = segment.resource();
            r.to = c.resource();
            listener.event(new LoopEvent.Started(r.trial, r.from, r.to));
            runner.start(r.trial, r.from, r.to);
        } else {
            finish(r, verdict(r, outcome, TrialStatus.STOPPED, outcome.metrics(), null, segment.resource()), segment.resource());
        }
    }

    /**
     * The trial's final row: its verdict, the resource reached, from its first segment's start to
     * its last one's end, on the executor of its last segment.
     */
    private static TrialResult verdict(Running r, TrialResult last, TrialStatus status, Map<String, Double> metrics, String error,
                                       int resource) {
        return new TrialResult(r.trial.id(), r.trial.generation(), status, r.trial.hyperparameters(), metrics, error, r.seconds,
                resource, r.started, last.finished(), last.executor());
    }

    private void finish(Running r, TrialResult result, int resource) {
        running.remove(r.trial.id());
        listener.event(new LoopEvent.Finished(result, resource));
        results.add(result);
        searcher.tell(result);
    }

    /**
     * Drives a fresh searcher through a recorded sequence of events, running nothing: each new
     * trial's {@link LoopEvent.Started} is proposed again (and must be what the searcher proposes
     * now: same id, values, batch and first resource), each {@link LoopEvent.Rung} is reported
     * again (and must get the recorded decision), each {@link LoopEvent.Finished} is told. A
     * record cut anywhere (a driver killed mid-write) replays up to its last whole event.
     */
    public static Replayed replay(Searcher searcher, List<LoopEvent> recorded) {
        Map<Integer, Open> open = new TreeMap<>();
        List<TrialResult> finished = new ArrayList<>();
        int nextId = 0;
        int decisions = 0;
        for (LoopEvent e : recorded) {
            if (e instanceof LoopEvent.Started s && !open.containsKey(s.id())) {
                if (s.id() != nextId || s.fromResource() != 0) {
                    throw mismatch(s.id(), "is started before it is proposed (the next id is " + nextId + ")");
                }
                Proposal p = searcher.propose();
                if (!(p instanceof Proposal.Trial t)) {
                    throw mismatch(s.id(), "is in the record, and " + searcher.name() + " proposes nothing more");
                }
                if (t.batch() != s.trial().generation() || t.resource() != s.toResource()
                        || !Replay.normalized(t.values()).equals(Replay.normalized(s.trial().hyperparameters()))) {
                    throw mismatch(s.id(), "was " + s.trial().hyperparameters() + " (batch " + s.trial().generation()
                            + ", to resource " + s.toResource() + "); " + searcher.name() + " now proposes " + t.values()
                            + " (batch " + t.batch() + ", to resource " + t.resource() + ")");
                }
                // The searcher's own values (its types), as it would hold them uninterrupted.
                open.put(s.id(), new Open(new Candidate(s.id(), t.batch(), t.values()), 0, t.resource(), 0, null, true));
                nextId++;
            } else if (e instanceof LoopEvent.Started s) {
                Open o = open.get(s.id());
                open.put(s.id(), new Open(o.trial(), s.fromResource(), s.toResource(), o.seconds(), null, true));
            } else if (e instanceof LoopEvent.Restarted s) {
                Open o = require(open, s.id());
                open.put(s.id(), new Open(o.trial(), s.fromResource(), s.toResource(), o.seconds(), null, true));
            } else if (e instanceof LoopEvent.Rung r) {
                Open o = require(open, r.id());
                Decision d = searcher.report(o.trial(), r.metrics(), r.resource());
                decisions++;
                if (!d.equals(r.decision())) {
                    throw mismatch(r.id(), "was answered " + r.decision() + " at resource " + r.resource() + "; "
                            + searcher.name() + " now answers " + d);
                }
                open.put(r.id(), d instanceof Decision.Continue c
                        ? new Open(o.trial(), r.resource(), c.resource(), r.seconds(), null, false)
                        : new Open(o.trial(), r.resource(), r.resource(), r.seconds(), r.metrics(), false));
            } else if (e instanceof LoopEvent.Finished f) {
                Open o = require(open, f.id());
                open.remove(f.id());
                TrialResult told = f.result();
                TrialResult own = told.withOutcome(told.status(), o.trial().hyperparameters(), told.metrics(), told.error(),
                        told.seconds());
                finished.add(own);
                searcher.tell(own);
            }
        }
        return new Replayed(nextId, new ArrayList<>(open.values()), finished, decisions);
    }

    private static Open require(Map<Integer, Open> open, int id) {
        Open o = open.get(id);
        if (o == null) {
            throw mismatch(id, "has an event but is not running at that point of the record");
        }
        return o;
    }

    private static IllegalStateException mismatch(int id, String what) {
        return new IllegalStateException("cannot resume: trial " + id + " " + what
                + "; the record was written by another configuration, seed or version");
    }
}
