package io.finegrained.train;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * The epochs of one training on the training split: a seeded shuffle per epoch, one optimizer
 * step per batch, the checks that end a diverging training, progress to the listener. One per
 * training; not thread-safe.
 *
 * <p>Each step's arrays live in a sub-manager of the trainer closed right after the step: without
 * that scoping a ResNet-20 step ran about twice as slow (ARCHITECTURE.md), so it is kept for
 * every step, timed ones included.
 */
final class TrainingLoop {
    /** Steps in the window whose mean loss decides divergence. */
    private static final int DIVERGENCE_WINDOW = 10;
    /** A mean loss above this many times the loss of a uniform guess, ln(classes), is divergence. */
    private static final double DIVERGENCE_FACTOR = 10;

    private final TrainerConfig cfg;
    private final LoadedData data;
    private final EpochListener listener;
    private final double divergenceLimit;
    private Distillation distillation;
    private int epochsDone;

    /** Batch size, steps per epoch and learning-rate schedule of a training on this data. */
    record Plan(int batch, int stepsPerEpoch, LrSchedule schedule) {
        static Plan of(TrainerConfig cfg, LoadedData data) {
            int trainSize = data.split(Split.TRAIN).size();
            int batch = Math.min(cfg.batchSize(), trainSize);
            int stepsPerEpoch = trainSize / batch;
            return new Plan(batch, stepsPerEpoch, new LrSchedule(cfg, stepsPerEpoch));
        }
    }

    /** @param listener told about each step and epoch, or null */
    TrainingLoop(TrainerConfig cfg, LoadedData data, EpochListener listener) {
        this.cfg = cfg;
        this.data = data;
        this.listener = listener;
        this.divergenceLimit = DIVERGENCE_FACTOR * Math.log(data.config().numClasses());
    }

    /** Learn from this teacher's logits too (trainer.distill_from), or from the labels alone (null). */
    TrainingLoop distilling(Distillation teacher) {
        this.distillation = teacher;
        return this;
    }

    /** Epochs completed so far. */
    int epochsDone() {
        return epochsDone;
    }

    /**
     * Where a training stands between epochs: everything the epoch loop carries from one epoch to
     * the next besides the model and the optimizer (the generator of shuffles and augmentation,
     * the shuffled order, which is shuffled again in place each epoch, the divergence window and
     * the step count). Saved in a checkpoint, so that continuing draws exactly what an
     * uninterrupted training would have drawn.
     */
    static final class State {
        Random random;
        int[] order;
        double[] window;
        int step;
        int epoch;

        State(Random random, int[] order, double[] window, int step, int epoch) {
            this.random = random;
            this.order = order;
            this.window = window;
            this.step = step;
            this.epoch = epoch;
        }

        static State fresh(TrainerConfig cfg, int images) {
            return new State(new Random(cfg.seed()), identity(images), new double[DIVERGENCE_WINDOW], 0, 0);
        }
    }

    /** Trains all epochs; returns null, or the reason training stopped early. */
    String fit(Trainer trainer, Model model, Plan plan) {
        return fit(trainer, model, plan, State.fresh(cfg, data.split(Split.TRAIN).size()), cfg.epochs());
    }

    /**
     * Trains from where {@code state} stands up to epoch {@code toEpoch} (at most the configured
     * epochs), updating {@code state}; returns null, or the reason training stopped early.
     */
    String fit(Trainer trainer, Model model, Plan plan, State state, int toEpoch) {
        return fit(trainer, model, plan, state, toEpoch, null);
    }

