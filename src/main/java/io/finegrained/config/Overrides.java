package io.finegrained.config;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dotted overrides of a loaded job ({@code with("search_algorithm.population", 16)}): a new tree
 * in which the value at that path is replaced (or added), every node of the new value located at
 * the override itself, {@code with("search_algorithm.population")}, so that whatever refuses it
 * later names the override rather than a line of the file.
 *
 * <p>A key is matched against the existing keys first, longest first, so dotted keys such as the
 * hyper-parameter {@code layer.doublechannel} are reached
 * ({@code search_space.hyper_parameters.layer.doublechannel}); a new key under
 * {@code hyper_parameters} is one dotted key; elsewhere a new key makes nested maps.
 */
public final class Overrides {
    private Overrides() {
    }

    /** The location an override's nodes carry. */
    public static Location locationOf(String key) {
        return Location.builtIn("with(\"" + key + "\")");
    }

    /**
     * The tree with {@code value} (plain Java: maps, lists, numbers, strings, booleans, null) at
     * the dotted key; a {@link ConfigException} at the override when the path crosses a value.
     */
    public static MapNode apply(MapNode root, String key, Object value) {
        if (key == null || key.isBlank() || key.startsWith(".") || key.endsWith(".")) {
            throw new ConfigException(locationOf(String.valueOf(key)), String.valueOf(key), "an override names a dotted key, e.g. search_algorithm.population");
        }
        return put(root, key, key, value);
    }

    private static MapNode put(MapNode map, String rest, String key, Object value) {
        Location at = locationOf(key);
        Map<String, ConfigNode> entries = new LinkedHashMap<>(map.entries());
        Map<String, Location> keyLocations = new LinkedHashMap<>(map.keyLocations());
        if (map.has(rest)) {
            entries.put(rest, node(value, at, map.childPath(rest)));
            keyLocations.put(rest, at);
            return new MapNode(entries, keyLocations, map.location(), map.path());
        }
        for (int dot = rest.lastIndexOf('.'); dot > 0; dot = rest.lastIndexOf('.', dot - 1)) {
            String head = rest.substring(0, dot);
            if (map.has(head)) {
                ConfigNode child = map.require(head);
                if (!(child instanceof MapNode childMap)) {
                    throw new ConfigException(at, map.childPath(head), "cannot override '" + key + "': '" + map.childPath(head)
                            + "' is " + child.describe() + ", not a section");
                }
                entries.put(head, put(childMap, rest.substring(dot + 1), key, value));
                return new MapNode(entries, keyLocations, map.location(), map.path());
            }
        }
        int dot = rest.indexOf('.');
        if (dot < 0 || map.path().endsWith("hyper_parameters")) {
            entries.put(rest, node(value, at, map.childPath(rest)));
        } else {
            String head = rest.substring(0, dot);
            MapNode fresh = MapNode.empty(at, map.childPath(head));
            entries.put(head, put(fresh, rest.substring(dot + 1), key, value));
        }
        keyLocations.put(dot < 0 ? rest : rest.substring(0, dot), at);
        return new MapNode(entries, keyLocations, map.location(), map.path());
    }

    /** A located node of a plain value, normalised as the loader normalises scalars. */
    static ConfigNode node(Object value, Location at, String path) {
        if (value instanceof Map<?, ?> m) {
            Map<String, ConfigNode> entries = new LinkedHashMap<>();
            Map<String, Location> keys = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String k = String.valueOf(e.getKey());
                entries.put(k, node(e.getValue(), at, ConfigNode.childPath(path, k)));
                keys.put(k, at);
            }
            return new MapNode(entries, keys, at, path);
        }
        if (value instanceof List<?> list) {
            List<ConfigNode> items = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                items.add(node(list.get(i), at, path + "[" + i + "]"));
            }
            return new ListNode(items, at, path);
        }
        if (value instanceof int[] ints) {
            List<Object> boxed = new ArrayList<>();
            for (int v : ints) {
                boxed.add(v);
            }
            return node(boxed, at, path);
        }
        Object scalar = value;
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            scalar = ((Number) value).longValue();
        } else if (value instanceof Float f) {
            scalar = f.doubleValue();
        } else if (value instanceof BigInteger b && b.bitLength() < 64) {
            scalar = b.longValue();
        } else if (value instanceof Character c) {
            scalar = c.toString();
        } else if (value != null && !(value instanceof Long || value instanceof Double || value instanceof Boolean
                || value instanceof String || value instanceof BigInteger)) {
            throw new ConfigException(at, path, "an override is a number, a string, a boolean, a list or a map, got "
                    + value.getClass().getSimpleName());
        }
        return new ScalarNode(scalar, at, path);
    }
}
