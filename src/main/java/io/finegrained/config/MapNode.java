package io.finegrained.config;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A YAML mapping with its keys in file order. Accessors either return a value or throw a
 * {@link ConfigException} that names the key; a missing optional key gives the default.
 */
public record MapNode(Map<String, ConfigNode> entries, Map<String, Location> keyLocations, Location location, String path)
        implements ConfigNode {

    public MapNode {
        entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        keyLocations = Collections.unmodifiableMap(new LinkedHashMap<>(keyLocations));
    }

    /** An empty map standing for an absent section. */
    public static MapNode empty(Location location, String path) {
        return new MapNode(Map.of(), Map.of(), location, path);
    }

    public Set<String> keys() {
        return entries.keySet();
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    public Optional<ConfigNode> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** Where the key itself was written (its value may start on a later line). */
    public Location keyLocation(String key) {
        return keyLocations.getOrDefault(key, location);
    }

    public String childPath(String key) {
        return ConfigNode.childPath(path, key);
    }

    public ConfigNode require(String key) {
        ConfigNode node = entries.get(key);
        if (node == null) {
            throw new ConfigException(location, childPath(key), "missing required key '" + key + "'");
        }
        return node;
    }

    public MapNode requireMap(String key) {
        return Nodes.map(require(key));
    }

    /** The map at {@code key}, or an empty map located at this node when the key is absent or null. */
    public MapNode optMap(String key) {
        ConfigNode node = entries.get(key);
        if (node == null || node instanceof ScalarNode s && s.isNull()) {
            return empty(location, childPath(key));
        }
        return Nodes.map(node);
    }

    public Optional<ListNode> optList(String key) {
        return get(key).map(Nodes::list);
    }

    public int optInt(String key, int defaultValue) {
        return get(key).map(n -> Nodes.scalar(n).asInt()).orElse(defaultValue);
    }

    public long optLong(String key, long defaultValue) {
        return get(key).map(n -> Nodes.scalar(n).asLong()).orElse(defaultValue);
    }

    public double optDouble(String key, double defaultValue) {
        return get(key).map(n -> Nodes.scalar(n).asDouble()).orElse(defaultValue);
    }

    public boolean optBoolean(String key, boolean defaultValue) {
        return get(key).map(n -> Nodes.scalar(n).asBoolean()).orElse(defaultValue);
    }

    public String optString(String key, String defaultValue) {
        return get(key).map(n -> Nodes.scalar(n).asString()).orElse(defaultValue);
    }

    public int requireInt(String key) {
        return Nodes.scalar(require(key)).asInt();
    }

    public String requireString(String key) {
        return Nodes.scalar(require(key)).asString();
    }

    /**
     * Fails on the first key that is not allowed, suggesting the closest allowed ones.
     *
     * @param what what this map is, for the message ("the trainer section")
     */
    public void checkKeys(Collection<String> allowed, String what) {
        for (String key : entries.keySet()) {
            if (!allowed.contains(key)) {
                List<String> close = Suggestions.closest(key, allowed);
                String hint = close.isEmpty() ? " (allowed: " + String.join(", ", allowed) + ")" : "; did you mean " + Suggestions.quoteAll(close) + "?";
                throw new ConfigException(keyLocation(key), childPath(key), "unknown key '" + key + "' in " + what + hint);
            }
        }
    }

    @Override
    public String describe() {
        return "a map";
    }

    @Override
    public Object toPlain() {
        Map<String, Object> out = new LinkedHashMap<>();
        entries.forEach((k, v) -> out.put(k, v.toPlain()));
        return out;
    }
}
