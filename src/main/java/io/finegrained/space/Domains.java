package io.finegrained.space;

import io.finegrained.config.ConfigException;
import io.finegrained.config.ConfigNode;
import io.finegrained.config.ListNode;
import io.finegrained.config.MapNode;
import io.finegrained.config.Nodes;
import io.finegrained.config.ScalarNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads a domain from its YAML forms (see the domain table in docs/configuration.md). */
public final class Domains {
    public static final List<String> TYPES = List.of("BINARY_CODE", "CATEGORY", "INT", "FLOAT", "FLOAT_EXP", "BOOL");

    private Domains() {
    }

    /**
     * Parses {@code key: [0, 1, 1, 0]} (a binary code whose default is the list) or
     * {@code key: {type: ..., range: ..., length: ..., ones: ..., default: ...}}.
     */
    public static Domain parse(ConfigNode node) {
        if (node instanceof ListNode list) {
            List<Integer> bits = list.asIntList();
            for (int i = 0; i < bits.size(); i++) {
                if (bits.get(i) != 0 && bits.get(i) != 1) {
                    throw ConfigException.at(list.get(i), "a binary code holds only 0 and 1, found " + bits.get(i));
                }
            }
            if (bits.isEmpty()) {
                throw ConfigException.at(list, "a binary code needs at least one bit");
            }
            return new Domain.BinaryCode(bits.size(), null, bits);
        }
        MapNode map = Nodes.map(node);
        String type = map.requireString("type").toUpperCase(Locale.ROOT);
        try {
            return switch (type) {
                case "BINARY_CODE" -> binaryCode(map);
                case "CATEGORY" -> {
                    map.checkKeys(List.of("type", "range", "default"), "a CATEGORY domain");
                    ListNode range = map.optList("range").orElseThrow(() -> missing(map, "range"));
                    List<Object> values = new ArrayList<>();
                    for (ConfigNode item : range.items()) {
                        Object value = Nodes.scalar(item).value();
                        if (value == null) {
                            // A value the search could propose must be something: null is no value.
                            throw ConfigException.at(item, "a CATEGORY value cannot be empty (null or ~); write the value,"
                                    + " or quote it ('null') to mean the text");
                        }
                        values.add(value);
                    }
                    Object dflt = map.get("default").map(n -> Nodes.scalar(n).value()).orElse(null);
                    Domain.Category c = new Domain.Category(values, null);
                    yield new Domain.Category(values, dflt == null ? null : c.canonical(dflt));
                }
                case "INT" -> {
                    map.checkKeys(List.of("type", "range", "default"), "an INT domain");
                    ListNode range = pair(map);
                    Long dflt = map.get("default").map(n -> Nodes.scalar(n).asLong()).orElse(null);
                    Domain.IntRange r = new Domain.IntRange(Nodes.scalar(range.get(0)).asLong(), Nodes.scalar(range.get(1)).asLong(), null);
                    yield new Domain.IntRange(r.low(), r.high(), dflt == null ? null : (Long) r.canonical(dflt));
                }
                case "FLOAT", "FLOAT_EXP" -> {
                    map.checkKeys(List.of("type", "range", "default"), "a " + type + " domain");
                    ListNode range = pair(map);
                    Double dflt = map.get("default").map(n -> Nodes.scalar(n).asDouble()).orElse(null);
                    Domain.FloatRange r = new Domain.FloatRange(Nodes.scalar(range.get(0)).asDouble(),
                            Nodes.scalar(range.get(1)).asDouble(), type.equals("FLOAT_EXP"), null);
                    yield new Domain.FloatRange(r.low(), r.high(), r.log(), dflt == null ? null : (Double) r.canonical(dflt));
                }
                case "BOOL" -> {
                    map.checkKeys(List.of("type", "default"), "a BOOL domain");
                    yield new Domain.Bool(map.get("default").map(n -> Nodes.scalar(n).asBoolean()).orElse(null));
                }
                default -> throw ConfigException.at(map.require("type"),
                        "unknown domain type '" + type + "' (known: " + String.join(", ", TYPES) + ")");
            };
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(map, e.getMessage());
        }
    }

    private static Domain binaryCode(MapNode map) {
        map.checkKeys(List.of("type", "length", "ones", "default"), "a BINARY_CODE domain");
        int length = map.requireInt("length");
        Integer ones = map.has("ones") ? map.requireInt("ones") : null;
        List<Integer> dflt = map.optList("default").map(ListNode::asIntList).orElse(null);
        Domain.BinaryCode code = new Domain.BinaryCode(length, ones, null);
        if (dflt != null) {
            code.canonical(dflt);
        }
        return new Domain.BinaryCode(length, ones, dflt);
    }

    private static ListNode pair(MapNode map) {
        ListNode range = map.optList("range").orElseThrow(() -> missing(map, "range"));
        if (range.size() != 2) {
            throw ConfigException.at(range, "a range is [low, high], found a list of " + range.size());
        }
        return range;
    }

    private static ConfigException missing(MapNode map, String key) {
        return new ConfigException(map.location(), map.childPath(key), "missing required key '" + key + "'");
    }

    /** True when the node is a scalar null. */
    static boolean isNull(ConfigNode node) {
        return node instanceof ScalarNode s && s.isNull();
    }
}
