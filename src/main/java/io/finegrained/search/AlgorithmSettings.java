package io.finegrained.search;

import io.finegrained.config.ConfigException;
import io.finegrained.config.ConfigNode;
import io.finegrained.config.ListNode;
import io.finegrained.config.MapNode;
import io.finegrained.config.Nodes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code search_algorithm} section, checked: which algorithm, its budget, its seed and its
 * operator settings. Every key has a default (see docs/search-algorithms.md for why each):
 *
 * <table>
 * <caption>keys</caption>
 * <tr><th>key</th><th>applies to</th><th>default</th></tr>
 * <tr><td>type</td><td>all</td><td>NSGA2</td></tr>
 * <tr><td>seed</td><td>all</td><td>0</td></tr>
 * <tr><td>population</td><td>all</td><td>20 (evolutionary); min(samples, 100) for random and grid:
 *     the candidates of one generation</td></tr>
 * <tr><td>generations</td><td>evolutionary</td><td>10, the first population included</td></tr>
 * <tr><td>survivors</td><td>evolutionary</td><td>ceil(population / 2): parents kept from one generation to the next</td></tr>
 * <tr><td>samples</td><td>RandomSearch, GridSearch</td><td>100 (random); the whole grid (grid)</td></tr>
 * <tr><td>grid_points</td><td>GridSearch</td><td>none: FLOAT / FLOAT_EXP refused without it</td></tr>
 * <tr><td>crossover_prob</td><td>evolutionary</td><td>0.9</td></tr>
 * <tr><td>eta_crossover</td><td>evolutionary</td><td>{@value #DEFAULT_ETA_CROSSOVER} (SBX distribution index)</td></tr>
 * <tr><td>eta_mutation</td><td>evolutionary</td><td>{@value #DEFAULT_ETA_MUTATION} (polynomial mutation index)</td></tr>
 * <tr><td>mutation_rate</td><td>evolutionary</td><td>1 / number of genes (one change per child on average)</td></tr>
 * <tr><td>tournament_size</td><td>Evolution</td><td>2</td></tr>
 * <tr><td>bit_candidates</td><td>QuantEA</td><td>[4, 8]</td></tr>
 * </table>
 *
 * @param population candidates per generation; null when not written (random and grid then
 *     derive it from the samples)
 * @param survivors the μ of the (μ + λ) survival; null when not written (half the population)
 * @param samples the budget of random and grid search; null when not written
 * @param gridPoints points per real-valued axis of a grid; null when not written
 * @param mutationRate the chance that each gene mutates; null means 1 / number of genes
 * @param section the section as written, so that later checks can name their place in the file
 */
public record AlgorithmSettings(AlgorithmType type, long seed, Integer population, int generations, Integer survivors, Integer samples,
                                Integer gridPoints, double crossoverProbability, double etaCrossover, double etaMutation,
                                Double mutationRate, int tournamentSize, List<Integer> bitCandidates, MapNode section) {

    public static final int DEFAULT_EVOLUTION_POPULATION = 20;
    public static final int DEFAULT_GENERATIONS = 10;
    public static final int DEFAULT_RANDOM_SAMPLES = 100;
    public static final int MAX_BATCH = 100;
    public static final double DEFAULT_CROSSOVER_PROBABILITY = 0.9;
    public static final double DEFAULT_ETA_CROSSOVER = 10;
    public static final double DEFAULT_ETA_MUTATION = 20;
    public static final int DEFAULT_TOURNAMENT_SIZE = 2;
    public static final List<Integer> DEFAULT_BIT_CANDIDATES = List.of(4, 8);

    private static final List<String> COMMON = List.of("type", "seed", "population");
    private static final List<String> EVOLUTIONARY = List.of("generations", "survivors", "crossover_prob", "eta_crossover",
            "eta_mutation", "mutation_rate");

    public AlgorithmSettings {
        bitCandidates = List.copyOf(bitCandidates);
    }

    /** Reads and checks the section; an empty section gives NSGA2 with every default. */
    public static AlgorithmSettings from(MapNode section) {
        AlgorithmType type = AlgorithmType.NSGA2;
        if (section.has("type")) {
            String name = Nodes.scalar(section.require("type")).asString();
            List<String> close = AlgorithmType.closest(name);
            type = AlgorithmType.byName(name).orElseThrow(() -> ConfigException.at(section.require("type"),
                    "unknown search algorithm '" + name + "'"
                            + (close.isEmpty() ? "" : "; did you mean " + io.finegrained.config.Suggestions.quoteAll(close) + "?")
                            + " (known: " + String.join(", ", AlgorithmType.names()) + ", and BackboneNasSearch for BackboneNas)"));
        }
        checkKeys(section, type);

        long seed = section.optLong("seed", 0);
        Integer population = section.has("population") ? atLeast(section, "population", 1) : null;
        int generations = section.has("generations") ? atLeast(section, "generations", 1) : DEFAULT_GENERATIONS;
        Integer survivors = section.has("survivors") ? atLeast(section, "survivors", 1) : null;
        Integer samples = section.has("samples") ? atLeast(section, "samples", 1) : null;
        Integer gridPoints = section.has("grid_points") ? atLeast(section, "grid_points", 1) : null;
        if (type.evolutionary()) {
            long budget = (long) (population == null ? DEFAULT_EVOLUTION_POPULATION : population) * generations;
            if (budget > Integer.MAX_VALUE) {
                throw new ConfigException(section.location(), section.path(),
                        "population × generations = " + budget + " trials is more than " + Integer.MAX_VALUE);
            }
        }
        double crossover = probability(section, "crossover_prob", DEFAULT_CROSSOVER_PROBABILITY);
        double etaCrossover = nonNegative(section, "eta_crossover", DEFAULT_ETA_CROSSOVER);
        double etaMutation = nonNegative(section, "eta_mutation", DEFAULT_ETA_MUTATION);
        Double mutationRate = section.has("mutation_rate") ? probability(section, "mutation_rate", 0) : null;
        if (mutationRate != null && mutationRate == 0) {
            throw ConfigException.at(section.require("mutation_rate"), "mutation_rate must be above 0 (at most 1)");
        }
        int tournament = section.has("tournament_size") ? atLeast(section, "tournament_size", 1) : DEFAULT_TOURNAMENT_SIZE;
        List<Integer> bits = section.has("bit_candidates") ? bitCandidates(section) : DEFAULT_BIT_CANDIDATES;
        return new AlgorithmSettings(type, seed, population, generations, survivors, samples, gridPoints, crossover, etaCrossover,
                etaMutation, mutationRate, tournament, bits, section);
    }

    /** Settings of the given type with every default, for code and tests. */
    public static AlgorithmSettings defaults(AlgorithmType type) {
        return from(io.finegrained.config.YamlLoader.parse("type: " + type.name() + "\n", "<defaults>"));
    }

    /**
     * The configured number of trials: population × generations for the evolutionary
     * algorithms (the first population included), {@code samples} for random and grid search.
     * GridSearch without {@code samples} runs its whole grid, whose size only the algorithm knows:
     * there this throws {@link IllegalStateException}; {@link SearchAlgorithm#budget()} always answers.
     */
    public int budget() {
        if (type.evolutionary()) {
            return populationSize() * generations;
        }
        if (type == AlgorithmType.RandomSearch) {
            return samples == null ? DEFAULT_RANDOM_SAMPLES : samples;
        }
        if (samples == null) {
            throw new IllegalStateException("GridSearch without samples runs its whole grid: ask the algorithm's budget()");
        }
        return samples;
    }

    /** Candidates per generation for the evolutionary algorithms. */
    public int populationSize() {
        return population == null ? DEFAULT_EVOLUTION_POPULATION : population;
    }

    /**
     * The μ of the (μ + λ) survival: half a generation unless set. Keeping fewer parents than
     * children puts more selection pressure on each generation, which a budget of a few
     * generations needs (measured in docs/search-algorithms.md).
     */
    public int survivorCount() {
        return survivors != null ? survivors : (populationSize() + 1) / 2;
    }

    /** Candidates per generation of random or grid search running {@code budget} trials. */
    public int batchSize(int budget) {
        return population != null ? population : Math.max(1, Math.min(budget, MAX_BATCH));
    }

    /** An error about this section as a whole (where {@code type} is written, when it is). */
    public ConfigException error(String problem) {
        if (section.has("type")) {
            return ConfigException.at(section.require("type"), problem);
        }
        return new ConfigException(section.location(), section.path(), problem);
    }

    /** An error about one key of this section, at that key when written. */
    public ConfigException errorAt(String key, String problem) {
        if (section.has(key)) {
            return new ConfigException(section.keyLocation(key), section.childPath(key), problem);
        }
        return error(problem);
    }

    private static void checkKeys(MapNode section, AlgorithmType type) {
        Set<String> allowed = new LinkedHashSet<>(COMMON);
        if (type.evolutionary()) {
            allowed.addAll(EVOLUTIONARY);
        } else {
            allowed.add("samples");
        }
        if (type == AlgorithmType.GridSearch) {
            allowed.add("grid_points");
        }
        if (type == AlgorithmType.Evolution) {
            allowed.add("tournament_size");
        }
        if (type == AlgorithmType.QuantEA) {
            allowed.add("bit_candidates");
        }
        Set<String> all = new LinkedHashSet<>(COMMON);
        all.addAll(EVOLUTIONARY);
        all.addAll(List.of("samples", "grid_points", "tournament_size", "bit_candidates"));
        for (String key : section.keys()) {
            if (all.contains(key) && !allowed.contains(key)) {
                String why = switch (key) {
                    case "samples" -> "; its budget is population × generations";
                    case "generations", "survivors", "crossover_prob", "eta_crossover", "eta_mutation", "mutation_rate" ->
                            "; it applies to the evolutionary algorithms (Evolution, NSGA2, BackboneNas, QuantEA, PruneEA)"
                                    + (key.equals("generations") ? ", random and grid search take samples" : "");
                    case "grid_points" -> "; it applies to GridSearch";
                    case "tournament_size" -> "; it applies to Evolution (NSGA2 and its kin use binary tournaments)";
                    default -> "; it applies to QuantEA";
                };
                throw new ConfigException(section.keyLocation(key), section.childPath(key),
                        "'" + key + "' does not apply to " + type.name() + why);
            }
        }
        section.checkKeys(new ArrayList<>(all), "the search_algorithm section");
    }

    private static int atLeast(MapNode section, String key, int min) {
        ConfigNode node = section.require(key);
        int v = Nodes.scalar(node).asInt();
        if (v < min) {
            String budget = key.equals("population") || key.equals("generations") || key.equals("samples")
                    ? " (a budget of zero trials runs nothing)" : "";
            throw ConfigException.at(node, key + " must be at least " + min + ", got " + v + budget);
        }
        return v;
    }

    private static double probability(MapNode section, String key, double dflt) {
        if (!section.has(key)) {
            return dflt;
        }
        double v = Nodes.scalar(section.require(key)).asDouble();
        if (v < 0 || v > 1) {
            throw ConfigException.at(section.require(key), key + " is a probability in [0, 1], got " + v);
        }
        return v;
    }

    private static double nonNegative(MapNode section, String key, double dflt) {
        if (!section.has(key)) {
            return dflt;
        }
        double v = Nodes.scalar(section.require(key)).asDouble();
        if (v < 0) {
            throw ConfigException.at(section.require(key), key + " must be at least 0, got " + v);
        }
        return v;
    }

    private static List<Integer> bitCandidates(MapNode section) {
        ListNode list = section.optList("bit_candidates").orElseThrow();
        if (list.size() == 0) {
            throw ConfigException.at(list, "bit_candidates needs at least one bit width");
        }
        List<Integer> bits = list.asIntList();
        Set<Integer> seen = new LinkedHashSet<>();
        for (int i = 0; i < bits.size(); i++) {
            int b = bits.get(i);
            if (b < 1 || b > 32) {
                throw ConfigException.at(list.get(i), "a bit width lies in [1, 32], got " + b);
            }
            if (!seen.add(b)) {
                throw ConfigException.at(list.get(i), "bit width " + b + " is listed twice");
            }
        }
        List<Integer> sorted = new ArrayList<>(seen);
        sorted.sort(null);
        return sorted;
    }
}
