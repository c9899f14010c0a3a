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
 * generation, with no trial re-run (see {@link Replay}).
 *
 * <p>Every proposal is new (a candidate resolving to the same network as an earlier one is never
 * proposed again), a valid network, and within the constraints; an algorithm that finds no new
 * candidate ends early. Not thread-safe: one driver thread asks and tells.
 */
public interface SearchAlgorithm {

    /**
     * The next generation's values, one map per candidate, canonical values of every open
     * parameter; empty once the budget is spent or no new candidate is left. Call {@link #tell}
     * with their results before the next ask.
     */
    List<Map<String, Object>> ask();

    /**
     * The results of the candidates of the last {@link #ask()}, in any order, failed ones
     * included (they never enter selection; a candidate with no result counts as failed).
     */
    void tell(List<TrialResult> results);

    /** The most trials this algorithm will propose in all (population × generations, or samples). */
    int budget();

    /** Proposals refused so far, by reason ("duplicate", "invalid network", "constraint"). */
    default Map<String, Integer> refusals() {
        return Map.of();
    }

    /** The parameters it asks values for, as genes, or null when it does not say ({@link Searcher#genome()}). */
    default Genome genome() {
        return null;
    }

    /** The algorithm's name as written in YAML. */
    default String name() {
        return getClass().getSimpleName();
    }
}
