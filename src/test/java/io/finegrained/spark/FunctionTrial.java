package io.finegrained.spark;

import io.finegrained.search.Candidate;
import io.finegrained.search.TrialResult;
import io.finegrained.trial.TrialRunner;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process trial for the driver's tests: f1 = x, f2 = (1 - x)² + y, computed at once, with
 * optional misbehaviour. Counts its calls per id in this JVM (Spark local mode runs tasks here).
 */
record FunctionTrial(Behaviour behaviour, double argument) implements TrialRunner {
    static final Map<Integer, AtomicInteger> CALLS = new ConcurrentHashMap<>();

    enum Behaviour { NORMAL, THROW_ALWAYS, OMIT_F2, NAN_F1, SLEEP_FOR_ID0, THROW_FOR_ID1, LOSE_TASK_FOR_ID1 }

    static FunctionTrial normal() {
        return new FunctionTrial(Behaviour.NORMAL, 0);
    }

    @Override
    public TrialResult run(Candidate c) {
        CALLS.computeIfAbsent(c.id(), k -> new AtomicInteger()).incrementAndGet();
        double x = ((Number) c.hyperparameters().get("x")).doubleValue();
        double y = ((Number) c.hyperparameters().get("y")).doubleValue();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("f1", x);
        metrics.put("f2", (1 - x) * (1 - x) + y);
        switch (behaviour) {
            case THROW_ALWAYS -> throw new IllegalStateException("diverged: loss is NaN");
            case OMIT_F2 -> metrics.remove("f2");
            case NAN_F1 -> metrics.put("f1", c.id() == 0 ? Double.NaN : x);
            case SLEEP_FOR_ID0 -> {
                if (c.id() == 0) {
                    sleep(argument);
                }
            }
            case THROW_FOR_ID1 -> {
                if (c.id() == 1) {
                    throw new ArithmeticException("width 0");
                }
            }
            case LOSE_TASK_FOR_ID1 -> {
                if (c.id() == 1) {
                    // Passes GuardedTrial like an executor loss would: the task fails, Spark retries it.
                    throw new io.finegrained.trial.TrialInterruptedException("task lost");
                }
            }
            default -> { }
        }
        return TrialResult.ok(c, metrics, 0.01);
    }

    private static void sleep(double seconds) {
        try {
            Thread.sleep(Math.round(seconds * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
