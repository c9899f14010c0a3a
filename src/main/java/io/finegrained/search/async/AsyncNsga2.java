package io.finegrained.search.async;

import io.finegrained.search.CandidateGate;
import io.finegrained.search.Genome;
import io.finegrained.search.Individual;
import io.finegrained.search.Objective;
import io.finegrained.search.Rng;
import io.finegrained.search.Breeding;
import io.finegrained.search.Selection;
import io.finegrained.search.TrialResult;
import io.finegrained.search.Variation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * NSGA-II with steady-state survival (the (μ + 1) scheme of Durillo, Nebro, Luna and Alba,
 * "On the effect of the steady-state selection scheme in multi-objective genetic algorithms",
 * EMO 2009), asynchronous: the first μ proposals are a Latin hypercube over the genes, then
 * uniform draws until μ verdicts fill the population; after that each proposal is a child of two parents drawn by binary crowded tournament from the
 * current population (its twin kept for the next proposal), and each verdict that can be compared
 * joins the population, which then drops its worst member by non-dominated rank and crowding
 * distance. No generation boundary: a free slot gets a child at once, from whatever has been told.
 *
 * <p>Cost per verdict: one non-dominated sort of μ + 1 points, O(μ²·objectives), independent of
 * the number of trials run.
 */
public final class AsyncNsga2 extends SteadyStateSearcher {
    private static final int ATTEMPTS = 1000;
    private final Genome genome;
    private final Variation variation;
    private final int population;
    private final CandidateGate gate;
    private final Rng rng;
    private final Selection selection = Selection.nsga2();
    private final Deque<Map<String, Object>> design = new ArrayDeque<>();
    private final Deque<Map<String, Object>> twins = new ArrayDeque<>();
    private List<Selection.Ranked> parents = List.of();

    public AsyncNsga2(Genome genome, List<Objective> objectives, Variation variation, int population, int budget, long seed,
                      CandidateGate gate, Scheduler scheduler) {
        super("AsyncNSGA2", objectives, budget, population, scheduler);
        this.genome = genome;
        this.variation = variation;
        this.population = population;
        this.gate = gate;
        this.rng = new Rng(seed);
        design.addAll(genome.design(population, rng));
    }

    @Override
    protected Map<String, Object> next() {
        while (!design.isEmpty()) {
            Map<String, Object> values = design.poll();
            if (gate.admit(values)) {
                return values;
            }
        }
        int failures = 0;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            // Uniform draws until μ verdicts fill the population: with many slots the first results
            // back are the fastest trials, not the best, and breeding from two of them would
            // collapse the population onto them. As the generational engine, every other try is a
            // uniform draw when variation keeps giving seen or refused candidates.
            Map<String, Object> child = Breeding.child(parents.size() < population || Breeding.stuck(failures), genome,
                    selection, parents, twins, rng, variation);
            if (gate.admit(child)) {
                return child;
            }
            failures++;
        }
        return null;
    }

    @Override
    protected void observe(TrialResult result, double[] minimised) {
        if (minimised == null) {
            return;
        }
        List<Individual> pool = new ArrayList<>(parents.size() + 1);
        for (Selection.Ranked r : parents) {
            pool.add(r.individual());
        }
        pool.add(new Individual(genome.canonical(result.hyperparameters()), minimised));
        parents = selection.survive(pool, population);
    }

    /** The current population, best first. */
    public List<Individual> population() {
        return parents.stream().map(Selection.Ranked::individual).toList();
    }

    /** Proposals refused so far, by reason. */
    @Override
    public Map<String, Integer> refusals() {
        return gate.refusals();
    }
}
