/**
 * The search job on Spark: the driver loop ({@link io.finegrained.spark.SearchRun}), the
 * generation-as-a-Spark-job engine ({@link io.finegrained.spark.SparkTrialEvaluator}), the run
 * directory with its journal, lock and configuration ({@link io.finegrained.spark.RunDirectory},
 * {@link io.finegrained.spark.Journal}), progress lines and the final front; for asynchronous
 * runs, segments as Spark jobs ({@link io.finegrained.spark.SparkSegmentRunner}), the events
 * file ({@link io.finegrained.spark.Events}) and the glue for the search layer's loop
 * ({@link io.finegrained.spark.AsyncExecution}, docs/async-execution.md).
 *
 * <p>Contracts: the run-output contract of ARCHITECTURE.md (every result journaled durably as it
 * arrives, once per id; resume replays the journal through the algorithm, so no finished trial
 * runs again). Threads: the driver loop, journal writes and progress run on the caller's thread;
 * Spark's scheduler thread only queues results; {@link io.finegrained.spark.SearchRun#stop} may
 * be called from any thread (Ctrl-C). Everything that touches Spark lives here (and in
 * {@code cli}); the search layer and the trial runners know nothing of it.
 */
package io.finegrained.spark;
