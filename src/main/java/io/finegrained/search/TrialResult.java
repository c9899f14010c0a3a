package io.finegrained.search;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A finished trial, as journaled. A failed trial has no metrics and a non-null {@code error}.
 *
 * @param seconds wall time of the trial on its executor
 */
public record TrialResult(int id, int generation, TrialStatus status, Map<String, Object> hyperparameters,
                          Map<String, Double> metrics, String error, double seconds) implements java.io.Serializable {

    public TrialResult {
        // Milliseconds, as the journal keeps them: a result read back on resume then prints
        // exactly as it did when it was fresh.
        seconds = Math.round(seconds * 1000) / 1000.0;
        hyperparameters = Collections.unmodifiableMap(new LinkedHashMap<>(hyperparameters));
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        if (status == TrialStatus.FAILED && error == null) {
            throw new IllegalArgumentException("a failed trial needs its reason");
        }
    }

    public static TrialResult ok(Candidate c, Map<String, Double> metrics, double seconds) {
        return new TrialResult(c.id(), c.generation(), TrialStatus.OK, c.hyperparameters(), metrics, null, seconds);
    }

    public static TrialResult failed(Candidate c, String error, double seconds) {
        return new TrialResult(c.id(), c.generation(), TrialStatus.FAILED, c.hyperparameters(), Map.of(), error, seconds);
    }

    public boolean isOk() {
        return status == TrialStatus.OK;
    }
}
