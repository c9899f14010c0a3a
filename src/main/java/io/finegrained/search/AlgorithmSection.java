package io.finegrained.search;

import io.finegrained.config.ConfigException;
import io.finegrained.config.ConfigNode;
import io.finegrained.config.ListNode;
import io.finegrained.config.MapNode;
import io.finegrained.config.Nodes;
import java.util.List;
import java.util.Optional;

/**
 * The {@code search_algorithm} section as a provider reads it: typed readers that check ranges
 * and refuse with the key's place in the file, and errors located at a key or at the section.
 * Keys were already checked against the provider's {@link AlgorithmProvider#keys()}.
 */
public final class AlgorithmSection {
    private final MapNode node;

    public AlgorithmSection(MapNode node) {
        this.node = node;
    }

    /** The section as written. */
    public MapNode node() {
        return node;
    }

    public boolean has(String key) {
        return node.has(key);
    }

    /** An integer in [min, max], or empty when not written; {@code why} explains the cap in the refusal. */
    public Optional<Integer> optInt(String key, int min, int max, String why) {
        if (!node.has(key)) {
            return Optional.empty();
        }
        ConfigNode value = node.require(key);
        long v = Nodes.scalar(value).asLong();
        if (v < min) {
            String budget = min == 1 && isBudget(key) ? " (a budget of zero trials runs nothing)" : "";
            throw ConfigException.at(value, key + " must be at least " + min + ", got " + v + budget);
        }
        if (v > max) {
            throw ConfigException.at(value, key + " is at most " + max + ", got " + v + (why.isEmpty() ? "" : ": " + why));
        }
        return Optional.of((int) v);
    }

    public long optLong(String key, long dflt) {
        return node.optLong(key, dflt);
    }

    /** A probability in [0, 1]. */
    public double probability(String key, double dflt) {
        if (!node.has(key)) {
            return dflt;
        }
        double v = Nodes.scalar(node.require(key)).asDouble();
        if (!(v >= 0 && v <= 1)) {
            throw ConfigException.at(node.require(key), key + " is a probability in [0, 1], got " + v);
        }
        return v;
    }

    /** A finite number of at least 0. */
    public double nonNegative(String key, double dflt) {
        if (!node.has(key)) {
            return dflt;
        }
        double v = Nodes.scalar(node.require(key)).asDouble();
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw ConfigException.at(node.require(key), key + " must be a finite number of at least 0, got " + v);
        }
        return v;
    }

    /** A list, or empty when not written. */
    public Optional<ListNode> optList(String key) {
        return node.optList(key);
    }

    /** The node written at the key (for errors about one item of a list). */
    public ConfigNode require(String key) {
        return node.require(key);
    }

    /** An error about the section as a whole: at {@code type} when written, else at the section. */
    public ConfigException error(String problem) {
        if (node.has("type")) {
            return ConfigException.at(node.require("type"), problem);
        }
        return new ConfigException(node.location(), node.path(), problem);
    }

    /** An error about one key, at that key when written, else about the section. */
    public ConfigException errorAt(String key, String problem) {
        if (node.has(key)) {
            return new ConfigException(node.keyLocation(key), node.childPath(key), problem);
        }
        return error(problem);
    }

    private static boolean isBudget(String key) {
        return List.of("population", "generations", "samples").contains(key);
    }
}
