package io.finegrained.config;

/** Casts between node kinds with located errors instead of {@code ClassCastException}. */
public final class Nodes {
    private Nodes() {
    }

    public static ScalarNode scalar(ConfigNode node) {
        if (node instanceof ScalarNode s) {
            return s;
        }
        throw ConfigException.at(node, "expected a single value, found " + node.describe());
    }

    public static MapNode map(ConfigNode node) {
        if (node instanceof MapNode m) {
            return m;
        }
        throw ConfigException.at(node, "expected a map of keys, found " + node.describe());
    }

    public static ListNode list(ConfigNode node) {
        if (node instanceof ListNode l) {
            return l;
        }
        throw ConfigException.at(node, "expected a list, found " + node.describe());
    }
}
