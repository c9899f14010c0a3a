package io.finegrained.search.algorithms;

import io.finegrained.search.AlgorithmSection;
import io.finegrained.search.Genome;
import io.finegrained.search.Objective;
import io.finegrained.search.SearchProblem;
import io.finegrained.search.Searcher;
import io.finegrained.search.async.AgingEvolution;
import io.finegrained.search.async.Scheduler;
import java.util.List;
import java.util.Locale;

/**
 * {@code AgingEvolution} (alias {@code RegularizedEvolution}): Real et al.'s regularized
 * evolution, one objective; {@code sample} is S (a quarter of the population unless written, the
 * paper's P = 100, S = 25).
 */
public final class AgingEvolutionProvider extends AsyncProvider {

    @Override
    public String name() {
        return "AgingEvolution";
    }

    @Override
    public List<String> aliases() {
        return List.of("RegularizedEvolution");
    }

    @Override
    List<String> ownKeys() {
        return List.of("sample", "mutation_rate");
    }

    @Override
    int defaultSamples() {
        return GeneticSettings.DEFAULT_POPULATION * GeneticSettings.DEFAULT_GENERATIONS;
    }

    @Override
    Searcher create(AlgorithmSection s, SearchProblem problem, Genome genome, long seed, int population, int samples, Scheduler scheduler) {
        List<Objective> objectives = problem.objectives();
        if (objectives.size() != 1) {
            List<String> names = objectives.stream()
                    .map(o -> o.metric() + ": " + o.direction().name().toLowerCase(Locale.ROOT)).toList();
            throw s.error("AgingEvolution optimises one objective, " + objectives.size() + " are given ("
                    + String.join(", ", names) + "): use AsyncNSGA2 for several");
        }
        int sample = s.optInt("sample", 1, Limits.MAX_POPULATION, Limits.POPULATION_WHY).orElse(Math.max(1, population / 4));
        if (sample > population) {
            throw s.errorAt("sample", "sample (" + sample + ") is drawn from the population, which holds " + population);
        }
        return new AgingEvolution(genome, objectives, AsyncNsga2Provider.variation(s, genome), population, sample, samples, seed,
                problem.gate(genome), scheduler);
    }
}
