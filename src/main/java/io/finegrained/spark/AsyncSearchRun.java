package io.finegrained.spark;

import io.finegrained.search.Candidate;
import io.finegrained.search.Decision;
import io.finegrained.search.Objective;
import io.finegrained.search.Proposal;
import io.finegrained.search.Searcher;
import io.finegrained.search.TrialResult;
import io.finegrained.search.TrialStatus;
import io.finegrained.search.async.AsyncLoop;
import io.finegrained.search.async.FailureWindow;
import io.finegrained.search.async.LoopEvent;
import io.finegrained.trial.TrialRunner;
import java.io.IOException;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;

/**
 * The driver of an asynchronous searcher: the search layer's {@link AsyncLoop} keeps every
 * training slot busy on the Spark segment runner ({@link AsyncExecution}): a verdict is journaled
 * as it is told, rung results and decisions go to {@code events.jsonl}, and {@code --resume}
 * answers the finished segments from that record, so no finished rung runs again and the
 * searcher makes the decisions it made before.
 *
 * <p>Failure-rate stop: without generations, the window is the last {@link #failureWindow}
 * verdicts of this session ({@link FailureWindow}); the run stops, as a generational run does,
 * when more than {@code trial.failure_threshold} of the window failed.
 */
final class AsyncSearchRun {
    /** The window of a searcher that plans no batches. */
    static final int DEFAULT_WINDOW = 20;

    private final Searcher searcher;
    private final List<Objective> objectives;
    private final RunDirectory directory;
    private final Progress progress;
    private final Consumer<TrialResult> listener;
    private final double failureThreshold;
    private volatile AsyncLoop loop;
    private volatile String stopRequest;

    /**
     * @param failureThreshold {@code trial.failure_threshold}: the fraction of the window's
     *                         verdicts that may fail before the run stops
     */
    AsyncSearchRun(Searcher searcher, List<Objective> objectives, RunDirectory directory, Progress progress,
                   Consumer<TrialResult> listener, double failureThreshold) {
        this.searcher = searcher;
        this.objectives = List.copyOf(objectives);
        this.directory = directory;
        this.progress = progress;
        this.listener = listener;
        this.failureThreshold = failureThreshold;
    }

    /**
     * The failure-rate window of an asynchronous searcher: the trials of one of its batches (the
     * journal's {@code generation}), ⌈budget / batches⌉ — its {@code population} when that divides
     * {@code samples}, as with the defaults — or {@link #DEFAULT_WINDOW} when it plans no batches.
     */
    static int failureWindow(Searcher searcher) {
        int batches = searcher.plannedBatches();
        if (batches <= 0) {
            return Math.min(DEFAULT_WINDOW, Math.max(1, searcher.budget()));
        }
        return Math.max(1, (searcher.budget() + batches - 1) / batches);
    }

    /** Asks the run to stop from another thread (Ctrl-C, the API's stop()). */
    void stop(String why) {
        stopRequest = why;
        AsyncLoop current = loop;
        if (current != null) {
            current.stop();
        }
    }

    SearchRun.Summary run(SparkSession session, TrialRunner trial, boolean resume) throws IOException {
        List<TrialResult> previous = directory.previousResults();
        Set<Integer> journaled = new HashSet<>();
        previous.forEach(r -> journaled.add(r.id()));
        try (AsyncExecution execution = AsyncExecution.open(session, trial, directory, searcher, resume)) {
            Map<Integer, Integer> rungs = new TreeMap<>();
            AsyncLoop current = new AsyncLoop(new StoppingOnFailures(execution.searcher(), journaled),
                    new CheckingObjectives(execution.runner()), event -> {
                if (event instanceof LoopEvent.Rung rung) {
                    rungs.merge(rung.resource(), 1, Integer::sum);
                } else if (event instanceof LoopEvent.Finished finished) {
                    TrialResult result = finished.result();
                    if (result.isOk()) {
                        rungs.merge(finished.resource(), 1, Integer::sum); // its full budget: no rung event
                    }
                    if (journaled.contains(result.id())) {
                        progress.asyncReplayed(result);
                    } else {
                        progress.asyncFinished(result, rungs, execution.spark().busy(), execution.spark().trainingSlots());
                    }
                }
            });
            loop = current;
            if (stopRequest != null) {
                current.stop();
            }
            AsyncLoop.Summary summary;
            try {
                summary = current.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RunStoppedException("stopped: interrupted\n" + resumeHint(), false, e);
            } finally {
                loop = null;
            }
            if (summary.stopped() || stopRequest != null) {
                throw new RunStoppedException("stopped: " + (stopRequest == null ? "the loop was stopped" : stopRequest)
                        + "\n" + resumeHint(), false, null);
            }
            List<TrialResult> all = summary.results().stream().sorted(Comparator.comparingInt(TrialResult::id)).toList();
            return new SearchRun.Summary(all, Front.of(all, objectives), Math.max(0, all.size() - previous.size()));
        }
    }

