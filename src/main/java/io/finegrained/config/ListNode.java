package io.finegrained.config;

import java.util.ArrayList;
import java.util.List;

/** A YAML sequence (a {@code !!python/tuple} loads as one too). */
public record ListNode(List<ConfigNode> items, Location location, String path) implements ConfigNode {

    public ListNode {
        items = List.copyOf(items);
    }

    public int size() {
        return items.size();
    }

    public ConfigNode get(int index) {
        return items.get(index);
    }

    /** Every item as an int, or a located error naming the item. */
    public List<Integer> asIntList() {
        List<Integer> out = new ArrayList<>(items.size());
        for (ConfigNode item : items) {
            out.add(Nodes.scalar(item).asInt());
        }
        return List.copyOf(out);
    }

    /** Every item as a double, or a located error naming the item. */
    public List<Double> asDoubleList() {
        List<Double> out = new ArrayList<>(items.size());
        for (ConfigNode item : items) {
            out.add(Nodes.scalar(item).asDouble());
        }
        return List.copyOf(out);
    }

    @Override
    public String describe() {
        return "a list of " + items.size();
    }

    @Override
    public Object toPlain() {
        List<Object> out = new ArrayList<>(items.size());
        for (ConfigNode item : items) {
            out.add(item.toPlain());
        }
        return out;
    }
}
