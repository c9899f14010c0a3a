package io.finegrained.search;

import io.finegrained.space.Domain;
import io.finegrained.space.ModuleType;
import io.finegrained.space.ParameterSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The genomes the built-in algorithms evolve: the space's own parameters, or genes they open on the network. */
public final class Genomes {
    private Genomes() {
    }

    /**
     * A gene per open parameter, in the space's order.
     *
     * @param keepOnes keep the number of ones of a binary code written as the seed's shorthand (BackboneNas)
     */
    public static Genome of(ParameterSpace space, boolean keepOnes) {
        List<Gene> genes = new ArrayList<>();
        for (Map.Entry<String, Domain> e : space.domains().entrySet()) {
            genes.add(Genes.of(e.getKey(), e.getValue(), keepOnes));
        }
        return new Genome(genes);
    }

    /**
     * QuantEA's genes: a weight and an activation bit width per quantizable layer, at the
     * parameters the QUANT role declares ({@link ModuleType.Role#WEIGHT_BITS},
     * {@link ModuleType.Role#ACTIVATION_BITS}), whichever module takes the role.
     */
    public static Genome bitWidths(String quantPath, int layers, List<Integer> choices) {
        return new Genome(List.of(Genes.choiceList(quantPath + "." + ModuleType.Role.WEIGHT_BITS, layers, choices),
                Genes.choiceList(quantPath + "." + ModuleType.Role.ACTIVATION_BITS, layers, choices)));
    }

    /** PruneEA's gene: a keep-mask per prunable channel group (never empty), at the PRUNE role's {@link ModuleType.Role#KEEP_MASK}. */
    public static Genome keepMasks(String prunePath, List<Integer> widths) {
        return new Genome(List.of(Genes.maskList(prunePath + "." + ModuleType.Role.KEEP_MASK, widths)));
    }
}
