package io.finegrained.train;

import ai.djl.training.tracker.Tracker;
import java.util.List;

/**
 * The learning rate at each optimizer step: an optional linear warm-up from 0, then the
 * configured schedule. {@code step} and {@code multistep} change at epoch boundaries,
 * {@code cosine} anneals per step from the base rate to {@code min_lr} over the steps after the
 * warm-up. Pure function of the step number; immutable.
 */
final class LrSchedule implements Tracker {
    private final TrainerConfig config;
    private final int stepsPerEpoch;
    private final int warmupSteps;
    private final int totalSteps;

    LrSchedule(TrainerConfig config, int stepsPerEpoch) {
        if (stepsPerEpoch < 1) {
            throw new IllegalArgumentException("stepsPerEpoch must be >= 1");
        }
        this.config = config;
        this.stepsPerEpoch = stepsPerEpoch;
        this.warmupSteps = (int) Math.round(config.warmupEpochs() * stepsPerEpoch);
        this.totalSteps = config.epochs() * stepsPerEpoch;
    }

    /**
     * {@inheritDoc}
     *
     * @param numUpdate the optimizer's update count, 1 for the first step
     */
    @Override
    public float getNewValue(int numUpdate) {
        return (float) rateAt(numUpdate - 1);
    }

    /** The learning rate of the 0-based step. */
    double rateAt(int step) {
        double base = config.learningRate();
        if (step < warmupSteps) {
            return base * (step + 1) / warmupSteps;
        }
        int epoch = step / stepsPerEpoch;
        return switch (config.schedule()) {
            case CONSTANT -> base;
            case STEP -> base * Math.pow(config.gamma(), epoch / config.effectiveStepSize());
            case MULTISTEP -> base * Math.pow(config.gamma(), passed(config.effectiveMilestones(), epoch));
            case COSINE -> {
                int span = Math.max(1, totalSteps - warmupSteps);
                double progress = Math.min(1.0, (double) (step - warmupSteps) / span);
                yield config.minLr() + (base - config.minLr()) * 0.5 * (1 + Math.cos(Math.PI * progress));
            }
        };
    }

    private static int passed(List<Integer> milestones, int epoch) {
        int n = 0;
        for (int m : milestones) {
            if (epoch >= m) {
                n++;
            }
        }
        return n;
    }
}
