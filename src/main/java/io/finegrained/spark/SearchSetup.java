package io.finegrained.spark;

import io.finegrained.config.ConfigException;
import io.finegrained.config.JobConfig;
import io.finegrained.search.Objective;
import io.finegrained.search.SearchAlgorithm;
import java.util.List;

/**
 * What the driver needs from the search layer for one job: the algorithm (fresh, not yet asked),
 * the objectives, and the budget for progress lines.
 */
public record SearchSetup(SearchAlgorithm algorithm, List<Objective> objectives, SearchRun.Plan plan) {

    public SearchSetup {
        objectives = List.copyOf(objectives);
    }

    /** Builds the search layer's algorithm for the job file. */
    public static SearchSetup from(JobConfig config) {
        // The search algorithms live in io.finegrained.search (their own branch); until they are
        // merged the job cannot run from the command line.
        throw new ConfigException(config.section("search_algorithm").location(), "search_algorithm",
                "the search algorithms are not part of this build yet");
    }
}
