package io.finegrained.spark;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What differs between two loaded configurations, key path by key path, so that a refused
 * {@code --resume} can say what changed. Compares the loaded values, not the text: comments and
 * formatting may change freely.
 */
final class ConfigChanges {
    private ConfigChanges() {
    }

    /** One line per difference ({@code search_algorithm.population: 8 in the run, 10 now}). */
    static List<String> between(Object run, Object now) {
        List<String> changes = new ArrayList<>();
        compare("", run, now, changes);
        return changes;
    }

    private static void compare(String path, Object run, Object now, List<String> changes) {
        if (run instanceof Map<?, ?> a && now instanceof Map<?, ?> b) {
            Set<Object> keys = new LinkedHashSet<>(a.keySet());
            keys.addAll(b.keySet());
            for (Object key : keys) {
                String child = path.isEmpty() ? String.valueOf(key) : path + "." + key;
                if (!a.containsKey(key)) {
                    changes.add(child + ": added (" + b.get(key) + ")");
                } else if (!b.containsKey(key)) {
                    changes.add(child + ": removed (was " + a.get(key) + ")");
                } else {
                    compare(child, a.get(key), b.get(key), changes);
                }
            }
        } else if (!same(run, now)) {
            changes.add((path.isEmpty() ? "the whole file" : path) + ": " + run + " in the run, " + now + " now");
        }
    }

    private static boolean same(Object a, Object b) {
        return Values.same(a, b);
    }
}
