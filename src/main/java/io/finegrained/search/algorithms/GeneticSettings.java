package io.finegrained.search.algorithms;

import io.finegrained.search.AlgorithmSection;
import io.finegrained.search.Genome;
import io.finegrained.search.Variation;
import java.util.List;

/**
 * The keys every generational algorithm reads (NSGA2, Evolution, BackboneNas, QuantEA, PruneEA);
 * defaults and why in docs/search-algorithms.md.
 *
 * @param survivors the μ of the (μ + λ) survival: half a generation unless set, which puts the
 *                  selection pressure a budget of a few generations needs
 * @param mutationRate the chance that each gene mutates; null means 1 / number of variables
 */
public record GeneticSettings(long seed, int population, int generations, int survivors, double crossoverProbability,
                              double etaCrossover, double etaMutation, Double mutationRate) {

    public static final List<String> KEYS = List.of("seed", "population", "generations", "survivors", "crossover_prob",
            "eta_crossover", "eta_mutation", "mutation_rate");
    public static final int DEFAULT_POPULATION = 20;
    public static final int DEFAULT_GENERATIONS = 10;
    public static final double DEFAULT_CROSSOVER_PROBABILITY = 0.9;
    /** SBX distribution index. */
    public static final double DEFAULT_ETA_CROSSOVER = 10;
    /** Polynomial mutation index. */
    public static final double DEFAULT_ETA_MUTATION = 20;

    /** Reads and checks the keys. */
    public static GeneticSettings read(AlgorithmSection s) {
        int population = s.optInt("population", 1, Limits.MAX_POPULATION, Limits.POPULATION_WHY).orElse(DEFAULT_POPULATION);
        int generations = s.optInt("generations", 1, Limits.MAX_TRIALS, Limits.TRIALS_WHY).orElse(DEFAULT_GENERATIONS);
        long budget = (long) population * generations;
        if (budget > Limits.MAX_TRIALS) {
            throw s.errorAt(s.has("generations") ? "generations" : "population", "population × generations = " + budget
                    + " trials, more than " + Limits.MAX_TRIALS + ": " + Limits.TRIALS_WHY);
        }
        int survivors = s.optInt("survivors", 1, Limits.MAX_POPULATION, Limits.POPULATION_WHY).orElse((population + 1) / 2);
        double crossover = s.probability("crossover_prob", DEFAULT_CROSSOVER_PROBABILITY);
        double etaCrossover = s.nonNegative("eta_crossover", DEFAULT_ETA_CROSSOVER);
        double etaMutation = s.nonNegative("eta_mutation", DEFAULT_ETA_MUTATION);
        Double mutationRate = null;
        if (s.has("mutation_rate")) {
            mutationRate = s.probability("mutation_rate", 0);
            if (mutationRate == 0) {
                throw s.errorAt("mutation_rate", "mutation_rate must be above 0 (at most 1)");
            }
        }
        return new GeneticSettings(s.optLong("seed", 0), population, generations, survivors, crossover, etaCrossover,
                etaMutation, mutationRate);
    }

    /** population × generations, the first population included. */
    public int budget() {
        return population * generations;
    }

    /** The variation operators' settings over this genome. */
    public Variation variation(Genome genome) {
        double rate = mutationRate != null ? mutationRate : 1.0 / Math.max(1, genome.variables());
        return new Variation(crossoverProbability, etaCrossover, etaMutation, rate);
    }

    /** The hint for a key of random or grid search met in a generational algorithm's section. */
    static String foreignKeyHint(String key) {
        return key.equals("samples") ? "; its budget is population × generations" : "";
    }
}
