package io.finegrained.search.algorithms;

import io.finegrained.config.ConfigException;
import io.finegrained.config.ListNode;
import io.finegrained.search.AlgorithmSection;
import io.finegrained.search.Genome;
import io.finegrained.search.Genomes;
import io.finegrained.search.Objective;
import io.finegrained.search.SearchProblem;
import io.finegrained.space.NetworkFacts;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Vega's quantization search: NSGA-II over a weight and an activation bit width per quantizable
 * layer of the space's {@code Quant} process module, from {@code bit_candidates} ([4, 8] by default).
 */
public final class QuantEA extends GeneticProvider {
    public static final List<Integer> DEFAULT_BIT_CANDIDATES = List.of(4, 8);

    @Override
    public String name() {
        return "QuantEA";
    }

    @Override
    List<String> ownKeys() {
        return List.of("bit_candidates");
    }

    @Override
    public List<Objective> defaultObjectives() {
        return List.of(new Objective("accuracy", Objective.Direction.MAX), new Objective("bitops", Objective.Direction.MIN));
    }

    @Override
    Genome genome(AlgorithmSection section, SearchProblem problem) {
        List<Integer> bits = bitCandidates(section);
        NetworkFacts facts = problem.facts();
        if (facts == null || facts.quantPath() == null) {
            throw section.error("QuantEA searches the bit widths of a Quant process module, and this space has none"
                    + " (add a module of type Quant, as in conf/seed/resnet20_quant.yml)");
        }
        onlyOwnGenes(section, problem);
        int layers = facts.quantizableLayers();
        if (layers < 1) {
            throw section.error("QuantEA found no quantizable layer in the network (every convolution after the stem is one)");
        }
        return Genomes.bitWidths(facts.quantPath(), layers, bits);
    }

    /** The bit widths to choose from, sorted, each in [1, 32] and listed once. */
    public static List<Integer> bitCandidates(AlgorithmSection section) {
        if (!section.has("bit_candidates")) {
            return DEFAULT_BIT_CANDIDATES;
        }
        ListNode list = section.optList("bit_candidates")
                .orElseThrow(() -> ConfigException.at(section.require("bit_candidates"), "bit_candidates is a list of bit widths, e.g. [4, 8]"));
        if (list.size() == 0) {
            throw ConfigException.at(list, "bit_candidates needs at least one bit width");
        }
        List<Integer> bits = list.asIntList();
        Set<Integer> seen = new LinkedHashSet<>();
        for (int i = 0; i < bits.size(); i++) {
            int b = bits.get(i);
            if (b < 1 || b > 32) {
                throw ConfigException.at(list.get(i), "a bit width lies in [1, 32], got " + b);
            }
            if (!seen.add(b)) {
                throw ConfigException.at(list.get(i), "bit width " + b + " is listed twice");
            }
        }
        List<Integer> sorted = new ArrayList<>(seen);
        sorted.sort(null);
        return List.copyOf(sorted);
    }
}
