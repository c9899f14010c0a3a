package io.finegrained.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The candidates of the last ask, waiting for their results. Results come back in any order and
 * with values as read from a journal (an {@code Integer} where a {@code Long} was asked, say):
 * they are matched to the asked candidates by canonical values, so selection always sees them in
 * the order they were asked, which keeps tell deterministic.
 */
final class Pending {
    private final Genome genome;
    private List<Map<String, Object>> asked;

    Pending(Genome genome) {
        this.genome = genome;
    }

    void open(List<Map<String, Object>> candidates) {
        if (asked != null) {
            throw new IllegalStateException("ask() was called twice: tell() the results of the last ask first");
        }
        asked = List.copyOf(candidates);
    }

    /**
     * The results in the order asked; a candidate without a result gets null (it counts as
     * failed). Throws {@link IllegalArgumentException} for a result whose values were not asked.
     */
    List<TrialResult> close(List<TrialResult> results) {
        if (asked == null) {
            throw new IllegalStateException("tell() without a preceding ask()");
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < asked.size(); i++) {
            index.put(genome.key(asked.get(i)), i);
        }
        List<TrialResult> ordered = new ArrayList<>();
        for (int i = 0; i < asked.size(); i++) {
            ordered.add(null);
        }
        for (TrialResult r : results) {
            Integer i;
            try {
                i = index.get(genome.key(genome.canonical(r.hyperparameters())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("trial " + r.id() + " has values this search cannot read: " + e.getMessage(), e);
            }
            if (i == null) {
                throw new IllegalArgumentException("trial " + r.id() + " was not proposed by the last ask: " + r.hyperparameters());
            }
            ordered.set(i, r);
        }
        asked = null;
        return ordered;
    }

    List<Map<String, Object>> asked() {
        return asked;
    }
}
