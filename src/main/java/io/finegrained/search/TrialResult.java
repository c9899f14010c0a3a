package io.finegrained.search;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A finished trial, as journaled. A failed trial has no metrics and a non-null {@code error}; a
 * stopped one (STOPPED) the metrics of the last rung it reached.
 *
 * <p>Where and when it ran ({@code resource}, {@code started}, {@code finished},
 * {@code executor}) is optional: rows of older journals and results made in tests lack it. The
 * seven-argument constructor and the factories leave it unset; {@link #ranAt} adds it.
 *
 * @param seconds wall time of the trial on its executor (over all its segments)
 * @param resource the resource reached (epochs for a DJL trial, the last reported resource of a
 *                 command trial); 0 when unknown
 * @param started when its first segment started (UTC, to the millisecond), or null
 * @param finished when its last segment ended, or null
 * @param executor where it ran ({@code executor 3 (pid@host)}, {@code driver}), or null
 */
public record TrialResult(int id, int generation, TrialStatus status, Map<String, Object> hyperparameters,
                          Map<String, Double> metrics, String error, double seconds, int resource, Instant started,
                          Instant finished, String executor) implements java.io.Serializable {

    public TrialResult {
        // Milliseconds, as the journal keeps them: a result read back on resume then prints
        // exactly as it did when it was fresh.
        seconds = Math.round(seconds * 1000) / 1000.0;
        hyperparameters = Collections.unmodifiableMap(new LinkedHashMap<>(hyperparameters));
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        if (status == TrialStatus.FAILED && error == null) {
            throw new IllegalArgumentException("a failed trial needs its reason");
        }
        if (resource < 0) {
            throw new IllegalArgumentException("a resource is at least 0, got " + resource);
        }
        started = started == null ? null : started.truncatedTo(ChronoUnit.MILLIS);
        finished = finished == null ? null : finished.truncatedTo(ChronoUnit.MILLIS);
    }

    /** A result without where and when it ran (the form before those fields existed). */
    public TrialResult(int id, int generation, TrialStatus status, Map<String, Object> hyperparameters,
                       Map<String, Double> metrics, String error, double seconds) {
        this(id, generation, status, hyperparameters, metrics, error, seconds, 0, null, null, null);
    }

    public static TrialResult ok(Candidate c, Map<String, Double> metrics, double seconds) {
        return new TrialResult(c.id(), c.generation(), TrialStatus.OK, c.hyperparameters(), metrics, null, seconds);
    }

    public static TrialResult failed(Candidate c, String error, double seconds) {
        return new TrialResult(c.id(), c.generation(), TrialStatus.FAILED, c.hyperparameters(), Map.of(), error, seconds);
    }

    /** A trial stopped early at {@code resource}: the metrics of that rung. */
    public static TrialResult stopped(Candidate c, Map<String, Double> metrics, double seconds, int resource) {
        return new TrialResult(c.id(), c.generation(), TrialStatus.STOPPED, c.hyperparameters(), metrics, null, seconds,
                resource, null, null, null);
    }

    /** This result with where and when it ran. */
    public TrialResult ranAt(int resource, Instant started, Instant finished, String executor) {
        return new TrialResult(id, generation, status, hyperparameters, metrics, error, seconds, resource, started, finished,
                executor);
    }

    /** This result with another verdict and outcome, keeping who it is and where and when it ran. */
    public TrialResult withOutcome(TrialStatus status, Map<String, Object> hyperparameters, Map<String, Double> metrics,
                                   String error, double seconds) {
        return new TrialResult(id, generation, status, hyperparameters, metrics, error, seconds, resource, started, finished,
                executor);
    }

    public boolean isOk() {
        return status == TrialStatus.OK;
    }
}
