package io.finegrained.spark;

import io.finegrained.search.Candidate;
import io.finegrained.search.TrialResult;
import io.finegrained.spark.TrialEvaluator.EnvironmentFailure;
import io.finegrained.trial.EnvironmentFailureException;
import io.finegrained.trial.GuardedTrial;
import io.finegrained.trial.TrialFiles;
import io.finegrained.trial.TrialRunner;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction0;
import scala.runtime.AbstractFunction1;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;
import scala.util.Try;

/**
 * Runs a generation as one Spark job: the candidates become an RDD with one candidate per
 * partition, so each trial is one task, and {@link SparkContext#submitJob} hands each task's
 * result to the driver as that task finishes.
 *
 * <p>Why an RDD and not a {@code Dataset<Candidate>}: a trial is an opaque function of one
 * candidate, not a relational step; the RDD keeps "one partition = one candidate = one task"
 * exact (a Dataset's planner may coalesce partitions), and {@code submitJob}'s per-partition
 * result handler exists only on RDDs. The journal is read back as a DataFrame
 * ({@link Journals#asDataFrame}).
 *
 * <p>Failures: the task runs the trial through {@link GuardedTrial}, so a candidate that throws
 * or runs out of memory gives a {@code FAILED} result and a successful task, never a Spark
 * retry. A task is retried only when its executor is lost; its third attempt records the
 * candidate as {@code FAILED} without running it ({@link #LOST_EXECUTOR_LIMIT}), so a candidate
 * that kills its executor cannot take the job down (Spark's {@code spark.task.maxFailures}
 * must be at least 3, its default is 4). Spark delivers one result per partition; the driver
 * also keeps the first result per id.
 *
 * <p>An {@link EnvironmentFailureException} (the trial could not run there: a missing program,
 * an unwritable folder, a full disk) is not retried by Spark either, as the same executor would
 * most likely fail the same way: the task succeeds with an {@link EnvironmentFailure}, handed to
 * {@link ResultSink#environmentFailure}, never to {@link ResultSink#accept}. A trial interrupted
 * by a cancelled job ({@code TrialInterruptedException}) delivers nothing.
 *
 * <p>Files: after the trial, the task delivers its files ({@link TrialFiles}); those that come back
 * with the result are written into {@code trials/<id>/} on the driver before the result reaches
 * the sink, so a journaled trial has its log there. A delivery that fails is an environment failure.
 */
public final class SparkTrialEvaluator implements TrialEvaluator {
    /** Executor losses after which a candidate is recorded as FAILED instead of tried again. */
    public static final int LOST_EXECUTOR_LIMIT = 2;
    private static final AtomicInteger JOBS = new AtomicInteger();

    private final SparkSession spark;
    private final TrialRunner runner;
    private final Consumer<String> notes;
    private volatile SimpleFutureAction<BoxedUnit> running;
    private volatile boolean cancelled;

    /** Notes (a trial's files that stayed on its executor) go to stderr. */
    public SparkTrialEvaluator(SparkSession spark, TrialRunner runner) {
        this(spark, runner, System.err::println);
    }

    /**
     * @param notes told, on the driver thread, when some of a trial's files stayed on its
     *              executor (over {@code trial.return_files_max_mb})
     */
    public SparkTrialEvaluator(SparkSession spark, TrialRunner runner, Consumer<String> notes) {
        this.spark = spark;
        this.runner = runner;
        this.notes = notes;
    }

