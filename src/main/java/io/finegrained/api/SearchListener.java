package io.finegrained.api;

import io.finegrained.search.TrialResult;

/** Told each trial's verdict once it is journaled, on the driver thread that runs the search. */
@FunctionalInterface
public interface SearchListener {
    void trialFinished(TrialResult result);
}
