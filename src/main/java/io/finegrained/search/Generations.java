package io.finegrained.search;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * A generational algorithm ({@link SearchAlgorithm}: ask a generation, tell its results) as a
 * {@link Searcher}: it proposes the candidates of one generation one by one, waits until every
 * one of them is told, then tells the algorithm the whole generation in id order and asks the
 * next. Telling in id order (the order proposed) keeps the algorithm deterministic whatever order
 * the results arrive in.
 */
public final class Generations implements Searcher {
    private final SearchAlgorithm algorithm;
    private final int plannedBatches;
    private final Deque<Map<String, Object>> toPropose = new ArrayDeque<>();
    private final List<TrialResult> told = new ArrayList<>();
    private int outstanding;
    private int generation = -1;
    private boolean done;

    /**
     * @param plannedBatches the generations it plans (for progress lines), 0 when unknown
     */
    public Generations(SearchAlgorithm algorithm, int plannedBatches) {
        this.algorithm = algorithm;
        this.plannedBatches = plannedBatches;
    }

    @Override
    public Proposal propose() {
        if (toPropose.isEmpty()) {
            if (outstanding > 0) {
                return Proposal.WAIT;
            }
            if (done) {
                return Proposal.DONE;
            }
            List<Map<String, Object>> asked = algorithm.ask();
            if (asked.isEmpty()) {
                done = true;
                return Proposal.DONE;
            }
            generation++;
            toPropose.addAll(asked);
            outstanding = asked.size();
        }
        return new Proposal.Trial(toPropose.poll(), generation);
    }

    @Override
    public void tell(TrialResult result) {
        if (outstanding == 0) {
            throw new IllegalStateException("trial " + result.id() + " was told, and no trial is running");
        }
        told.add(result);
        outstanding--;
        if (outstanding == 0 && toPropose.isEmpty()) {
            List<TrialResult> generationResults = new ArrayList<>(told);
            generationResults.sort(Comparator.comparingInt(TrialResult::id));
            told.clear();
            algorithm.tell(generationResults);
        }
    }

    @Override
    public int budget() {
        return algorithm.budget();
    }

    @Override
    public int plannedBatches() {
        return plannedBatches;
    }

    @Override
    public Map<String, Integer> refusals() {
        return algorithm.refusals();
    }

    @Override
    public Genome genome() {
        return algorithm.genome();
    }

    @Override
    public String name() {
        return algorithm.name();
    }

    /** The generational algorithm inside (benchmarks and tests look at its state). */
    public SearchAlgorithm algorithm() {
        return algorithm;
    }
}
