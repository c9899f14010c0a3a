package io.finegrained.search.algorithms;

import io.finegrained.search.AlgorithmSection;
import io.finegrained.search.SearchProblem;
import java.util.List;

/**
 * The keys of random and grid search.
 *
 * @param samples the budget; null when not written (random: 100; grid: the whole grid)
 * @param population candidates per batch; null when not written (then min(budget, 100))
 */
public record SamplingSettings(long seed, Integer samples, Integer population) {

    public static final List<String> KEYS = List.of("seed", "population", "samples");
    public static final int MAX_BATCH = 100;

    /**
     * Reads the keys and refuses what no sampler can run: unmeasurable constraints, a space that
     * opens nothing.
     */
    static SamplingSettings readFor(String algorithm, AlgorithmSection s, SearchProblem problem) {
        SamplingSettings settings = read(s);
        problem.checkConstraintsMeasurable();
        if (problem.space().domains().isEmpty()) {
            throw s.error(algorithm + " has nothing to search: the space opens no hyper-parameters"
                    + " (list them under search_space.hyper_parameters)");
        }
        return settings;
    }

    public static SamplingSettings read(AlgorithmSection s) {
        return new SamplingSettings(s.optLong("seed", 0),
                s.optInt("samples", 1, Limits.MAX_TRIALS, Limits.TRIALS_WHY).orElse(null),
                s.optInt("population", 1, Limits.MAX_POPULATION, Limits.POPULATION_WHY).orElse(null));
    }

    /** Candidates per batch when running {@code budget} trials. */
    public int batchSize(int budget) {
        return population != null ? population : Math.max(1, Math.min(budget, MAX_BATCH));
    }

    /** The number of batches {@code budget} trials take. */
    public int batches(int budget) {
        int batch = batchSize(budget);
        return (budget + batch - 1) / batch;
    }

    static String foreignKeyHint(String key) {
        return List.of("generations", "survivors", "crossover_prob", "eta_crossover", "eta_mutation", "mutation_rate").contains(key)
                ? "; random and grid search take samples" : "";
    }
}
