package io.finegrained.spark;

import io.finegrained.search.Candidate;
import io.finegrained.search.Proposal;
import io.finegrained.search.SegmentRunner;
import io.finegrained.search.TrialResult;
import io.finegrained.search.TrialStatus;
import io.finegrained.trial.GuardedTrial;
import io.finegrained.trial.SegmentTrial;
import io.finegrained.trial.TrialFiles;
import io.finegrained.trial.TrialInterruptedException;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction1;
import scala.runtime.BoxedUnit;
import scala.util.Try;

/**
 * The asynchronous loop's segments on Spark: each segment is one Spark job of one task, submitted
 * without waiting ({@link SparkContext#submitJob}), so the driver starts the next segment the
 * moment a slot frees and every slot stays busy; each job has its own job group, so one segment
 * can be cancelled alone.
 *
 * <p>Slots: {@code local[N]} offers N for command trials and 1 for DJL trials (one DJL training
 * per JVM); a cluster offers, per live executor (counted again at every call, so executors that
 * come and go are followed), {@code spark.executor.cores / spark.task.cpus} for command trials
 * and 1 for DJL trials.
 *
 * <p>Checkpoints: a segment's state comes back in its result as bytes (DJL trials), which the
 * driver writes into the run directory ({@code trials/<id>/checkpoint/state.bin}) and sends with
 * the trial's next segment: executors need not see the run directory. A command trial keeps its
 * own {@code checkpoint_dir} under the trials folder, which its executors must share. A segment's
 * other files come back as a generation's do ({@link SparkTrialEvaluator}); a later segment's
 * logs are appended to the earlier ones' on the driver.
 *
 * <p>Faults: a segment whose executor is lost is retried by Spark from the checkpoint it was
 * sent with (or a newer one the trial finds in its folder); its attempts count toward
 * {@link SparkTrialEvaluator#LOST_EXECUTOR_LIMIT}, after which the trial is FAILED without
 * running again. Every such retry is an {@code environment_failure} event. Not thread-safe: the
 * loop's thread calls it; Spark's scheduler thread only queues results.
 */
public final class SparkSegmentRunner implements SegmentRunner {
    /** The checkpoint file a trial's bytes are kept in, under {@code trials/<id>/checkpoint/}. */
    public static final String CHECKPOINT_FILE = "state.bin";
    /**
     * The {@code detail} of a {@code rung} event whose segment, sent to a rung, trained the trial's
     * whole budget (a program that ignores the rung contract): its metrics are the verdict's.
     */
    public static final String COMPLETE = "complete: the trial trained its whole budget";
    private static final AtomicInteger JOBS = new AtomicInteger();
    private static final String GROUP_PREFIX = "finegrained-segment-";
    private static final Pattern LOCAL = Pattern.compile("local\\[\\s*(\\d+|\\*)\\s*(,\\s*\\d+\\s*)?]");

    private final SparkSession spark;
    private final SegmentTrial trial;
    private final boolean oneTrainingPerJvm;
    /** Where checkpoints are kept: a run directory's store, and the trials folder's path in it ("trials/" or ""). */
    private final RunStore store;
    private final String trialsPrefix;
    private final Events events;
    private final RunningTasks tasks;
    private final BlockingQueue<Delivered> arrived = new LinkedBlockingQueue<>();
    private final Map<Integer, Running> running = new LinkedHashMap<>();
    private final Map<Integer, Instant> firstStart = new HashMap<>();
    private final Map<Integer, Double> secondsSoFar = new HashMap<>();
    private final Set<Integer> complete = ConcurrentHashMap.newKeySet();
    private final List<Segment> history = new ArrayList<>();
    private volatile boolean cancelled;
    private int queueAhead;
    private Consumer<String> notes = System.err::println;

    /**
     * @param oneTrainingPerJvm true for DJL trials (one training slot per executor JVM)
     * @param trialsDirectory the run directory's {@code trials} folder, where checkpoints are kept
     * @param events the run's events file, or null to record none
     */
    public SparkSegmentRunner(SparkSession spark, SegmentTrial trial, boolean oneTrainingPerJvm, Path trialsDirectory,
                              Events events) {
        this(spark, trial, oneTrainingPerJvm, RunStore.local(trialsDirectory), "", events);
    }

    /** With the checkpoints in the run directory's {@code trials} folder, wherever it is (HDFS, S3, local). */
    public SparkSegmentRunner(SparkSession spark, SegmentTrial trial, boolean oneTrainingPerJvm, RunDirectory directory,
                              Events events) {
        this(spark, trial, oneTrainingPerJvm, directory.store(), RunDirectory.TRIALS_FOLDER + "/", events);
    }

