package io.finegrained.search;

import io.finegrained.config.ConfigException;
import io.finegrained.config.ConfigNode;
import io.finegrained.config.JobConfig;
import io.finegrained.config.ListNode;
import io.finegrained.config.Location;
import io.finegrained.config.MapNode;
import io.finegrained.config.Nodes;
import io.finegrained.config.ScalarNode;
import io.finegrained.config.Suggestions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code constraints} section: limits on what the network alone decides ({@code params},
 * {@code macs}, {@code bitops}, as NetworkFacts measures them), checked when a candidate is
 * proposed, so a candidate that breaks one is drawn again and never trained. Two forms:
 * <pre>
 * constraints: ["macs &lt;= 5e7", "params &lt;= 1e6"]
 * constraints: {macs: "&lt;= 5e7", params: {max: 1e6, min: 1e4}}
 * </pre>
 *
 * @param limits in file order
 * @param section the section as written, to locate later errors
 */
public record Constraints(List<Limit> limits, ConfigNode section) {

    /** The metrics a constraint may name. */
    public static final List<String> METRICS = List.of("params", "macs", "bitops");

    private static final Pattern TEXT = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(<=|>=|<|>)\\s*(\\S+)\\s*");

    /** One limit, {@code metric op bound}, with where it was written. */
    public record Limit(String metric, String operator, double bound, ConfigNode node) {
        boolean holds(double value) {
            return switch (operator) {
                case "<=" -> value <= bound;
                case "<" -> value < bound;
                case ">=" -> value >= bound;
                default -> value > bound;
            };
        }

        @Override
        public String toString() {
            return metric + " " + operator + " " + format(bound);
        }
    }

    public Constraints {
        limits = List.copyOf(limits);
    }

    /** No constraints. */
    public static Constraints none() {
        return new Constraints(List.of(), MapNode.empty(Location.builtIn("<none>"), "constraints"));
    }

    /**
     * The job's {@code constraints} section, list or map ({@link JobConfig#section} reads maps
     * only, so the driver should use this); none when the file has no such section.
     */
    public static Constraints of(JobConfig job) {
        return job.root().get("constraints").map(Constraints::from).orElseGet(Constraints::none);
    }

    /** Reads the section; an absent (empty) or null section gives no constraints. */
    public static Constraints from(ConfigNode section) {
        List<Limit> limits = new ArrayList<>();
        if (section instanceof ScalarNode s && s.isNull()) {
            return new Constraints(limits, section);
        }
        if (section instanceof ListNode list) {
            for (ConfigNode item : list.items()) {
                limits.add(parseText(Nodes.scalar(item).asString(), null, item));
            }
        } else {
            MapNode map = Nodes.map(section);
            for (String metric : map.keys()) {
                ConfigNode node = map.require(metric);
                checkMetric(metric, node);
                if (node instanceof MapNode bounds) {
                    bounds.checkKeys(List.of("min", "max"), "a constraint on " + metric);
                    if (bounds.keys().isEmpty()) {
                        throw ConfigException.at(bounds, "give 'max', 'min' or both");
                    }
                    if (bounds.has("min")) {
                        limits.add(new Limit(metric, ">=", Nodes.scalar(bounds.require("min")).asDouble(), bounds.require("min")));
                    }
                    if (bounds.has("max")) {
                        limits.add(new Limit(metric, "<=", Nodes.scalar(bounds.require("max")).asDouble(), bounds.require("max")));
                    }
                } else {
                    ScalarNode s = Nodes.scalar(node);
                    if (!s.isString()) {
                        throw ConfigException.at(node, "write the limit with its comparison, e.g. '<= 5e7' or {max: 5e7}, found " + s.describe());
                    }
                    limits.add(parseText(metric + " " + s.asString(), metric, node));
                }
            }
        }
        return new Constraints(limits, section);
    }

    public boolean isEmpty() {
        return limits.isEmpty();
    }

    /** True when some limit names this metric. */
    public boolean mentions(String metric) {
        return limits.stream().anyMatch(l -> l.metric().equals(metric));
    }

    /** The first limit the measured metrics break, as a sentence, or empty when all hold. */
    public Optional<String> check(Map<String, Double> staticMetrics) {
        for (Limit limit : limits) {
            Double value = staticMetrics.get(limit.metric());
            if (value == null || value.isNaN()) {
                return Optional.of(limit.metric() + " is not measured for this network, so '" + limit + "' cannot hold");
            }
            if (!limit.holds(value)) {
                return Optional.of(limit.metric() + " = " + format(value) + " breaks '" + limit + "'");
            }
        }
        return Optional.empty();
    }

    private static Limit parseText(String text, String expectedMetric, ConfigNode node) {
        Matcher m = TEXT.matcher(text);
        if (!m.matches()) {
            throw ConfigException.at(node, "a constraint reads 'metric <= number' (or <, >=, >), found '" + text + "'");
        }
        String metric = m.group(1);
        checkMetric(metric, node);
        double bound;
        try {
            bound = Double.parseDouble(m.group(3));
        } catch (NumberFormatException e) {
            throw ConfigException.at(node, "the limit of '" + text.trim() + "' is not a number: '" + m.group(3) + "'");
        }
        if (Double.isNaN(bound) || Double.isInfinite(bound)) {
            throw ConfigException.at(node, "the limit of '" + text.trim() + "' must be finite");
        }
        return new Limit(metric, m.group(2), bound, node);
    }

    private static void checkMetric(String metric, ConfigNode node) {
        if (!METRICS.contains(metric)) {
            List<String> close = Suggestions.closest(metric, METRICS);
            throw ConfigException.at(node, "a constraint limits what the network alone decides (" + String.join(", ", METRICS)
                    + "), not '" + metric + "'" + (close.isEmpty() ? "" : "; did you mean " + Suggestions.quoteAll(close) + "?"));
        }
    }

    static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
