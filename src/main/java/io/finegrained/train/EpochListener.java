package io.finegrained.train;

/**
 * Hears a training's progress (progress lines, time-outs, tests), on the training thread. Either
 * method may throw to stop training: the trial then fails with the exception's message.
 */
@FunctionalInterface
public interface EpochListener {
    /** The end of an epoch, with its statistics. */
    void onEpoch(EpochStats stats);

    /** After each optimizer step ({@code step} counts from 1 in each epoch). Cheap to call; does nothing by default. */
    default void onStep(int epoch, int step) {
    }
}
