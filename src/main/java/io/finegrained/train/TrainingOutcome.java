package io.finegrained.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The result of training and scoring one network. A failed outcome (loss NaN or diverging, a
 * network that does not fit the data, an engine error) has a reason and no metrics.
 *
 * @param status OK or FAILED
 * @param reason why it failed, or null
 * @param metrics on success: {@code accuracy} (a fraction), {@code loss}, {@code latency_ms} (per
 *     sample, batch of one, on the trial's device), {@code train_seconds}
 * @param epochs epochs completed
 * @param seconds wall time of the whole call (training, scoring, latency)
 */
public record TrainingOutcome(Status status, String reason, Map<String, Double> metrics, int epochs, double seconds) {

    /** Whether the trial produced metrics. */
    public enum Status { OK, FAILED }

    public TrainingOutcome {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        if (status == Status.FAILED && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("a failed outcome needs a reason");
        }
    }

    static TrainingOutcome ok(Map<String, Double> metrics, int epochs, double seconds) {
        return new TrainingOutcome(Status.OK, null, metrics, epochs, seconds);
    }

    static TrainingOutcome failed(String reason, int epochs, double seconds) {
        return new TrainingOutcome(Status.FAILED, reason, Map.of(), epochs, seconds);
    }

    public boolean ok() {
        return status == Status.OK;
    }
}
