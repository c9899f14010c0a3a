package io.finegrained.search;

/**
 * A searcher's answer when a running trial reaches a resource (a rung: epochs for DJL trials, any
 * integer resource for command trials): train on to a further resource, or stop here.
 */
public sealed interface Decision {

    /** Train on to the trial's full budget: what a searcher without early stopping answers. */
    Decision FULL_BUDGET = new Continue(Proposal.FULL_BUDGET);

    /**
     * Train on (from the trial's checkpoint) until {@code resource} is reached, then report again.
     *
     * @param resource the next rung; {@link Proposal#FULL_BUDGET} for the trial's whole budget
     */
    record Continue(int resource) implements Decision {
        public Continue {
            if (resource < 0) {
                throw new IllegalArgumentException("a resource is at least 0 (0 = the full budget), got " + resource);
            }
        }
    }

    /** Stop now: the trial's verdict is STOPPED, its metrics those of its last report. */
    record Stop() implements Decision {
    }

    static Decision continueTo(int resource) {
        return new Continue(resource);
    }

    static Decision stop() {
        return new Stop();
    }
}
