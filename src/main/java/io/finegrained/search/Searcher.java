package io.finegrained.search;

import java.util.Map;

/**
 * What an {@link AlgorithmProvider} returns: a search driven one trial at a time. The driver
 * asks for proposals until the searcher says {@link Proposal.Wait} (it needs results first) or
 * {@link Proposal.Done}; it tells each trial's final result as it arrives, and asks running
 * trials' intermediate reports ({@link #report}) whether to go on. A generational algorithm is a
 * searcher through {@link Generations}, which proposes a whole generation and then waits for it;
 * an asynchronous one proposes whenever a slot is free. The driver assigns the ids, in proposal
 * order, so a searcher never needs to know them in advance.
 *
 * <p>Contract: given the same configuration and seed, and told the same results in the same
 * order, a searcher proposes the same values in the same order. That makes resume a replay: the
 * driver proposes and tells the journaled results again, running nothing. Not thread-safe: one
 * driver thread calls it.
 */
public interface Searcher {

    /** The next proposal, {@link Proposal.Wait} until more results are told, or {@link Proposal.Done}. */
    Proposal propose();

    /**
     * The final verdict of a proposed trial (OK, FAILED or STOPPED), exactly once per proposal.
     * Values come back as the journal keeps them (an {@code Integer} where a {@code Long} was
     * proposed, say).
     */
    void tell(TrialResult result);

    /**
     * A running trial reached the resource it was sent to (its proposal's, or the last
     * {@link Decision.Continue}'s): its metrics there. Answer: train on to a further resource, or
     * stop (its verdict is then STOPPED with these metrics, told through {@link #tell}). Only
     * called for trials proposed with a resource below their full budget; searchers without
     * early stopping never see it.
     */
    default Decision report(Candidate trial, Map<String, Double> metrics, int resource) {
        return Decision.FULL_BUDGET;
    }

    /** The most trials this searcher will propose in all. */
    int budget();

    /** How many batches (generations) it plans, for progress lines; 0 when it does not know. */
    default int plannedBatches() {
        return 0;
    }

    /** Proposals it refused so far, by reason ("duplicate", "invalid network", "constraint"). */
    default Map<String, Integer> refusals() {
        return Map.of();
    }

    /**
     * The parameters it proposes values for, as genes, or null when it does not say. A resume
     * checks the journal's values against them before anything runs; with null, against the
     * space's open parameters (which is what a searcher that opens parameters of its own, such as
     * PruneEA's keep-masks, must not be checked against).
     */
    default Genome genome() {
        return null;
    }

    /** The algorithm's type name, as written in YAML. */
    String name();
}
