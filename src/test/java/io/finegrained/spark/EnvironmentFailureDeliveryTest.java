package io.finegrained.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.search.Candidate;
import io.finegrained.search.TrialResult;
import io.finegrained.trial.CommandTrial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An environment failure on an executor reaches the driver as what it is (issue #14): not a
 * result, not a Spark task failure, but {@link TrialEvaluator.ResultSink#environmentFailure}.
 */
class EnvironmentFailureDeliveryTest {
    private final SparkSession spark = TestSpark.session();
    @TempDir
    Path tmp;

    @Test
    void aTrialWhoseFolderCannotBeMadeArrivesAsAnEnvironmentFailureNotAResult() throws Exception {
        Path trials = tmp.resolve("trials");
        Files.createDirectories(trials);
        Files.writeString(trials.resolve("1"), "a file where trial 1's folder should go");
        CommandTrial trial = new CommandTrial(List.of("/bin/sh", "-c", "echo '{\"f\": 2}'"), 30, trials.toString());
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            candidates.add(new Candidate(i, 0, Map.of("x", i)));
        }
        List<String> failedTasks = new CopyOnWriteArrayList<>();
        SparkListener listener = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (!end.reason().toString().equals("Success")) {
                    failedTasks.add(end.reason().toString());
                }
            }
        };
        List<TrialResult> results = new CopyOnWriteArrayList<>();
        List<TrialEvaluator.EnvironmentFailure> failures = new CopyOnWriteArrayList<>();
        spark.sparkContext().addSparkListener(listener);
        try {
            new SparkTrialEvaluator(spark, trial).evaluate(candidates, "environment", new TrialEvaluator.ResultSink() {
                @Override
                public boolean accept(TrialResult result) {
                    results.add(result);
                    return true;
                }

                @Override
                public boolean environmentFailure(TrialEvaluator.EnvironmentFailure failure) {
                    failures.add(failure);
                    return true;
                }
            });
        } finally {
            spark.sparkContext().removeSparkListener(listener);
        }
        assertEquals(List.of(0, 2), results.stream().map(TrialResult::id).sorted().toList());
        assertTrue(results.stream().allMatch(r -> r.isOk() && r.metrics().equals(Map.of("f", 2.0))), results.toString());
        assertEquals(1, failures.size());
        TrialEvaluator.EnvironmentFailure failure = failures.get(0);
        assertEquals(candidates.get(1), failure.candidate());
        assertTrue(failure.reason().startsWith("cannot prepare the trial's folder " + trials.resolve("1") + " on "), failure.reason());
        assertTrue(failure.executor().startsWith("driver ("), failure.executor());
        assertTrue(failure.describe().startsWith("trial 1 could not run on executor driver ("), failure.describe());
        assertTrue(failure.describe().endsWith("(an environment failure, not the candidate's: no journal row; it runs again on --resume)"));
        assertEquals(List.of(), failedTasks, "no Spark task failed or was retried");
        assertEquals("a file where trial 1's folder should go", Files.readString(trials.resolve("1")));
    }
}
