package io.finegrained.train;

/** Hears the end of each training epoch (progress lines, tests). Called on the training thread. */
@FunctionalInterface
public interface EpochListener {
    void onEpoch(EpochStats stats);
}