    private SparkSegmentRunner(SparkSession spark, SegmentTrial trial, boolean oneTrainingPerJvm, RunStore store,
                               String trialsPrefix, Events events) {
        this.spark = spark;
        this.trial = trial;
        this.oneTrainingPerJvm = oneTrainingPerJvm;
        this.store = store;
        this.trialsPrefix = trialsPrefix;
        this.events = events;
        this.tasks = RunningTasks.on(spark.sparkContext(), GROUP_PREFIX);
    }

    /**
     * Offers {@code segments} more than the training slots (0 by default): those wait in Spark's
     * scheduler and start the moment a slot frees, without the round trip through the driver
     * (result delivery, journal, the searcher's next proposal, job submission: about 0.1–0.3 s
     * per segment on a loaded 2-core machine, docs/benchmarks.md). The cost: the searcher
     * proposes that many trials before the results of the running ones are in.
     *
     * @return this runner
     */
    public SparkSegmentRunner queueAhead(int segments) {
        if (segments < 0) {
            throw new IllegalArgumentException("segments queued ahead must be >= 0, got " + segments);
        }
        this.queueAhead = segments;
        return this;
    }

    /** Where notes go (a trial's files that stayed on its executor); stderr by default. */
    public SparkSegmentRunner notes(Consumer<String> sink) {
        this.notes = Objects.requireNonNull(sink);
        return this;
    }

    @Override
    public int slots() {
        int slots = trainingSlots();
        if (slots == 0 && running.isEmpty()) {
            slots = awaitExecutors();
        }
        return slots + queueAhead;
    }

    /**
     * Segments whose task runs on an executor now, not those queued in Spark's scheduler or
     * answered from a record: the busy slots of the progress line. Counted from Spark's task
     * events ({@link RunningTasks}), not its status store, which can miss a task for its whole run.
     */
    public int busy() {
        int busy = 0;
        for (Running r : running.values()) {
            busy += tasks.running(r.group());
        }
        return busy;
    }

