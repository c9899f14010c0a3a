package io.finegrained.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Resume as a replay: rebuilds a freshly created algorithm's state from journaled trials by
 * asking and telling them again generation by generation, running nothing. What it returns is
 * where the run stands: the generation to continue, its candidates and which of them the journal
 * already holds. Because an algorithm asks the same values when told the same results, the
 * continued run makes the decisions an uninterrupted run would have made.
 */
public final class Replay {
    private Replay() {
    }

    /**
     * Where a rebuilt run stands.
     *
     * @param generation the generation to run next (the number of generations fully told)
     * @param candidates its candidates, as the algorithm asked them; empty when the search is over
     * @param journaled the results the journal already holds for that generation
     * @param missing the candidates still to run (those of {@code candidates} without a journaled result)
     */
    public record Position(int generation, List<Map<String, Object>> candidates, List<TrialResult> journaled,
                           List<Map<String, Object>> missing) {
        public boolean finished() {
            return candidates.isEmpty();
        }
    }

    /**
     * Replays the journal into the algorithm (freshly created, same settings and seed). Throws
     * {@link IllegalStateException} when the journal holds a trial the algorithm would not have
     * asked (the configuration or the seed changed since it was written).
     */
    public static Position rebuild(SearchAlgorithm algorithm, List<TrialResult> journal) {
        Map<Integer, List<TrialResult>> byGeneration = new TreeMap<>();
        for (TrialResult r : journal) {
            byGeneration.computeIfAbsent(r.generation(), g -> new ArrayList<>()).add(r);
        }
        int generation = 0;
        while (true) {
            List<Map<String, Object>> asked = algorithm.ask();
            List<TrialResult> done = byGeneration.getOrDefault(generation, List.of());
            if (asked.isEmpty()) {
                if (!done.isEmpty()) {
                    throw new IllegalStateException("the journal holds trials of generation " + generation
                            + ", which the algorithm does not reach: was the configuration changed?");
                }
                return new Position(generation, List.of(), List.of(), List.of());
            }
            Map<Object, Map<String, Object>> askedByValues = new HashMap<>();
            for (Map<String, Object> values : asked) {
                askedByValues.put(normalized(values), values);
            }
            Set<Object> journaledValues = new HashSet<>();
            for (TrialResult r : done) {
                Object key = normalized(r.hyperparameters());
                if (!askedByValues.containsKey(key)) {
                    throw new IllegalStateException("trial " + r.id() + " of generation " + generation
                            + " is not what the algorithm asks now: was the configuration or the seed changed?");
                }
                journaledValues.add(key);
            }
            List<Map<String, Object>> missing = new ArrayList<>();
            for (Map<String, Object> values : asked) {
                if (!journaledValues.contains(normalized(values))) {
                    missing.add(values);
                }
            }
            if (!missing.isEmpty()) {
                return new Position(generation, asked, List.copyOf(done), missing);
            }
            algorithm.tell(done);
            generation++;
        }
    }

    /**
     * A value made comparable across the ways it travels (JSON, Spark rows): whole numbers as
     * {@code Long}, other numbers as {@code Double}, lists and maps element by element.
     */
    public static Object normalized(Object value) {
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 9e15) {
                return (long) d;
            }
            return d;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add(normalized(o));
            }
            return Collections.unmodifiableList(out);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, normalized(v)));
            return Collections.unmodifiableMap(out);
        }
        return value;
    }
}
