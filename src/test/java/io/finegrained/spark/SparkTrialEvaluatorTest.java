package io.finegrained.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.search.Candidate;
import io.finegrained.search.TrialResult;
import io.finegrained.search.TrialStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Spark side of a generation, on a real local Spark (two task slots, retries as on a cluster). */
class SparkTrialEvaluatorTest {
    private final SparkSession spark = TestSpark.session();

    @BeforeEach
    void resetCounts() {
        FunctionTrial.CALLS.clear();
    }

    private static List<Candidate> candidates(int n) {
        List<Candidate> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Candidate(i, 0, Map.of("x", i / 10.0, "y", 0.5)));
        }
        return out;
    }

    private List<TrialResult> evaluate(FunctionTrial runner, int n, String description) {
        List<TrialResult> arrived = new ArrayList<>();
        new SparkTrialEvaluator(spark, runner).evaluate(candidates(n), description, arrived::add);
        return arrived;
    }

    @Test
    void eachResultArrivesAsItsTaskFinishesOneTaskPerCandidate() {
        List<Integer> tasksPerStage = new CopyOnWriteArrayList<>();
        List<String> descriptions = new CopyOnWriteArrayList<>();
        SparkListener listener = new SparkListener() {
            @Override
            public void onStageSubmitted(SparkListenerStageSubmitted stage) {
                tasksPerStage.add(stage.stageInfo().numTasks());
            }

            @Override
            public void onJobStart(SparkListenerJobStart job) {
                descriptions.add(job.properties().getProperty("spark.job.description"));
            }
        };
        spark.sparkContext().addSparkListener(listener);
        try {
            List<TrialResult> arrived = evaluate(new FunctionTrial(FunctionTrial.Behaviour.SLEEP_FOR_ID0, 3), 6,
                    "generation 1/2 · 6 candidates");
            assertEquals(6, arrived.size());
            assertEquals(0, arrived.get(5).id(), "the slow first candidate's result comes last, the others did not wait for it");
            assertEquals(List.of(6), tasksPerStage);
            assertEquals(List.of("generation 1/2 · 6 candidates"), descriptions);
        } finally {
            spark.sparkContext().removeSparkListener(listener);
        }
    }

    @Test
    void aThrowingCandidateFailsOnceAndIsNotRetried() {
        List<TrialResult> arrived = evaluate(new FunctionTrial(FunctionTrial.Behaviour.THROW_FOR_ID1, 0), 3, "throws");
        TrialResult failed = arrived.stream().filter(r -> r.id() == 1).findFirst().orElseThrow();
        assertEquals(TrialStatus.FAILED, failed.status());
        assertEquals("ArithmeticException: width 0", failed.error());
        assertEquals(1, FunctionTrial.CALLS.get(1).get(), "a candidate's own failure is final");
        assertEquals(2, arrived.stream().filter(TrialResult::isOk).count());
    }

    @Test
    void aTaskLostTwiceRecordsItsCandidateAsFailed() {
        // Spark logs each lost attempt with its stack trace: expected here, so kept off the test output.
        Configurator.setLevel("org.apache.spark.executor.Executor", Level.OFF);
        Configurator.setLevel("org.apache.spark.scheduler.TaskSetManager", Level.OFF);
        List<TrialResult> arrived;
        try {
            arrived = evaluate(new FunctionTrial(FunctionTrial.Behaviour.LOSE_TASK_FOR_ID1, 0), 3, "loses a task");
        } finally {
            Configurator.setLevel("org.apache.spark.executor.Executor", Level.WARN);
            Configurator.setLevel("org.apache.spark.scheduler.TaskSetManager", Level.WARN);
        }
        assertEquals(3, arrived.size());
        TrialResult lost = arrived.stream().filter(r -> r.id() == 1).findFirst().orElseThrow();
        assertEquals(TrialStatus.FAILED, lost.status());
        assertTrue(lost.error().startsWith("the trial's executor was lost 2 times"), lost.error());
        assertEquals(SparkTrialEvaluator.LOST_EXECUTOR_LIMIT, FunctionTrial.CALLS.get(1).get());
    }
}
