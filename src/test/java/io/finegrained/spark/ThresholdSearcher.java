package io.finegrained.spark;

import io.finegrained.search.Candidate;
import io.finegrained.search.Decision;
import io.finegrained.search.Proposal;
import io.finegrained.search.Searcher;
import io.finegrained.search.TrialResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A tiny asynchronous searcher for the runner's tests (no scheduler rules of its own): proposes
 * {@code n} trials with given values, each to rung 1; at rung 1 stops those whose {@code f1} is
 * below the threshold and lets the others train their full budget.
 */
final class ThresholdSearcher implements Searcher {
    private final List<Map<String, Object>> values;
    private final double threshold;
    private int proposed;
    final List<TrialResult> told = new ArrayList<>();

    ThresholdSearcher(List<Map<String, Object>> values, double threshold) {
        this.values = values;
        this.threshold = threshold;
    }

    @Override
    public Proposal propose() {
        if (proposed == values.size()) {
            return told.size() == values.size() ? Proposal.DONE : Proposal.WAIT;
        }
        return new Proposal.Trial(values.get(proposed++), 0, 1);
    }

    @Override
    public void tell(TrialResult result) {
        told.add(result);
    }

    @Override
    public Decision report(Candidate trial, Map<String, Double> metrics, int resource) {
        return metrics.get("f1") < threshold ? Decision.stop() : Decision.FULL_BUDGET;
    }

    @Override
    public int budget() {
        return values.size();
    }

    @Override
    public String name() {
        return "Threshold";
    }
}
