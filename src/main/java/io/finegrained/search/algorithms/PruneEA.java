package io.finegrained.search.algorithms;

import io.finegrained.search.AlgorithmSection;
import io.finegrained.search.Genome;
import io.finegrained.search.Genomes;
import io.finegrained.search.Objective;
import io.finegrained.search.SearchProblem;
import io.finegrained.space.NetworkFacts;
import java.util.List;

/**
 * Vega's pruning search: NSGA-II over a keep-mask per prunable channel group of the space's
 * {@code Prune} process module (never an empty group).
 */
public final class PruneEA extends GeneticProvider {

    @Override
    public String name() {
        return "PruneEA";
    }

    @Override
    public List<Objective> defaultObjectives() {
        return List.of(new Objective("accuracy", Objective.Direction.MAX), new Objective("macs", Objective.Direction.MIN));
    }

    @Override
    Genome genome(AlgorithmSection section, SearchProblem problem) {
        NetworkFacts facts = problem.facts();
        if (facts == null || facts.prunePath() == null) {
            throw section.error("PruneEA searches the channel masks of a Prune process module, and this space has none"
                    + " (add a module of type Prune, as in conf/seed/resnet20_prune.yml)");
        }
        onlyOwnGenes(section, problem);
        List<Integer> widths = facts.prunableChannels();
        if (widths.isEmpty()) {
            throw section.error("PruneEA found no prunable channel group in the network");
        }
        return Genomes.keepMasks(facts.prunePath(), widths);
    }
}
