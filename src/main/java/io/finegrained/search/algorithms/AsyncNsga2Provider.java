package io.finegrained.search.algorithms;

import io.finegrained.search.AlgorithmSection;
import io.finegrained.search.Genome;
import io.finegrained.search.SearchProblem;
import io.finegrained.search.Searcher;
import io.finegrained.search.Variation;
import io.finegrained.search.async.AsyncNsga2;
import io.finegrained.search.async.Scheduler;
import java.util.List;

/** {@code AsyncNSGA2}: NSGA-II with steady-state survival, a proposal whenever a slot is free. */
public final class AsyncNsga2Provider extends AsyncProvider {

    @Override
    public String name() {
        return "AsyncNSGA2";
    }

    @Override
    List<String> ownKeys() {
        return List.of("crossover_prob", "eta_crossover", "eta_mutation", "mutation_rate");
    }

    @Override
    int defaultSamples() {
        return GeneticSettings.DEFAULT_POPULATION * GeneticSettings.DEFAULT_GENERATIONS;
    }

    @Override
    Searcher create(AlgorithmSection s, SearchProblem problem, Genome genome, long seed, int population, int samples, Scheduler scheduler) {
        return new AsyncNsga2(genome, problem.objectives(), variation(s, genome), population, samples, seed, problem.gate(genome), scheduler);
    }

    /** The operators' keys, with the generational algorithms' defaults. */
    static Variation variation(AlgorithmSection s, Genome genome) {
        double crossover = s.probability("crossover_prob", GeneticSettings.DEFAULT_CROSSOVER_PROBABILITY);
        double etaCrossover = s.nonNegative("eta_crossover", GeneticSettings.DEFAULT_ETA_CROSSOVER);
        double etaMutation = s.nonNegative("eta_mutation", GeneticSettings.DEFAULT_ETA_MUTATION);
        double rate = 1.0 / Math.max(1, genome.variables());
        if (s.has("mutation_rate")) {
            rate = s.probability("mutation_rate", 0);
            if (rate == 0) {
                throw s.errorAt("mutation_rate", "mutation_rate must be above 0 (at most 1)");
            }
        }
        return new Variation(crossover, etaCrossover, etaMutation, rate);
    }
}
