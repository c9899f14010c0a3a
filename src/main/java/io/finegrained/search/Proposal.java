package io.finegrained.search;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What {@link Searcher#propose()} answers: a trial to run, wait for results, or done. */
public sealed interface Proposal {

    /** The resource of a trial that trains its whole budget (no rungs). */
    int FULL_BUDGET = 0;

    /** Nothing more until a running trial's result is told. */
    Proposal WAIT = new Wait();
    /** The budget is spent, or no new candidate is left. */
    Proposal DONE = new Done();

    /**
     * A trial to run.
     *
     * @param values a value for every open parameter, canonical
     * @param batch the batch it belongs to: the generation of a generational algorithm, the
     *              index of the batch of proposals for an asynchronous one; journaled as {@code generation}
     * @param resource the first resource (rung) to train to, after which it is reported
     *                 ({@link Searcher#report}); {@link #FULL_BUDGET} to train its whole budget
     */
    record Trial(Map<String, Object> values, int batch, int resource) implements Proposal {
        public Trial {
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
            if (resource < 0) {
                throw new IllegalArgumentException("a resource is at least 0 (0 = the full budget), got " + resource);
            }
        }

        /** A trial of the whole budget. */
        public Trial(Map<String, Object> values, int batch) {
            this(values, batch, FULL_BUDGET);
        }
    }

    /** See {@link #WAIT}. */
    record Wait() implements Proposal {
    }

    /** See {@link #DONE}. */
    record Done() implements Proposal {
    }
}