    /** As {@link #fit(Trainer, Model, Plan, State, int)}, telling {@code afterEpoch} (if not null) the state after each epoch. */
    String fit(Trainer trainer, Model model, Plan plan, State state, int toEpoch, java.util.function.Consumer<State> afterEpoch) {
        int batch = plan.batch();
        int stepsPerEpoch = plan.stepsPerEpoch();
        BatchAssembler batches = new BatchAssembler(data, Split.TRAIN, true, batch);
        Random random = state.random;
        int[] order = state.order;
        double[] window = state.window;
        int step = state.step;
        epochsDone = state.epoch;
        for (int epoch = state.epoch + 1; epoch <= Math.min(toEpoch, cfg.epochs()); epoch++) {
            long epochStart = System.nanoTime();
            shuffle(order, random);
            double lossSum = 0;
            long[] counts = new long[1];
            for (int s = 0; s < stepsPerEpoch; s++, step++) {
                float loss = step(trainer, batches, order, s * batch, batch, random, counts, distillation);
                if (!Float.isFinite(loss)) {
                    return "loss is " + loss + " at epoch " + epoch + ", step " + (s + 1);
                }
                if (listener != null) {
                    listener.onStep(epoch, s + 1);
                }
                lossSum += loss;
                window[step % DIVERGENCE_WINDOW] = loss;
                if (step + 1 >= DIVERGENCE_WINDOW) {
                    double mean = Arrays.stream(window).average().orElse(0);
                    if (mean > divergenceLimit) {
                        return String.format(Locale.ROOT, "loss diverged: mean %.3g over %d steps exceeds"
                                + " %.3g (%.0f x ln(%d classes)) at epoch %d, step %d", mean, DIVERGENCE_WINDOW,
                                divergenceLimit, DIVERGENCE_FACTOR, data.config().numClasses(), epoch, s + 1);
                    }
                }
            }
            epochsDone = epoch;
            state.step = step;
            state.epoch = epoch;
            if (listener != null) {
                double seconds = (System.nanoTime() - epochStart) / 1e9;
                int images = stepsPerEpoch * batch;
                listener.onEpoch(new EpochStats(epoch, cfg.epochs(), lossSum / stepsPerEpoch, (double) counts[0] / images,
                        images / seconds, plan.schedule().rateAt(step - 1), seconds, model.getNDManager().getManagedArrays().size()));
            }
            if (afterEpoch != null) {
                afterEpoch.accept(state);
            }
        }
        return null;
    }

    /**
     * Times {@code steps} optimizer steps after {@code warmup} untimed ones, each exactly as
     * {@link #fit} runs it (batch assembly included), cycling through one shuffled epoch.
     */
    static TrialTrainer.StepTimes timeSteps(Trainer trainer, LoadedData data, TrainerConfig cfg, Plan plan, int warmup,
            int steps) {
        int batch = plan.batch();
        BatchAssembler batches = new BatchAssembler(data, Split.TRAIN, true, batch);
        Random random = new Random(cfg.seed());
        int[] order = identity(data.split(Split.TRAIN).size());
        shuffle(order, random);
        long[] correct = new long[1];
        double[] times = new double[steps];
        Duration cpuStart = Duration.ZERO;
        for (int i = -warmup; i < steps; i++) {
            int from = Math.floorMod(i, plan.stepsPerEpoch()) * batch;
            if (i == 0) {
                cpuStart = processCpu();
            }
            long t0 = System.nanoTime();
            step(trainer, batches, order, from, batch, random, correct, null);
            if (i >= 0) {
                times[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        double cpuMs = processCpu().minus(cpuStart).toNanos() / 1e6;
        return new TrialTrainer.StepTimes(times, steps == 0 ? 0 : cpuMs / steps);
    }

    /**
     * One optimizer step on the batch {@code order[from .. from+batch)}: its arrays live in a
     * sub-manager closed before returning. Adds the number of right answers to {@code correct[0]}.
     * Returns the batch loss; a non-finite loss is returned without updating the parameters.
     *
     * @param distillation the teacher whose logits the loss also compares with, or null
     */
    static float step(Trainer trainer, BatchAssembler batches, int[] order, int from, int batch, Random random, long[] correct,
            Distillation distillation) {
        try (NDManager stepArrays = trainer.getManager().newSubManager()) {
            NDArray x = batches.images(stepArrays, order, from, batch, random);
            NDArray y = batches.labels(stepArrays, order, from, batch);
            // Before the collector opens: the teacher's forward pass is not part of what is learned.
            NDArray teacherLogits = distillation == null ? null : distillation.logits(stepArrays, x);
            NDArray prediction;
            float loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                prediction = trainer.forward(new NDList(x)).singletonOrThrow();
                NDArray lossArray = trainer.getLoss().evaluate(new NDList(y), new NDList(prediction));
                if (teacherLogits != null) {
                    lossArray = distillation.loss(lossArray, prediction, teacherLogits);
                }
                collector.backward(lossArray);
                loss = lossArray.getFloat();
            }
            if (!Float.isFinite(loss)) {
                return loss;
            }
            trainer.step();
            correct[0] += prediction.argMax(1).eq(y).countNonzero().getLong();
            return loss;
        }
    }

    /** {@code 0, 1, ..., n-1}. */
    static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    /** Fisher–Yates with the training's generator (which the augmentation draws from too). */
    private static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    private static Duration processCpu() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
    }
}
