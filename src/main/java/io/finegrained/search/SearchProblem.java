package io.finegrained.search;

import io.finegrained.config.ConfigException;
import io.finegrained.space.NetworkFacts;
import io.finegrained.space.ParameterSpace;
import java.util.List;

/**
 * What an algorithm searches: the open parameters, the objectives (in file order), what the
 * network of a candidate measures (null for a space without modules) and the limits checked on
 * those measures before a candidate is proposed.
 */
public record SearchProblem(ParameterSpace space, List<Objective> objectives, NetworkFacts facts, Constraints constraints) {

    public SearchProblem {
        objectives = List.copyOf(objectives);
        if (objectives.isEmpty()) {
            throw new IllegalArgumentException("a search needs at least one objective");
        }
    }

    /**
     * Refuses constraints that cannot be measured here: any, in a space without modules; a
     * bit-ops limit on a network without a Quant module. Located at the constraint.
     */
    public void checkConstraintsMeasurable() {
        if (constraints.isEmpty()) {
            return;
        }
        if (facts == null) {
            throw ConfigException.at(constraints.limits().get(0).node(),
                    "constraints limit what a network measures, and this space has no modules");
        }
        for (Constraints.Limit limit : constraints.limits()) {
            if (limit.metric().equals("bitops") && facts.quantPath() == null) {
                throw ConfigException.at(limit.node(), "bitops is measured on a quantized network, and this space has no Quant module");
            }
        }
    }

    /** The gate every proposal of a search over this genome passes (new, valid, within the constraints). */
    public CandidateGate gate(Genome genome) {
        return new CandidateGate(genome, facts, constraints);
    }
}
