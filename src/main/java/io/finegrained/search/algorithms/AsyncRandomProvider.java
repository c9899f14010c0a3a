package io.finegrained.search.algorithms;

import io.finegrained.search.AlgorithmSection;
import io.finegrained.search.Genome;
import io.finegrained.search.SearchProblem;
import io.finegrained.search.Searcher;
import io.finegrained.search.async.AsyncRandom;
import io.finegrained.search.async.Scheduler;

/** {@code AsyncRandomSearch}: uniform draws whenever a slot is free; {@code population} only numbers the batches. */
public final class AsyncRandomProvider extends AsyncProvider {

    @Override
    public String name() {
        return "AsyncRandomSearch";
    }

    @Override
    int defaultSamples() {
        return Random.DEFAULT_SAMPLES;
    }

    @Override
    Searcher create(AlgorithmSection s, SearchProblem problem, Genome genome, long seed, int population, int samples, Scheduler scheduler) {
        return new AsyncRandom(genome, problem.objectives(), population, samples, seed, problem.gate(genome), scheduler);
    }
}