    private String resumeHint() {
        return "the journal " + directory.journal().file() + " and " + Events.FILE_NAME + " are consistent; continue with --output "
                + directory.location() + " --resume";
    }

    /**
     * The generational run's checks of a trial's objectives, on every segment before the loop
     * sees it: an OK result without a configured objective stops the run (the user must fix the
     * trial or the objectives: exit 2; no verdict is journaled, so the trial runs again under its
     * id once fixed), and one whose objective is not a finite number is FAILED (JSON cannot hold
     * it, and no rule can rank it). Other non-finite metrics are dropped.
     */
    private final class CheckingObjectives implements io.finegrained.search.SegmentRunner {
        private final io.finegrained.search.SegmentRunner inner;

        CheckingObjectives(io.finegrained.search.SegmentRunner inner) {
            this.inner = inner;
        }

        @Override
        public Segment next() throws InterruptedException {
            Segment segment = inner.next();
            if (segment == null || !segment.result().isOk()) {
                return segment;
            }
            TrialResult r = segment.result();
            List<String> missing = objectives.stream().map(Objective::metric).filter(m -> !r.metrics().containsKey(m))
                    .map(m -> "'" + m + "'").toList();
            if (!missing.isEmpty()) {
                throw new RunStoppedException("stopped: trial " + r.id() + " succeeded but did not report the objective"
                        + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing) + " (it reported " + r.metrics().keySet()
                        + "); make the trial report it, or change the 'objectives' section\n" + resumeHint(), true, null);
            }
            Map<String, Double> finite = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, Double> m : r.metrics().entrySet()) {
                if (m.getValue() != null && Double.isFinite(m.getValue())) {
                    finite.put(m.getKey(), m.getValue());
                } else if (objectives.stream().anyMatch(o -> o.metric().equals(m.getKey()))) {
                    return new Segment(segment.trial(), segment.resource(), r.withOutcome(TrialStatus.FAILED, r.hyperparameters(),
                            Map.of(), "the objective '" + m.getKey() + "' is " + m.getValue(), r.seconds()), true);
                }
            }
            return finite.size() == r.metrics().size() ? segment : new Segment(segment.trial(), segment.resource(),
                    r.withOutcome(r.status(), r.hyperparameters(), finite, null, r.seconds()), segment.complete());
        }

        @Override
        public int slots() {
            return inner.slots();
        }

        @Override
        public void start(Candidate trial, int fromResource, int toResource) {
            inner.start(trial, fromResource, toResource);
        }

        @Override
        public void cancel() {
            inner.cancel();
        }
    }

    /**
     * The loop's searcher with the failure-rate stop after each verdict is journaled (the
     * recording searcher underneath journals it first, as the generational run journals the
     * failure that stops it) and with the run's listener told. Verdicts a resume answers from
     * the journal neither count nor reach the listener: as a resumed generation counts only the
     * trials it runs, a run stopped by the rule goes on when resumed after its cause is fixed.
     */
    private final class StoppingOnFailures implements Searcher {
        private final Searcher inner;
        private final Set<Integer> replayed;
        private final FailureWindow window;

        StoppingOnFailures(Searcher inner, Set<Integer> replayed) {
            this.inner = inner;
            this.replayed = replayed;
            this.window = new FailureWindow(failureWindow(searcher), failureThreshold);
        }

        @Override
        public void tell(TrialResult result) {
            inner.tell(result);
            if (replayed.contains(result.id())) {
                return;
            }
            if (listener != null) {
                listener.accept(result);
            }
            if (window.add(result.status() == TrialStatus.FAILED)) {
                throw new RunStoppedException("stopped: " + window.failures() + " of the last " + window.size()
                        + " verdicts failed, more than the threshold (trial.failure_threshold = " + failureThreshold
                        + " of the last " + window.size() + " verdicts, the asynchronous run's window); the last reason: "
                        + result.error() + "\n" + resumeHint(), false, null);
            }
        }

        @Override
        public Proposal propose() {
            return inner.propose();
        }

        @Override
        public Decision report(Candidate trial, Map<String, Double> metrics, int resource) {
            return inner.report(trial, metrics, resource);
        }

        @Override
        public int budget() {
            return inner.budget();
        }

        @Override
        public int plannedBatches() {
            return inner.plannedBatches();
        }

        @Override
        public Map<String, Integer> refusals() {
            return inner.refusals();
        }

        @Override
        public String name() {
            return inner.name();
        }
    }
}
