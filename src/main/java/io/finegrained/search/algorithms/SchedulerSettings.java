package io.finegrained.search.algorithms;

import io.finegrained.config.ConfigException;
import io.finegrained.config.ConfigNode;
import io.finegrained.config.MapNode;
import io.finegrained.config.Nodes;
import io.finegrained.config.ScalarNode;
import io.finegrained.config.Suggestions;
import io.finegrained.search.AlgorithmSection;
import io.finegrained.search.async.Asha;
import io.finegrained.search.async.Hyperband;
import io.finegrained.search.async.Rungs;
import io.finegrained.search.async.Scheduler;
import java.util.List;
import java.util.Locale;

/**
 * The {@code scheduler} key of an asynchronous algorithm:
 * {@code scheduler: {type: ASHA, eta: 3, min_resource: 1, max_resource: 9}} (or
 * {@code type: Hyperband}). {@code max_resource} is the trial's full budget (its epochs for a DJL
 * trial, the resource a command trial is asked to reach) and is required; {@code min_resource}
 * defaults to 1, {@code eta} to 3. Absent: no early stopping, every trial trains its budget.
 */
public record SchedulerSettings(String type, int eta, int minResource, int maxResource) {
    public static final List<String> KEYS = List.of("type", "eta", "min_resource", "max_resource");
    public static final List<String> TYPES = List.of("ASHA", "Hyperband");
    public static final int DEFAULT_ETA = 3;
    static final int MAX_RESOURCE = 1_000_000;

    /** The settings of the section's {@code scheduler}, or null when it has none. */
    public static SchedulerSettings read(AlgorithmSection section) {
        if (!section.has("scheduler")) {
            return null;
        }
        ConfigNode node = section.require("scheduler");
        if (node instanceof ScalarNode s && s.isNull()) {
            return null;
        }
        if (!(node instanceof MapNode map)) {
            throw ConfigException.at(node, "scheduler is a map, e.g. {type: ASHA, eta: 3, min_resource: 1, max_resource: 9}");
        }
        map.checkKeys(KEYS, "the scheduler section");
        AlgorithmSection s = new AlgorithmSection(map);
        String type = "ASHA";
        if (map.has("type")) {
            String written = Nodes.scalar(map.require("type")).asString();
            type = TYPES.stream().filter(t -> t.equalsIgnoreCase(written)).findFirst().orElse(null);
            if (type == null) {
                List<String> close = Suggestions.closest(written, TYPES);
                throw ConfigException.at(map.require("type"), "unknown scheduler '" + written + "'"
                        + (close.isEmpty() ? "" : "; did you mean " + Suggestions.quoteAll(close) + "?")
                        + " (known: " + String.join(", ", TYPES) + ")");
            }
        }
        int eta = s.optInt("eta", 2, 1000, "").orElse(DEFAULT_ETA);
        int min = s.optInt("min_resource", 1, MAX_RESOURCE, "").orElse(1);
        if (!map.has("max_resource")) {
            throw new ConfigException(map.location(), map.path(), "the scheduler needs max_resource: a trial's full budget"
                    + " (its epochs for the DJL trainer, the resource a command trial is asked to reach)");
        }
        int max = s.optInt("max_resource", 1, MAX_RESOURCE, "").orElseThrow();
        if (max < min) {
            throw s.errorAt("max_resource", "max_resource (" + max + ") is below min_resource (" + min + ")");
        }
        return new SchedulerSettings(type.toUpperCase(Locale.ROOT).equals("ASHA") ? "ASHA" : type, eta, min, max);
    }

    /** The rule, over {@code objectives} objectives; its multi-objective samples seeded by {@code seed}. */
    public Scheduler create(int objectives, long seed) {
        Rungs rungs = new Rungs(minResource, maxResource, eta);
        return type.equals("Hyperband") ? new Hyperband(rungs, objectives, seed) : new Asha(rungs, objectives, seed);
    }
}
