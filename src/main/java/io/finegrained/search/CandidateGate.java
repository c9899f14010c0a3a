package io.finegrained.search;

import io.finegrained.space.InvalidCandidateException;
import io.finegrained.space.NetworkFacts;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What every proposal passes before an algorithm returns it: not seen before (same resolved
 * network, by {@link NetworkFacts#identity}, or same values in a space without modules), a valid
 * network ({@link NetworkFacts#measure} does not throw), and within the constraints. A proposal
 * that fails is remembered, so it is neither proposed nor measured again.
 */
public final class CandidateGate {
    private final Genome genome;
    private final NetworkFacts facts;
    private final Constraints constraints;
    private final Set<String> seen = new HashSet<>();
    private final Map<String, Integer> refusals = new LinkedHashMap<>();

    public CandidateGate(Genome genome, NetworkFacts facts, Constraints constraints) {
        this.genome = genome;
        this.facts = facts;
        this.constraints = constraints;
    }

    /** True when the values are new and admissible; either way they count as seen from now on. */
    public boolean admit(Map<String, Object> values) {
        String identity;
        try {
            identity = facts == null ? genome.key(values) : facts.identity(values);
        } catch (InvalidCandidateException e) {
            refuse("invalid network");
            return false;
        }
        if (!seen.add(identity)) {
            refuse("duplicate");
            return false;
        }
        if (facts == null) {
            return true;
        }
        Map<String, Double> measured;
        try {
            measured = facts.measure(values);
        } catch (InvalidCandidateException e) {
            refuse("invalid network");
            return false;
        }
        Optional<String> broken = constraints.check(measured);
        if (broken.isPresent()) {
            refuse("constraint");
            return false;
        }
        return true;
    }

    private void refuse(String why) {
        refusals.merge(why, 1, Integer::sum);
    }

    /** How many proposals were refused, by reason ("duplicate", "invalid network", "constraint"). */
    public Map<String, Integer> refusals() {
        return Map.copyOf(refusals);
    }
}
