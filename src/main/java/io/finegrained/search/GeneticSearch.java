package io.finegrained.search;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The generational engine behind Evolution, NSGA2, BackboneNas, QuantEA and PruneEA: a first
 * population from a Latin hypercube over the genes, then each generation tournament-selected
 * parents, crossover and mutation from the genes, and (μ + λ) survival by the selection
 * (NSGA-II or single-objective truncation): the μ survivors ({@code survivors}, half a generation
 * by default) are the best of the last survivors and the λ = {@code population} new candidates. The algorithms differ in their genes, their
 * selection and their default objectives, not in this loop.
 *
 * <p>State is the survivors, the proposals seen and the random stream; all of it follows from
 * the seed and the results told, so a replay of the journal rebuilds it exactly.
 */
public final class GeneticSearch implements SearchAlgorithm {
    private final String name;
    private final Genome genome;
    private final List<Objective> objectives;
    private final Variation variation;
    private final Selection selection;
    private final int population;
    private final int survivors;
    private final int generations;
    private final CandidateGate gate;
    private final Pending pending;
    private final Rng rng;
    private List<Selection.Ranked> parents = List.of();
    private int generation;
    private boolean exhausted;

    public GeneticSearch(String name, Genome genome, List<Objective> objectives, Variation variation, Selection selection,
                  int population, int survivors, int generations, long seed, CandidateGate gate) {
        this.name = name;
        this.genome = genome;
        this.objectives = List.copyOf(objectives);
        this.variation = variation;
        this.selection = selection;
        this.population = population;
        this.survivors = survivors;
        this.generations = generations;
        this.gate = gate;
        this.pending = new Pending(genome);
        this.rng = new Rng(seed);
    }

    @Override
    public List<Map<String, Object>> ask() {
        if (exhausted || generation >= generations) {
            return List.of();
        }
        int maxAttempts = 1000 + 100 * population;
        List<Map<String, Object>> out = new ArrayList<>();
        int attempts = 0;
        int failures = 0;
        if (generation == 0 || parents.isEmpty()) {
            for (Map<String, Object> values : genome.design(population, rng)) {
                attempts++;
                if (gate.admit(values)) {
                    out.add(values);
                }
            }
        }
        Deque<Map<String, Object>> twins = new ArrayDeque<>();
        while (out.size() < population && attempts < maxAttempts) {
            attempts++;
            // Variation first; when it keeps producing seen or refused candidates (a converged
            // population, a tight constraint), every other try is a fresh uniform draw instead.
            Map<String, Object> child = Breeding.child(parents.isEmpty() || Breeding.stuck(failures), genome, selection,
                    parents, twins, rng, variation);
            if (gate.admit(child)) {
                out.add(child);
                failures = 0;
            } else {
                failures++;
            }
        }
        generation++;
        if (out.isEmpty()) {
            // Nothing new within the attempts: the space is spent (or the constraints leave nothing).
            exhausted = true;
            return List.of();
        }
        pending.open(out);
        return out;
    }

    @Override
    public void tell(List<TrialResult> results) {
        List<TrialResult> ordered = pending.close(results);
        List<Individual> pool = new ArrayList<>();
        for (Selection.Ranked r : parents) {
            pool.add(r.individual());
        }
        for (TrialResult r : ordered) {
            double[] v = r == null ? null : Pareto.minimised(r, objectives);
            if (v != null) {
                pool.add(new Individual(genome.canonical(r.hyperparameters()), v));
            }
        }
        parents = selection.survive(pool, survivors);
    }

    @Override
    public int budget() {
        return population * generations;
    }

    @Override
    public String name() {
        return name;
    }

    /** The objectives selection compares. */
    public List<Objective> objectives() {
        return objectives;
    }

    /** The genes this search evolves. */
    @Override
    public Genome genome() {
        return genome;
    }

    /** Proposals refused so far, by reason. */
    public Map<String, Integer> refusals() {
        return gate.refusals();
    }
}
