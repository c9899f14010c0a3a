package io.finegrained.spark;

import io.finegrained.search.Objective;
import io.finegrained.search.Searcher;
import io.finegrained.search.TrialResult;
import io.finegrained.search.async.AsyncLoop;
import io.finegrained.search.async.LoopEvent;
import io.finegrained.trial.TrialRunner;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;

/**
 * The driver of an asynchronous searcher: the search layer's {@link AsyncLoop} keeps every
 * training slot busy on the Spark segment runner ({@link AsyncExecution}): a verdict is journaled
 * as it is told, rung results and decisions go to {@code events.jsonl}, and {@code --resume}
 * answers the finished segments from that record, so no finished rung runs again and the
 * searcher makes the decisions it made before.
 */
final class AsyncSearchRun {
    private final Searcher searcher;
    private final List<Objective> objectives;
    private final RunDirectory directory;
    private final Progress progress;
    private final Consumer<TrialResult> listener;
    private volatile AsyncLoop loop;
    private volatile String stopRequest;

    AsyncSearchRun(Searcher searcher, List<Objective> objectives, RunDirectory directory, Progress progress,
                   Consumer<TrialResult> listener) {
        this.searcher = searcher;
        this.objectives = List.copyOf(objectives);
        this.directory = directory;
        this.progress = progress;
        this.listener = listener;
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
        int before = directory.previousResults().size();
        try (AsyncExecution execution = AsyncExecution.open(session, trial, directory, searcher, resume)) {
            Map<Integer, Integer> reached = new TreeMap<>();
            java.util.Set<Integer> running = new java.util.HashSet<>(); // trials with a segment in flight or continuing
            AsyncLoop current = new AsyncLoop(execution.searcher(), execution.runner(), event -> {
                if (event instanceof LoopEvent.Started started) {
                    running.add(started.trial().id());
                } else if (event instanceof LoopEvent.Restarted restarted) {
                    running.add(restarted.trial().id());
                } else if (event instanceof LoopEvent.Finished finished) {
                    TrialResult result = finished.result();
                    reached.merge(finished.resource(), 1, Integer::sum);
                    running.remove(result.id());
                    progress.asyncFinished(result, reached, running.size(), execution.runner().slots());
                    if (listener != null) {
                        listener.accept(result);
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
            List<TrialResult> all = summary.results().stream()
                    .sorted(java.util.Comparator.comparingInt(TrialResult::id)).toList();
            return new SearchRun.Summary(all, Front.of(all, objectives), Math.max(0, all.size() - before));
        }
    }

    private String resumeHint() {
        return "the journal " + directory.journal().file() + " and " + Events.FILE_NAME + " are consistent; continue with --output "
                + directory.location() + " --resume";
    }
}
