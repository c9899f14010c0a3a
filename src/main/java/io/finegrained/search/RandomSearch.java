package io.finegrained.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Uniform random search: every parameter drawn uniformly from its domain (log-uniformly for
 * FLOAT_EXP), in generations of {@code population} candidates until {@code samples} are proposed.
 * Results are not used; they are still told, so the driver loop is the same for every algorithm.
 */
public final class RandomSearch implements SearchAlgorithm {
    private final Genome genome;
    private final int budget;
    private final int batch;
    private final CandidateGate gate;
    private final Pending pending;
    private final Rng rng;
    private int proposed;
    private boolean exhausted;

    public RandomSearch(Genome genome, int budget, int batch, long seed, CandidateGate gate) {
        this.genome = genome;
        this.budget = budget;
        this.batch = batch;
        this.gate = gate;
        this.pending = new Pending(genome);
        this.rng = new Rng(seed);
    }

    @Override
    public List<Map<String, Object>> ask() {
        if (exhausted || proposed >= budget) {
            return List.of();
        }
        int n = Math.min(batch, budget - proposed);
        int maxAttempts = 1000 + 100 * n;
        List<Map<String, Object>> out = new ArrayList<>();
        for (int attempts = 0; out.size() < n && attempts < maxAttempts; attempts++) {
            Map<String, Object> values = genome.random(rng);
            if (gate.admit(values)) {
                out.add(values);
            }
        }
        if (out.isEmpty()) {
            exhausted = true;
            return List.of();
        }
        proposed += out.size();
        pending.open(out);
        return out;
    }

    @Override
    public void tell(List<TrialResult> results) {
        pending.close(results);
    }

    @Override
    public int budget() {
        return budget;
    }

    @Override
    public String name() {
        return "RandomSearch";
    }

    /** Proposals refused so far, by reason. */
    public Map<String, Integer> refusals() {
        return gate.refusals();
    }
}
