package io.finegrained.spark;

import io.finegrained.search.Generations;
import io.finegrained.search.Searcher;
import io.finegrained.search.SegmentRunner;
import io.finegrained.search.TrialResult;
import io.finegrained.trial.CommandTrial;
import io.finegrained.trial.DjlTrial;
import io.finegrained.trial.SegmentTrial;
import io.finegrained.trial.TrialRunner;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * The driver-side pieces of an asynchronous run, assembled for the loop
 * ({@code io.finegrained.search.async.AsyncLoop}): a {@link SparkSegmentRunner} for the run's
 * trial, the run's events file, the searcher wrapped so that verdicts reach the journal and
 * decisions the events ({@link RecordingSearcher}), and on {@code --resume} a runner that answers
 * finished segments from the record ({@link ResumingSegmentRunner}). Use:
 * <pre>{@code
 * if (AsyncExecution.isAsynchronous(searcher)) {
 *     try (AsyncExecution run = AsyncExecution.open(spark, trialRunner, directory, searcher, resume)) {
 *         new AsyncLoop(run.searcher(), run.runner(), ...).run();
 *     }
 * }
 * }</pre>
 */
public final class AsyncExecution implements Closeable {
    private final Events events;
    private final SparkSegmentRunner spark;
    private final SegmentRunner runner;
    private final Searcher searcher;

    private AsyncExecution(Events events, SparkSegmentRunner spark, SegmentRunner runner, Searcher searcher) {
        this.events = events;
        this.spark = spark;
        this.runner = runner;
        this.searcher = searcher;
    }

    /** Whether a searcher runs through the asynchronous loop: every searcher that is not generational. */
    public static boolean isAsynchronous(Searcher searcher) {
        return !(searcher instanceof Generations);
    }

    /** The segment form of a run's trial: a command trial's {@link CommandTrial#segments()}, a DJL trial itself. */
    public static SegmentTrial segments(TrialRunner runner) {
        if (runner instanceof CommandTrial command) {
            return command.segments();
        }
        if (runner instanceof SegmentTrial segmented) {
            return segmented;
        }
        throw new IllegalArgumentException("the trial " + runner.getClass().getSimpleName() + " cannot run in segments");
    }

    /** Opens the events file and assembles the runner and the searcher for the loop. */
    public static AsyncExecution open(SparkSession session, TrialRunner trial, RunDirectory directory, Searcher searcher,
                                      boolean resume) throws IOException {
        List<TrialResult> journaled = directory.previousResults();
        Events events = directory.openEvents();
        List<Events.Event> recorded = resume ? directory.readEvents() : List.of();
        SparkSegmentRunner spark = new SparkSegmentRunner(session, segments(trial), trial instanceof DjlTrial,
                directory, events);
        SegmentRunner runner = resume && !(journaled.isEmpty() && recorded.isEmpty())
                ? new ResumingSegmentRunner(spark, journaled, recorded) : spark;
        return new AsyncExecution(events, spark, runner,
                new RecordingSearcher(searcher, directory.journal(), events, journaled, recorded, spark::release));
    }

    /** The searcher for the loop: verdicts journaled, decisions recorded. */
    public Searcher searcher() {
        return searcher;
    }

    /** The segment runner for the loop. */
    public SegmentRunner runner() {
        return runner;
    }

    /** The Spark runner underneath (whether a trial's segment completed its budget; the segments' history). */
    public SparkSegmentRunner spark() {
        return spark;
    }

    @Override
    public void close() throws IOException {
        events.close();
    }
}