    /**
     * No executor yet and nothing running (a cluster still registering its executors, or all of
     * them lost between segments): the loop would see no slot and no segment to wait for, so wait
     * here, up to {@code spark.scheduler.maxRegisteredResourcesWaitingTime} (at least 60 s).
     */
    private int awaitExecutors() {
        long waitMs = Math.max(60_000, spark.sparkContext().getConf().getTimeAsMs("spark.scheduler.maxRegisteredResourcesWaitingTime",
                "30s"));
        long deadline = System.nanoTime() + waitMs * 1_000_000;
        int slots = 0;
        while (slots == 0 && System.nanoTime() < deadline && !cancelled) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
            slots = trainingSlots();
        }
        return slots;
    }

    /** The training slots the cluster offers now. */
    public int trainingSlots() {
        SparkContext sc = spark.sparkContext();
        String master = sc.master();
        Matcher local = LOCAL.matcher(master);
        if (master.equals("local") || local.matches()) {
            if (oneTrainingPerJvm || master.equals("local")) {
                return 1;
            }
            return local.group(1).equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(local.group(1));
        }
        int executors = Math.max(0, sc.getExecutorMemoryStatus().size() - 1); // the driver is listed too
        if (oneTrainingPerJvm) {
            return executors;
        }
        int taskCpus = sc.getConf().getInt("spark.task.cpus", 1);
        int cores = sc.getConf().getInt("spark.executor.cores", 0);
        if (cores == 0 && executors > 0) {
            cores = Math.max(1, sc.defaultParallelism() / executors); // standalone: every core of the worker
        }
        return executors * Math.max(1, cores / taskCpus);
    }

    /** Whether the trial's last segment trained its whole budget (nothing can continue it). */
    public boolean completed(int id) {
        return complete.contains(id);
    }

    /** Every segment delivered so far, in delivery order (benchmarks: busy time). */
    public List<Segment> history() {
        return List.copyOf(history);
    }

    /** Where the driver keeps a trial's checkpoint bytes, when the run directory is local. */
    public Path checkpointFile(int id) {
        return store.localPath().resolve(checkpointPath(id));
    }

    /** The checkpoint's path in the run directory's store. */
    private String checkpointPath(int id) {
        return trialsPrefix + id + "/checkpoint/" + CHECKPOINT_FILE;
    }

    /**
     * Deletes the trial's checkpoint in the run directory: once it has its verdict nothing can
     * continue it (a promotion is a {@code Continue} before the verdict). Its trained model
     * ({@code trials/<id>/model/}) stays, for the front. A command trial's own
     * {@code checkpoint_dir} is the program's and is left alone.
     */
    public void release(int id) {
        String file = checkpointPath(id);
        try {
            store.delete(file);
            store.delete(file + ".partial");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the checkpoint " + store.describe(file) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void start(Candidate candidate, int fromResource, int toResource) {
        if (cancelled) {
            throw new IllegalStateException("the runner was cancelled");
        }
        if (running.containsKey(candidate.id())) {
            throw new IllegalStateException("trial " + candidate.id() + " is already running");
        }
        byte[] checkpoint = fromResource > 0 ? readCheckpoint(candidate.id()) : null;
        SparkContext sc = spark.sparkContext();
        JavaRDD<Task> rdd = JavaSparkContext.fromSparkContext(sc)
                .parallelize(List.of(new Task(candidate, fromResource, toResource, checkpoint)), 1);
        String group = GROUP_PREFIX + JOBS.incrementAndGet();
        sc.setJobGroup(group, "trial " + candidate.id() + ": " + fromResource + " → "
                + (toResource == Proposal.FULL_BUDGET ? "full budget" : Integer.toString(toResource)), true);
        SimpleFutureAction<BoxedUnit> job;
        try {
            job = sc.submitJob(rdd.rdd(), new RunSegment(trial),
                    JavaConverters.asScalaBufferConverter(List.<Object>of(0)).asScala(), new SparkTrialEvaluator.Deliver<>(arrived), new SparkTrialEvaluator.Unit());
        } finally {
            sc.clearJobGroup();
        }
        running.put(candidate.id(), new Running(candidate, fromResource, toResource, job, group));
        record(Events.Type.STARTED, candidate.id(), fromResource, toResource, Map.of(), null);
    }

    @Override
    public Segment next() throws InterruptedException {
        while (!running.isEmpty()) {
            Delivered d = arrived.poll(50, TimeUnit.MILLISECONDS);
            if (d != null) {
                Running r = running.remove(d.id());
                if (r != null) {
                    return delivered(r, d);
                }
                continue; // a late result of a cancelled segment
            }
            for (Running r : List.copyOf(running.values())) {
                if (r.job().isCompleted() && arrived.isEmpty()) {
                    Try<BoxedUnit> outcome = r.job().value().get();
                    if (outcome.isFailure()) {
                        running.remove(r.candidate().id());
                        Throwable e = outcome.failed().get();
                        throw new IllegalStateException("Spark could not run trial " + r.candidate().id() + "'s segment: "
                                + e.getMessage(), e);
                    }
                }
            }
        }
        return null;
    }

    @Override
    public void cancel() {
        cancelled = true;
        for (Running r : List.copyOf(running.values())) {
            r.job().cancel();
            record(Events.Type.INTERRUPTED, r.candidate().id(), r.from(), r.to(), Map.of(), "the run stopped");
        }
        running.clear();
        arrived.clear();
    }

    private Segment delivered(Running r, Delivered d) {
        SegmentTrial.Outcome outcome = d.outcome();
        TrialResult raw = outcome.result();
        int id = r.candidate().id();
        if (d.attempt() > 0) {
            record(Events.Type.ENVIRONMENT_FAILURE, id, r.from(), r.to(), Map.of(), "the segment's executor was lost "
                    + d.attempt() + " time(s); Spark ran it again from resource " + r.from());
        }
        if (d.files() != null) {
            // Before the segment's result counts: a journaled trial has its log in trials/<id>/.
            // Files come back only from a trial that writes them (TrialFiles.Placed), to where it was told.
            String note = TrialFiles.writeInto(((TrialFiles.Placed) trial).files().trialsDirectory(), d.files());
            if (note != null) {
                notes.accept(note);
            }
        }
        Instant started = firstStart.computeIfAbsent(id, k -> raw.started());
        double seconds = secondsSoFar.merge(id, raw.seconds(), Double::sum);
        // A trial that says nothing of its resource: where it was sent, unless it trained its whole
        // budget regardless (a program that ignores the rung contract), whose size only it knows (0).
        int reached = raw.resource() > 0 ? raw.resource()
                : raw.status() != TrialStatus.OK ? r.from() : outcome.complete() ? 0 : r.to();
        TrialResult result = new TrialResult(raw.id(), raw.generation(), raw.status(), r.candidate().hyperparameters(),
                raw.metrics(), raw.error(), seconds, reached, started, raw.finished(), raw.executor());
        if (outcome.checkpoint() != null) {
            writeCheckpoint(id, outcome.checkpoint());
            record(Events.Type.CHECKPOINT, id, reached, 0, Map.of(), RunDirectory.TRIALS_FOLDER + "/" + id + "/checkpoint/"
                    + CHECKPOINT_FILE + ", " + outcome.checkpoint().length + " bytes");
        }
        boolean whole = outcome.complete() && r.to() != Proposal.FULL_BUDGET && result.isOk();
        if (result.isOk()) {
            record(Events.Type.RUNG, id, reached, 0, result.metrics(), whole ? COMPLETE : null);
        }
        if (outcome.complete() || !result.isOk()) {
            complete.add(id);
        }
        Segment segment = new Segment(r.candidate(), reached, result, outcome.complete());
        history.add(new Segment(r.candidate(), reached, raw, outcome.complete()));
        return segment;
    }

    private void record(Events.Type type, int id, int resource, int to, Map<String, Double> metrics, String detail) {
        if (events != null) {
            events.append(type, id, resource, to, metrics, detail);
        }
    }

    private byte[] readCheckpoint(int id) {
        String file = checkpointPath(id);
        try {
            return store.isFile(file) ? store.read(file) : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint " + store.describe(file) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Written beside and moved over the old one (HDFS: a rename with overwrite; an object store: one
     * PUT), so a crash leaves either the old or the new checkpoint ({@link RunStore#write}).
     */
    private void writeCheckpoint(int id, byte[] bytes) {
        String file = checkpointPath(id);
        try {
            store.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint " + store.describe(file) + ": " + e.getMessage(), e);
        }
    }

    private record Running(Candidate candidate, int from, int to, SimpleFutureAction<BoxedUnit> job, String group) {
    }

    /** What one segment's task carries: the trial, its span and its checkpoint bytes. */
    record Task(Candidate candidate, int from, int to, byte[] checkpoint) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * A segment's outcome and the attempt that produced it (0 = no executor was lost); the files
     * its executor could not write into the run directory, or null.
     */
    record Delivered(int id, SegmentTrial.Outcome outcome, int attempt, TrialFiles.Returned files)
            implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** The task: one segment of one trial, guarded so a candidate's own failure is a FAILED result. Runs on an executor. */
    static final class RunSegment extends AbstractFunction1<Iterator<Task>, Delivered> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final SegmentTrial trial;

        RunSegment(SegmentTrial trial) {
            this.trial = trial;
        }

        @Override
        public Delivered apply(Iterator<Task> partition) {
            Task task = partition.next();
            TaskContext context = TaskContext.get();
            int attempt = context == null ? 0 : context.attemptNumber();
            Instant started = Instant.now();
            SparkTrialEvaluator.useExecutorHadoopSettings();
            Candidate c = task.candidate();
            SegmentTrial.Outcome outcome;
            TrialFiles.Returned files = null;
            if (attempt >= SparkTrialEvaluator.LOST_EXECUTOR_LIMIT) {
                outcome = failed(c, "the trial's executor was lost " + attempt
                        + " times while running it (killed, out of native memory or crashed); not tried again", task.from());
            } else {
                boolean continuing = task.from() > 0;
                Map<String, Long> before = continuing && trial instanceof TrialFiles.Placed placed
                        ? placed.files().sizes(c.id()) : Map.of();
                outcome = guarded(task);
                // An undeliverable file throws: Spark runs the segment again, as for a lost executor.
                files = SparkTrialEvaluator.deliverFiles(trial, c.id(), continuing, before);
            }
            TrialResult stamped = TrialPlace.stamp(outcome.result(), started);
            return new Delivered(c.id(), new SegmentTrial.Outcome(stamped, outcome.complete(), outcome.checkpoint()), attempt,
                    files);
        }

        /** As {@link GuardedTrial}: only a cancellation escapes. */
        private SegmentTrial.Outcome guarded(Task task) {
            long start = System.nanoTime();
            try {
                return trial.runSegment(task.candidate(), task.from(), task.to(), task.checkpoint());
            } catch (TrialInterruptedException e) {
                throw e;
            } catch (Throwable e) { // NOPMD - a candidate must not kill the task
                if (Thread.currentThread().isInterrupted()) {
                    throw new TrialInterruptedException("trial " + task.candidate().id() + " was cancelled");
                }
                return failed(task.candidate(), GuardedTrial.describe(e), task.from(), (System.nanoTime() - start) / 1e9);
            }
        }

        private static SegmentTrial.Outcome failed(Candidate c, String reason, int resource) {
            return failed(c, reason, resource, 0);
        }

        private static SegmentTrial.Outcome failed(Candidate c, String reason, int resource, double seconds) {
            return new SegmentTrial.Outcome(TrialResult.failed(c, reason, seconds).ranAt(resource, null, null, null), true, null);
        }
    }

}
