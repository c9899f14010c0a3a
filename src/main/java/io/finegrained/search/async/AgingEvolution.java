package io.finegrained.search.async;

import io.finegrained.search.CandidateGate;
import io.finegrained.search.Genome;
import io.finegrained.search.Individual;
import io.finegrained.search.Objective;
import io.finegrained.search.Rng;
import io.finegrained.search.TrialResult;
import io.finegrained.search.Variation;
import io.finegrained.search.Gene;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Regularized (aging) evolution (Real, Aggarwal, Huang and Le, "Regularized evolution for image
 * classifier architecture search", AAAI 2019), one objective, asynchronous as in the paper: the
 * proposals are uniform draws until P verdicts fill the population; after that each proposal
 * samples S members of the population (uniformly, with replacement, as the paper's Algorithm 1),
 * takes the best and mutates one of its genes to another value (no crossover); each verdict
 * that can be compared joins the population as its youngest member and, once the population
 * holds more than P, the oldest member leaves, however good. Aging instead of killing the worst
 * is the regularization: a member survives by having good children, not by one lucky score.
 */
public final class AgingEvolution extends SteadyStateSearcher {
    private static final int ATTEMPTS = 1000;
    private final Genome genome;
    private final Variation mutation;
    private final int population;
    private final int sample;
    private final CandidateGate gate;
    private final Rng rng;
    private final List<Individual> members = new ArrayList<>(); // oldest first

    /**
     * @param mutation its crossover probability is ignored (aging evolution only mutates)
     */
    public AgingEvolution(Genome genome, List<Objective> objectives, Variation mutation, int population, int sample, int budget,
                          long seed, CandidateGate gate, Scheduler scheduler) {
        super("AgingEvolution", objectives, budget, population, scheduler);
        if (objectives.size() != 1) {
            throw new IllegalArgumentException("aging evolution optimises one objective, got " + objectives.size());
        }
        if (sample < 1 || sample > population) {
            throw new IllegalArgumentException("the sample is in [1, population], got " + sample);
        }
        this.genome = genome;
        this.mutation = new Variation(0, mutation.etaCrossover(), mutation.etaMutation(), mutation.mutationRate());
        this.population = population;
        this.sample = sample;
        this.gate = gate;
        this.rng = new Rng(seed);
    }

    @Override
    protected Map<String, Object> next() {
        // Uniform draws until P verdicts fill the population (the paper's initial population), so
        // the first results back, which are the fastest and not the best, do not seed everything.
        boolean seeding = members.size() < population;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Map<String, Object> child = seeding || attempt >= ATTEMPTS / 2 ? genome.random(rng) : mutateOne(parent());
            if (gate.admit(child)) {
                return child;
            }
        }
        return null;
    }

    /**
     * The paper's mutation: one gene, drawn uniformly, changes (at the rate that changes one of
     * its variables on average; a child equal to its parent is refused as a duplicate and drawn again).
     */
    private Map<String, Object> mutateOne(Map<String, Object> parent) {
        List<Gene> genes = genome.genes();
        Gene g = genes.get(rng.nextInt(genes.size()));
        Variation one = new Variation(0, mutation.etaCrossover(), mutation.etaMutation(), 1.0 / Math.max(1, g.variables()));
        Map<String, Object> child = new LinkedHashMap<>(parent);
        child.put(g.key(), g.mutate(parent.get(g.key()), rng, one));
        return Collections.unmodifiableMap(child);
    }

    /**
     * The best of S members drawn uniformly with replacement, as the paper's Algorithm 1 draws
     * them (a random element of the population, S times) and as NAS-Bench-201's REA does.
     */
    private Map<String, Object> parent() {
        Individual best = null;
        for (int k = 0; k < sample; k++) {
            Individual candidate = members.get(rng.nextInt(members.size()));
            if (best == null || candidate.objectives()[0] < best.objectives()[0]) {
                best = candidate;
            }
        }
        return best.values();
    }

    @Override
    protected void observe(TrialResult result, double[] minimised) {
        if (minimised == null) {
            return;
        }
        members.add(new Individual(genome.canonical(result.hyperparameters()), minimised));
        if (members.size() > population) {
            members.remove(0);
        }
    }

    /** The population, oldest first. */
    public List<Individual> population() {
        return List.copyOf(members);
    }

    @Override
    public Map<String, Integer> refusals() {
        return gate.refusals();
    }
}
