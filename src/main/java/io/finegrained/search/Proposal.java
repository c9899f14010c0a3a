package io.finegrained.search;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What {@link Searcher#propose()} answers: a trial to run, wait for results, or done. */
public sealed interface Proposal {

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
     */
    record Trial(Map<String, Object> values, int batch) implements Proposal {
        public Trial {
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }
    }

    /** See {@link #WAIT}. */
    record Wait() implements Proposal {
    }

    /** See {@link #DONE}. */
    record Done() implements Proposal {
    }
}
