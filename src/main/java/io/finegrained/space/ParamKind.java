package io.finegrained.space;

import io.finegrained.config.ConfigException;
import io.finegrained.config.ConfigNode;
import io.finegrained.config.ListNode;
import io.finegrained.config.MapNode;
import io.finegrained.config.Nodes;
import io.finegrained.config.ScalarNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kind of value a module parameter holds, and its canonical Java form (what
 * {@link ModuleSpec} stores, so equal networks have equal descriptions):
 * <ul>
 *   <li>{@code INT} {@code Long}; {@code FLOAT} {@code Double}; {@code BOOL} {@code Boolean};
 *       {@code STRING} {@code String};</li>
 *   <li>{@code INT_LIST} {@code List<Long>}; {@code INT_MATRIX} {@code List<List<Long>>};
 *       {@code INT_PAIR} a {@code List<Long>} of two (a single number {@code n} means
 *       {@code [n, n]}); {@code STRING_LIST} {@code List<String>};</li>
 *   <li>{@code MODULE} a nested {@link ModuleSpec} ({@code block: {type: BasicBlock}}, or just
 *       the type name as text);</li>
 *   <li>{@code ITEMS} a map from a parameter name to a list of ints, one per repetition
 *       ({@code Repeat}'s {@code items});</li>
 *   <li>{@code MAP} plain nested maps and lists, kept as written (the root's {@code define}).</li>
 * </ul>
 */
public enum ParamKind {
    INT("an integer"),
    FLOAT("a number"),
    BOOL("true or false"),
    STRING("a text"),
    INT_LIST("a list of integers"),
    INT_MATRIX("a list of lists of integers"),
    INT_PAIR("an integer or a pair [a, b]"),
    STRING_LIST("a list of names"),
    MODULE("a module ({type: ..., ...})"),
    ITEMS("a map of integer lists"),
    MAP("a map");

    private final String description;

    ParamKind(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /**
     * Canonical form of a plain value (from JSON, a search algorithm, or code), or
     * {@link IllegalArgumentException} saying why it does not fit. A {@code MODULE} value may be
     * a {@link ModuleSpec}, a type name, or a map with a {@code type}.
     */
    public Object coerce(Object value) {
        if (value == null) {
            throw new IllegalArgumentException("expected " + description + ", got nothing");
        }
        switch (this) {
            case INT:
                return toLong(value);
            case FLOAT:
                if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
                    return n.doubleValue();
                }
                throw wrong(value);
            case BOOL:
                if (value instanceof Boolean b) {
                    return b;
                }
                throw wrong(value);
            case STRING:
                if (value instanceof String s) {
                    return s;
                }
                throw wrong(value);
            case INT_LIST:
                return longList(value);
            case INT_MATRIX: {
                if (!(value instanceof List<?> rows)) {
                    throw wrong(value);
                }
                List<List<Long>> out = new ArrayList<>();
                for (Object row : rows) {
                    out.add(longList(row));
                }
                return Collections.unmodifiableList(out);
            }
            case INT_PAIR: {
                if (value instanceof Number) {
                    long v = toLong(value);
                    return List.of(v, v);
                }
                List<Long> pair = longList(value);
                if (pair.size() != 2) {
                    throw new IllegalArgumentException("expected " + description + ", got a list of " + pair.size());
                }
                return pair;
            }
            case STRING_LIST: {
                if (!(value instanceof List<?> list)) {
                    throw wrong(value);
                }
                List<String> out = new ArrayList<>();
                for (Object o : list) {
                    if (!(o instanceof String s)) {
                        throw wrong(value);
                    }
                    out.add(s);
                }
                return Collections.unmodifiableList(out);
            }
            case MODULE:
                if (value instanceof ModuleSpec spec) {
                    return spec;
                }
                if (value instanceof String type) {
                    return ModuleSpec.builder(type).build();
                }
                if (value instanceof Map<?, ?> map && map.get("type") instanceof String type) {
                    ModuleSpec.Builder b = ModuleSpec.builder(type);
                    map.forEach((k, v) -> {
                        if (!"type".equals(k)) {
                            b.set(String.valueOf(k), v instanceof Map<?, ?> m && m.containsKey("type") ? MODULE.coerce(v) : plainCopy(v), null);
                        }
                    });
                    return b.build();
                }
                throw wrong(value);
            case ITEMS: {
                if (!(value instanceof Map<?, ?> map)) {
                    throw wrong(value);
                }
                Map<String, List<Long>> out = new LinkedHashMap<>();
                map.forEach((k, v) -> out.put(String.valueOf(k), longList(v)));
                return Collections.unmodifiableMap(out);
            }
            case MAP:
                if (value instanceof Map<?, ?>) {
                    return plainCopy(value);
                }
                throw wrong(value);
            default:
                throw new AssertionError(this);
        }
    }

    /** Reads a loaded YAML value of this kind, with a located error when it does not fit. */
    public Object read(ConfigNode node) {
        try {
            if (this == MODULE && node instanceof MapNode) {
                throw new IllegalStateException("nested modules are read by the spec reader");
            }
            if (node instanceof ScalarNode s && s.value() instanceof java.math.BigInteger) {
                Nodes.scalar(node).asLong(); // throws "too large", located
            }
            if (this == INT && node instanceof ScalarNode s) {
                return s.asLong();
            }
            if (this == FLOAT && node instanceof ScalarNode s) {
                return s.asDouble();
            }
            if (this == BOOL && node instanceof ScalarNode s) {
                return s.asBoolean();
            }
            if (node instanceof ListNode list) {
                for (ConfigNode item : list.items()) {
                    if (item instanceof ScalarNode s && s.value() instanceof java.math.BigInteger) {
                        s.asLong();
                    }
                }
            }
            return coerce(node.toPlain());
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(node, "expected " + description + ", found " + node.describe());
        }
    }

    private IllegalArgumentException wrong(Object value) {
        return new IllegalArgumentException("expected " + description + ", got " + describe(value));
    }

    static String describe(Object value) {
        if (value instanceof String s) {
            return "the text '" + s + "'";
        }
        if (value instanceof List<?> l) {
            return "the list " + l;
        }
        return String.valueOf(value);
    }

    private static long toLong(Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof java.math.BigInteger b) {
            if (b.bitLength() < 64) {
                return b.longValue();
            }
            throw new IllegalArgumentException(b.signum() > 0 ? "the number " + b + " is too large (at most " + Long.MAX_VALUE + ")"
                    : "the number " + b + " is too small (at least " + Long.MIN_VALUE + ")");
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 9.0e15) {
                return (long) d;
            }
        }
        throw new IllegalArgumentException("expected an integer, got " + describe(value));
    }

    private static List<Long> longList(Object value) {
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("expected a list of integers, got " + describe(value));
        }
        List<Long> out = new ArrayList<>(list.size());
        for (Object o : list) {
            out.add(toLong(o));
        }
        return Collections.unmodifiableList(out);
    }

    /** A deep, unmodifiable copy of plain values (maps, lists, scalars). */
    private static Object plainCopy(Object v) {
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, x) -> out.put(String.valueOf(k), plainCopy(x)));
            return Collections.unmodifiableMap(out);
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(x -> out.add(plainCopy(x)));
            return Collections.unmodifiableList(out);
        }
        if (v instanceof Integer i) {
            return i.longValue();
        }
        return v;
    }
}
