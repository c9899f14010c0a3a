package io.finegrained.spark;

import io.finegrained.job.Job;
import io.finegrained.search.Generations;
import io.finegrained.search.Objective;
import io.finegrained.search.SearchAlgorithm;
import io.finegrained.search.Searcher;
import java.util.List;

/**
 * What the driver needs from the search layer for one run: the searcher (fresh, not yet asked),
 * the objectives, and the budget for progress lines.
 */
public record SearchSetup(Searcher searcher, List<Objective> objectives, SearchRun.Plan plan) {

    public SearchSetup {
        objectives = List.copyOf(objectives);
    }

    /** A generational algorithm's setup (tests and benchmarks drive their own). */
    public SearchSetup(SearchAlgorithm algorithm, List<Objective> objectives, SearchRun.Plan plan) {
        this(new Generations(algorithm, plan.generations()), objectives, plan);
    }

    /** The job's algorithm, fresh, its objectives and its budget. */
    public static SearchSetup from(Job job) {
        return new SearchSetup(job.newSearcher(), job.objectives(), new SearchRun.Plan(job.plannedBatches(), job.budget()));
    }
}
