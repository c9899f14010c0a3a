package io.finegrained.search.async;

import io.finegrained.search.CandidateGate;
import io.finegrained.search.Genome;
import io.finegrained.search.Objective;
import io.finegrained.search.Rng;
import io.finegrained.search.TrialResult;
import java.util.List;
import java.util.Map;

/**
 * Uniform random search, asynchronous: a new draw whenever a slot is free; verdicts are not used
 * (the scheduler, when there is one, still stops bad trials early).
 */
public final class AsyncRandom extends SteadyStateSearcher {
    private static final int ATTEMPTS = 1000;
    private final Genome genome;
    private final CandidateGate gate;
    private final Rng rng;

    public AsyncRandom(Genome genome, List<Objective> objectives, int batch, int budget, long seed, CandidateGate gate,
                       Scheduler scheduler) {
        super("AsyncRandomSearch", objectives, budget, batch, scheduler);
        this.genome = genome;
        this.gate = gate;
        this.rng = new Rng(seed);
    }

    @Override
    protected Map<String, Object> next() {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Map<String, Object> values = genome.random(rng);
            if (gate.admit(values)) {
                return values;
            }
        }
        return null;
    }

    @Override
    protected void observe(TrialResult result, double[] minimised) {
    }

    @Override
    public Map<String, Integer> refusals() {
        return gate.refusals();
    }
}
