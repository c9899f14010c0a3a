package io.finegrained.search.algorithms;

import io.finegrained.search.AlgorithmProvider;
import io.finegrained.search.AlgorithmSection;
import io.finegrained.search.Generations;
import io.finegrained.search.Genome;
import io.finegrained.search.Genomes;
import io.finegrained.search.RandomSearch;
import io.finegrained.search.SearchProblem;
import io.finegrained.search.Searcher;
import java.util.List;

/** Uniform random search ({@code RandomSearch}): {@code samples} candidates (100 by default), in batches of {@code population}. */
public final class Random implements AlgorithmProvider {
    public static final int DEFAULT_SAMPLES = 100;

    @Override
    public String name() {
        return "RandomSearch";
    }

    @Override
    public List<String> keys() {
        return SamplingSettings.KEYS;
    }

    @Override
    public String foreignKeyHint(String key) {
        return SamplingSettings.foreignKeyHint(key);
    }

    @Override
    public Searcher create(AlgorithmSection section, SearchProblem problem) {
        SamplingSettings settings = SamplingSettings.readFor(name(), section, problem);
        return over(Genomes.of(problem.space(), false), settings, problem);
    }

    /**
     * Random search over an explicit genome, such as QuantEA's or PruneEA's: the fair baseline
     * for those algorithms at the same budget.
     */
    public static Searcher over(Genome genome, SamplingSettings settings, SearchProblem problem) {
        int budget = settings.samples() == null ? DEFAULT_SAMPLES : settings.samples();
        RandomSearch search = new RandomSearch(genome, budget, settings.batchSize(budget), settings.seed(), problem.gate(genome));
        return new Generations(search, settings.batches(budget));
    }
}
