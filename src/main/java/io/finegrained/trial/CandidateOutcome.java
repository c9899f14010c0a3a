package io.finegrained.trial;

import io.finegrained.space.NetworkSummary;
import io.finegrained.train.TrainingOutcome;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What training one candidate gave: the trainer's outcome and the counts of the network trained.
 *
 * @param summary params, MACs (and bitops) of the network as built (a Prune mask applied)
 * @param training the trainer's outcome: OK with accuracy, loss, latency_ms, train_seconds, or
 *     FAILED with the reason
 */
public record CandidateOutcome(NetworkSummary summary, TrainingOutcome training) {

    public boolean ok() {
        return training.ok();
    }

    /** Why it failed, or null. */
    public String reason() {
        return training.reason();
    }

    /**
     * On success the trainer's metrics followed by {@code params}, {@code macs} and, for a
     * quantized network, {@code bitops}: the metric names a DJL trial reports. Empty on failure.
     */
    public Map<String, Double> metrics() {
        if (!ok()) {
            return Map.of();
        }
        Map<String, Double> metrics = new LinkedHashMap<>(training.metrics());
        metrics.put("params", (double) summary.params());
        metrics.put("macs", (double) summary.macs());
        if (summary.bitops() != null) {
            metrics.put("bitops", (double) summary.bitops());
        }
        return metrics;
    }
}
