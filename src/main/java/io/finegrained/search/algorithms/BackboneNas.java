package io.finegrained.search.algorithms;

import io.finegrained.search.AlgorithmSection;
import io.finegrained.search.Genome;
import io.finegrained.search.Objective;
import io.finegrained.search.SearchProblem;
import io.finegrained.space.Domain;
import java.util.List;
import java.util.Map;

/**
 * Vega's backbone search: NSGA-II over binary codes only (where to downsample, where to double
 * channels), keeping the number of ones of a code written as the seed's 0/1 shorthand, so every
 * candidate has the default's depth of downsampling and widening.
 */
public final class BackboneNas extends GeneticProvider {

    @Override
    public String name() {
        return "BackboneNas";
    }

    @Override
    public List<String> aliases() {
        return List.of("BackboneNasSearch");
    }

    @Override
    public List<Objective> defaultObjectives() {
        return List.of(new Objective("accuracy", Objective.Direction.MAX), new Objective("macs", Objective.Direction.MIN));
    }

    @Override
    Genome genome(AlgorithmSection section, SearchProblem problem) {
        for (Map.Entry<String, Domain> e : problem.space().domains().entrySet()) {
            if (!(e.getValue() instanceof Domain.BinaryCode)) {
                throw section.error("BackboneNas evolves binary codes (where to downsample, where to double channels);"
                        + " '" + e.getKey() + "' is " + e.getValue().typeName() + ": use NSGA2 for a mixed space");
            }
        }
        return spaceGenome(section, problem, true);
    }
}
