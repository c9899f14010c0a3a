package io.finegrained.search.algorithms;

import io.finegrained.search.AlgorithmSection;
import io.finegrained.search.Genome;
import io.finegrained.search.SearchProblem;

/** NSGA-II (Deb et al. 2002) over any mix of domains: the default algorithm. */
public final class Nsga2 extends GeneticProvider {

    @Override
    public String name() {
        return "NSGA2";
    }

    @Override
    Genome genome(AlgorithmSection section, SearchProblem problem) {
        return spaceGenome(section, problem, false);
    }
}
