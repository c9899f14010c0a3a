package io.finegrained.search.algorithms;

import io.finegrained.search.AlgorithmProvider;
import io.finegrained.search.AlgorithmSection;
import io.finegrained.search.Genome;
import io.finegrained.search.Genomes;
import io.finegrained.search.SearchProblem;
import io.finegrained.search.Searcher;
import io.finegrained.search.async.Scheduler;
import java.util.ArrayList;
import java.util.List;

/**
 * What the asynchronous algorithms share (AsyncNSGA2, AgingEvolution, AsyncRandomSearch): a
 * budget of {@code samples} trials, a {@code population} (the batch of the journal's
 * {@code generation}, and the population of the evolutionary ones), a {@code seed}, and an
 * optional {@code scheduler} (early stopping, {@link SchedulerSettings}). Own type names rather
 * than a {@code mode: async} key on the generational ones: the settings differ (a budget of
 * samples, not generations; aging evolution has no generational twin), and the generational
 * algorithms stay exactly as they are.
 */
abstract class AsyncProvider implements AlgorithmProvider {
    static final List<String> KEYS = List.of("seed", "population", "samples", "scheduler");
    static final int DEFAULT_POPULATION = 20;

    /** The budget when {@code samples} is not written. */
    abstract int defaultSamples();

    /** Keys besides {@link #KEYS}. */
    List<String> ownKeys() {
        return List.of();
    }

    /** The searcher, once the shared keys are read and the genome is built. */
    abstract Searcher create(AlgorithmSection section, SearchProblem problem, Genome genome, long seed, int population, int samples,
                             Scheduler scheduler);

    @Override
    public final List<String> keys() {
        List<String> keys = new ArrayList<>(KEYS);
        keys.addAll(ownKeys());
        return keys;
    }

    @Override
    public String foreignKeyHint(String key) {
        return key.equals("generations") || key.equals("survivors")
                ? "; an asynchronous search has no generations: its budget is samples" : "";
    }

    @Override
    public final Searcher create(AlgorithmSection section, SearchProblem problem) {
        long seed = section.optLong("seed", 0);
        int population = section.optInt("population", 1, Limits.MAX_POPULATION, Limits.POPULATION_WHY).orElse(DEFAULT_POPULATION);
        int samples = section.optInt("samples", 1, Limits.MAX_TRIALS, Limits.TRIALS_WHY).orElse(defaultSamples());
        SchedulerSettings scheduling = SchedulerSettings.read(section);
        problem.checkConstraintsMeasurable();
        if (problem.space().domains().isEmpty()) {
            throw section.error(name() + " has nothing to search: the space opens no hyper-parameters"
                    + " (list them under search_space.hyper_parameters)");
        }
        Genome genome = Genomes.of(problem.space(), false);
        Scheduler scheduler = scheduling == null ? null : scheduling.create(problem.objectives().size(), seed);
        return create(section, problem, genome, seed, population, samples, scheduler);
    }
}
