package io.finegrained.search;

import io.finegrained.config.Suggestions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The algorithms {@code search_algorithm.type} selects, by the names written in YAML. */
public enum AlgorithmType {
    RandomSearch(false),
    GridSearch(false),
    Evolution(true),
    NSGA2(true),
    BackboneNas(true),
    QuantEA(true),
    PruneEA(true);

    private final boolean evolutionary;

    AlgorithmType(boolean evolutionary) {
        this.evolutionary = evolutionary;
    }

    /** True for the generational algorithms whose budget is population × generations. */
    public boolean evolutionary() {
        return evolutionary;
    }

    /** The type a YAML name means: exact names, any letter case, and the seed's {@code BackboneNasSearch}. */
    public static Optional<AlgorithmType> byName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("backbonenassearch")) {
            return Optional.of(BackboneNas);
        }
        for (AlgorithmType t : values()) {
            if (t.name().toLowerCase(Locale.ROOT).equals(lower)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Names a misspelt type is probably meant to be. */
    public static List<String> closest(String name) {
        List<String> names = new ArrayList<>(names());
        names.add("BackboneNasSearch");
        return Suggestions.closest(name, names);
    }

    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (AlgorithmType t : values()) {
            names.add(t.name());
        }
        return names;
    }
}