    @Override
    public void evaluate(List<Candidate> candidates, String description, ResultSink sink) {
        if (candidates.isEmpty()) {
            return;
        }
        SparkContext sc = spark.sparkContext();
        JavaRDD<Candidate> rdd = JavaSparkContext.fromSparkContext(sc).parallelize(candidates, candidates.size());
        List<Object> partitions = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            partitions.add(i);
        }
        BlockingQueue<Delivery> arrived = new LinkedBlockingQueue<>();
        String group = "finegrained-" + JOBS.incrementAndGet();
        sc.setJobGroup(group, description, true); // interrupt task threads on cancel: command trials end their programs
        SimpleFutureAction<BoxedUnit> job;
        try {
            job = sc.submitJob(rdd.rdd(), new RunTrial(runner),
                    JavaConverters.asScalaBufferConverter(partitions).asScala(), new Deliver<>(arrived), new Unit());
        } finally {
            sc.clearJobGroup();
        }
        running = job;
        boolean stopped = cancelled;
        int delivered = 0;
        try {
            // Every partition delivers exactly one result, so the generation ends with the last
            // one (no wait for the job's own completion); a failed job ends it early.
            while (!stopped && delivered < candidates.size()) {
                Delivery delivery = arrived.poll(100, TimeUnit.MILLISECONDS);
                if (delivery != null) {
                    delivered++;
                    receiveFiles(delivery);
                    boolean goOn = delivery.result() != null ? sink.accept(delivery.result()) : sink.environmentFailure(delivery.failure());
                    stopped = !goOn || cancelled;
                } else if (job.isCompleted() && arrived.isEmpty()) {
                    break;
                } else {
                    stopped = cancelled;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        } finally {
            if (stopped) {
                job.cancel();
                awaitEnd(job);
            }
            running = null;
        }
        if (!stopped && delivered < candidates.size()) {
            Try<BoxedUnit> outcome = job.value().get();
            if (outcome.isFailure()) {
                Throwable e = outcome.failed().get();
                throw new IllegalStateException("Spark could not run the generation: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Writes the files a trial returned into the run directory before its result is journaled, so
     * a journaled trial has its log (and model) in {@code trials/<id>/}.
     */
    private void receiveFiles(Delivery delivery) {
        if (delivery.files() == null || !(runner instanceof TrialFiles.Placed placed)) {
            return;
        }
        String note = TrialFiles.writeInto(placed.files().trialsDirectory(), delivery.files());
        if (note != null) {
            notes.accept(note);
        }
    }

    private static void awaitEnd(SimpleFutureAction<BoxedUnit> job) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!job.isCompleted() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
        SimpleFutureAction<BoxedUnit> job = running;
        if (job != null) {
            job.cancel();
        }
    }

    /**
     * What a task sends back: a result, or an environment failure; and the trial's files when its
     * executor could not write them into the run directory (else null).
     */
    record Delivery(TrialResult result, EnvironmentFailure failure, TrialFiles.Returned files) implements Serializable {
    }

    /** The task: one partition, one candidate, one guarded trial. Runs on the executors. */
    static final class RunTrial extends AbstractFunction1<Iterator<Candidate>, Delivery> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final TrialRunner runner;

        RunTrial(TrialRunner runner) {
            this.runner = runner;
        }

        @Override
        public Delivery apply(Iterator<Candidate> partition) {
            Candidate candidate = partition.next();
            TaskContext task = TaskContext.get();
            int attempt = task == null ? 0 : task.attemptNumber();
            java.time.Instant started = java.time.Instant.now();
            useExecutorHadoopSettings();
            if (attempt >= LOST_EXECUTOR_LIMIT) {
                return new Delivery(TrialPlace.stamp(TrialResult.failed(candidate, "the trial's executor was lost " + attempt
                        + " times while running it (killed, out of native memory or crashed); not tried again", 0), started),
                        null, null);
            }
            try {
                TrialResult result = TrialPlace.stamp(GuardedTrial.run(runner, candidate), started);
                return new Delivery(result, null, deliverFiles(runner, candidate.id(), false, java.util.Map.of()));
            } catch (EnvironmentFailureException e) {
                return new Delivery(null, new EnvironmentFailure(candidate, e.getMessage(), TrialPlace.here()), null);
            }
        }
    }

    /**
     * After a trial, on its executor: its files copied to the run directory, or packed for the
     * driver ({@link TrialFiles.Destination#deliver}). Not being able to deliver them is the
     * environment's failure: the trial runs again (somewhere else, most likely).
     */
    static TrialFiles.Returned deliverFiles(Object trial, int id, boolean continuing, java.util.Map<String, Long> before) {
        if (!(trial instanceof TrialFiles.Placed placed)) {
            return null;
        }
        try {
            return placed.files().deliver(id, continuing, before);
        } catch (java.io.UncheckedIOException e) {
            throw new EnvironmentFailureException("trial " + id + "'s files could not be delivered: " + e.getMessage(), e);
        }
    }

    /**
     * Hands the trial the {@code spark.hadoop.*} settings this executor got from its driver, so
     * data on a remote file system is read with the cluster's Hadoop configuration. On executors.
     */
    static void useExecutorHadoopSettings() {
        org.apache.spark.SparkEnv env = org.apache.spark.SparkEnv.get();
        if (env != null) {
            java.util.Map<String, String> settings = new java.util.HashMap<>();
            for (scala.Tuple2<String, String> kv : env.conf().getAll()) {
                settings.put(kv._1(), kv._2());
            }
            io.finegrained.train.HadoopConf.useSparkSettings(settings);
        }
    }

    /**
     * Runs on the driver as each task succeeds (in Spark's scheduler thread): only queue it. The
     * segment runner's tasks deliver the same way.
     */
    static final class Deliver<T> extends AbstractFunction2<Object, T, BoxedUnit> {
        private final BlockingQueue<T> queue;

        Deliver(BlockingQueue<T> queue) {
            this.queue = queue;
        }

        @Override
        public BoxedUnit apply(Object partition, T result) {
            queue.add(result);
            return BoxedUnit.UNIT;
        }
    }

    /** The job's final result, which the queued deliveries make unneeded. */
    static final class Unit extends AbstractFunction0<BoxedUnit> {
        @Override
        public BoxedUnit apply() {
            return BoxedUnit.UNIT;
        }
    }
}
