package io.finegrained.search;

import java.util.List;
import java.util.Map;

/**
 * The ask/tell surface every algorithm offers. It sees hyper-parameter values and metric numbers
 * only: not where or how trials run.
 *
 * <p>Contract: given the same configuration and seed, and told the same results, an algorithm
 * asks the same values in the same order. That is what makes resume a replay: the driver
 * rebuilds the state by asking and telling the journaled results again, generation by
 * generation, with no trial re-run.
 */
public interface SearchAlgorithm {

    /**
     * The next generation's values, one map per candidate, duplicates of earlier candidates left
     * out; empty once the budget is spent.
     */
    List<Map<String, Object>> ask();

    /** The results of the candidates of the last {@link #ask()}, in any order, failed ones included. */
    void tell(List<TrialResult> results);
}
