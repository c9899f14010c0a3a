package io.finegrained.train;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Trains one network on loaded data with a DJL {@link Trainer} and scores it: the trial an
 * executor runs. Sets up the model and its trainer (initialization, optimizer, memory layout),
 * then hands over to the {@link TrainingLoop}, the {@link Scorer} and the {@link LatencyProbe},
 * and exports the result when asked. Stateless; but DJL allows one training per JVM at a time
 * (its gradient collector is JVM-global), so callers serialize calls within a JVM.
 *
 * <p>Each step's arrays live in a sub-manager of the trainer closed right after the step, and
 * everything else of the trial (parameters, optimizer state) in the trial's model, closed at the
 * end: memory stays flat over steps, epochs and trials. Training is seeded by
 * {@link TrainerConfig#seed()} (initialization, shuffling, augmentation) and repeatable on CPU
 * with the same thread count.
 */
public final class TrialTrainer {

    private TrialTrainer() {
    }

    /** {@link #train(Block, long[], TrainerConfig, LoadedData, Split, Device, EpochListener, ModelFiles)} without model files. */
    public static TrainingOutcome train(Block block, long[] inputShape, TrainerConfig cfg, LoadedData data, Split scoreOn,
            Device device, EpochListener listener) {
        return train(block, inputShape, cfg, data, scoreOn, device, listener, ModelFiles.NONE);
    }

    /**
     * Initializes the block (or loads it from {@code files.initFrom()}), trains it on the
     * training split, scores it on {@code scoreOn} and measures its inference latency.
     *
     * @param block an uninitialized network whose output is one logit per class
     * @param inputShape {@code [C, H, W]} of one image
     * @param scoreOn {@link Split#VALIDATION} for search trials, {@link Split#TEST} for {@code train}
     * @param listener told about each epoch, or null
     * @return OK with metrics, or FAILED with the reason (NaN or diverging loss ends training early)
     * @throws IllegalArgumentException when the split to score on is empty or the input shape does not fit the data
     */
    public static TrainingOutcome train(Block block, long[] inputShape, TrainerConfig cfg, LoadedData data, Split scoreOn,
            Device device, EpochListener listener, ModelFiles files) {
        return trainSegment(block, inputShape, cfg, data, scoreOn, device, listener, files, null, 0).outcome();
    }

    /**
     * What a segment of a training gave: the outcome at the epoch reached, and the state to
     * continue from (null when the training is complete or failed).
     */
    public record Segment(TrainingOutcome outcome, TrainingCheckpoint checkpoint) {
    }

    /**
     * Trains from a checkpoint (or from scratch) up to epoch {@code toEpoch}, then scores, as
     * {@link #train} does at the end; continuing from the returned checkpoint later gives exactly
     * the parameters of a training that never stopped (CPU, same threads). The learning-rate
     * schedule is over the configured epochs (the whole budget), not over the segment.
     *
     * @param from a checkpoint of this block's training with these settings, or null (then {@code files.initFrom()} applies)
     * @param toEpoch the epoch to stop after; 0 (or more than the configured epochs) for all of them
     */
    public static Segment trainSegment(Block block, long[] inputShape, TrainerConfig cfg, LoadedData data, Split scoreOn,
            Device device, EpochListener listener, ModelFiles files, TrainingCheckpoint from, int toEpoch) {
        return trainSegment(block, inputShape, cfg, data, scoreOn, device, listener, files, from, toEpoch, null);
    }

    /**
     * As {@link #trainSegment(Block, long[], TrainerConfig, LoadedData, Split, Device, EpochListener, ModelFiles,
     * TrainingCheckpoint, int)}, also handing {@code everyEpoch} (if not null) a checkpoint after each epoch that
     * does not end the segment: what a retry continues from when the segment's executor is lost mid-way.
     */
    public static Segment trainSegment(Block block, long[] inputShape, TrainerConfig cfg, LoadedData data, Split scoreOn,
            Device device, EpochListener listener, ModelFiles files, TrainingCheckpoint from, int toEpoch,
            java.util.function.Consumer<TrainingCheckpoint> everyEpoch) {
        long start = System.nanoTime();
        checkInput(inputShape, data, scoreOn);
        if (from != null) {
            from.checkFits(cfg);
        }
        Engines.warmUp(device);
        Engines.prepareThread();
        TrainingLoop loop = new TrainingLoop(cfg, data, listener);
        int last = toEpoch <= 0 ? cfg.epochs() : Math.min(toEpoch, cfg.epochs());
        Distillation distillation = null;
        try (Model model = Model.newInstance("candidate", device)) {
            if (files.teacher() != null) {
                distillation = Distillation.load(files.teacher().block(), files.teacher().exportDir(), cfg, device);
                loop.distilling(distillation);
            }
            model.setBlock(block);
            if (files.initFrom() != null && from == null) {
                ModelExport.loadInto(model, files.initFrom());
            }
            TrainingLoop.Plan plan = TrainingLoop.Plan.of(cfg, data);
            Optimizer optimizer = newOptimizer(cfg, plan.schedule(), model, from == null ? 0 : from.step());
            try (Trainer trainer = newTrainer(model, optimizer, cfg, device, inputShape)) {
                TrainingLoop.State state = from == null ? TrainingLoop.State.fresh(cfg, data.split(Split.TRAIN).size())
                        : Checkpoints.restore(from, block, (StatefulOptimizer) optimizer, model);
                java.util.function.Consumer<TrainingLoop.State> afterEpoch = everyEpoch == null ? null : st -> {
                    if (st.epoch < last) {
                        everyEpoch.accept(Checkpoints.capture(st, cfg, block, (StatefulOptimizer) optimizer));
                    }
                };
                String failure = loop.fit(trainer, model, plan, state, last, afterEpoch);
                if (failure != null) {
                    return new Segment(TrainingOutcome.failed(failure, loop.epochsDone(), seconds(start)), null);
                }
                double trainSeconds = seconds(start);
                Scorer.Score score = Scorer.score(trainer, data, scoreOn, cfg.evalBatchSize());
                if (!Double.isFinite(score.loss())) {
                    return new Segment(TrainingOutcome.failed("the " + lower(scoreOn) + " loss is " + score.loss()
                            + " after training", loop.epochsDone(), seconds(start)), null);
                }
                Map<String, Double> latency = LatencyProbe.measure(trainer, data, scoreOn);
                if (files.exportTo() != null) {
                    ModelExport.save(files.exportTo(), block, files.resolvedYaml());
                    QuantizedModels.export(files.exportTo(), trainer, block, data, cfg, inputShape, files.resolvedYaml());
                }
                Map<String, Double> metrics = new LinkedHashMap<>();
                metrics.put("accuracy", score.accuracy());
                metrics.put("loss", score.loss());
                metrics.putAll(latency); // latency_ms, latency_ms_b32, latency_spread
                metrics.put("train_seconds", trainSeconds);
                // Captured after scoring: scoring runs the network in inference mode and changes no state.
                TrainingCheckpoint checkpoint = state.epoch < cfg.epochs()
                        ? Checkpoints.capture(state, cfg, block, (StatefulOptimizer) optimizer) : null;
                return new Segment(TrainingOutcome.ok(metrics, loop.epochsDone(), seconds(start)), checkpoint);
            }
        } catch (IOException | MalformedModelException e) {
            return new Segment(TrainingOutcome.failed("model files: " + e.getMessage(), loop.epochsDone(), seconds(start)), null);
        } catch (RuntimeException e) {
            // A candidate that cannot run (shapes that do not fit, an engine error) is a failed
            // trial with its reason, never the end of the generation.
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Segment(TrainingOutcome.failed(message, loop.epochsDone(), seconds(start)), null);
        } finally {
            if (distillation != null) {
                distillation.close();
            }
        }
    }

    /**
     * The accuracy and loss of an exported model on {@code split}, without training: the score
     * {@link #train} reports, for models trained elsewhere (a benchmark scoring a search's front
     * on the test split, which the search's trials never see).
     *
     * @param block the uninitialized network the export was made from (built from its network.yml)
     * @param modelDir a folder written by {@link ModelExport#save}
     * @return {accuracy, loss}
     */
    public static double[] score(Block block, long[] inputShape, TrainerConfig cfg, LoadedData data, Split split, Device device,
            java.nio.file.Path modelDir) throws IOException, MalformedModelException {
        checkInput(inputShape, data, split);
        Engines.warmUp(device);
        Engines.prepareThread();
        try (Model model = Model.newInstance("scored", device)) {
            model.setBlock(block);
            ModelExport.loadInto(model, modelDir);
            TrainingLoop.Plan plan = TrainingLoop.Plan.of(cfg, data);
            try (Trainer trainer = newTrainer(model, newOptimizer(cfg, plan.schedule(), model, 0), cfg, device, inputShape)) {
                Scorer.Score s = Scorer.score(trainer, data, split, cfg.evalBatchSize());
                return new double[] {s.accuracy(), s.loss()};
            }
        }
    }

    /**
     * Times of optimizer steps.
     *
     * @param wallMs wall time of each timed step, in milliseconds
     * @param cpuMsPerStep CPU time of the whole process (every thread) over the timed steps, per step:
     *     the work a step costs, much less sensitive than wall time to other processes on the machine
     */
    public record StepTimes(double[] wallMs, double cpuMsPerStep) {
    }

    /**
     * Times optimizer steps exactly as {@link #train} runs them (for benchmarks): {@code steps}
     * steps on the training split after {@code warmup} untimed ones. Each step includes
     * assembling its batch.
     */
    public static StepTimes stepTimes(Block block, long[] inputShape, TrainerConfig cfg, LoadedData data, Device device,
            int warmup, int steps) {
        checkInput(inputShape, data, Split.TRAIN);
        Engines.warmUp(device);
        Engines.prepareThread();
        try (Model model = Model.newInstance("benchmark", device)) {
            model.setBlock(block);
            TrainingLoop.Plan plan = TrainingLoop.Plan.of(cfg, data);
            try (Trainer trainer = newTrainer(model, newOptimizer(cfg, plan.schedule(), model, 0), cfg, device, inputShape)) {
                return TrainingLoop.timeSteps(trainer, data, cfg, plan, warmup, steps);
            }
        }
    }

    /**
     * Seeds the engine (initialization) and returns the model's trainer with its parameters
     * initialized in the configured memory layout (parameters loaded from a file keep theirs).
     */
    private static Trainer newTrainer(Model model, Optimizer optimizer, TrainerConfig cfg, Device device, long[] inputShape) {
        if (cfg.memoryFormat() == TrainerConfig.MemoryFormat.CHANNELS_LAST) {
            ChannelsLast.apply(model.getBlock());
        }
        Engine.getInstance().setRandomSeed((int) cfg.seed());
        Trainer trainer = model.newTrainer(trainingConfig(optimizer, device));
        try {
            trainer.initialize(new Shape(1, inputShape[0], inputShape[1], inputShape[2]));
            return trainer;
        } catch (RuntimeException e) {
            trainer.close();
            throw e;
        }
    }

    /**
     * The trial's optimizer, its state in a sub-manager of the model's (closed with the model).
     *
     * @param stepsDone steps already taken (continued from a checkpoint): where the schedule goes on
     */
    private static Optimizer newOptimizer(TrainerConfig cfg, LrSchedule schedule, Model model, int stepsDone) {
        NDManager optimizerState = model.getNDManager().newSubManager();
        return cfg.optimizer() == TrainerConfig.Optimizer.ADAM
                ? new AdamOptimizer(schedule, (float) cfg.weightDecay(), optimizerState, stepsDone)
                : new SgdOptimizer(schedule, (float) cfg.momentum(), cfg.nesterov(), (float) cfg.weightDecay(), optimizerState,
                        stepsDone);
    }

    /** The DJL training configuration of a trial: loss, optimizer, device. */
    private static DefaultTrainingConfig trainingConfig(Optimizer optimizer, Device device) {
        return new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(optimizer)
                .optDevices(new Device[] {device});
    }

    private static void checkInput(long[] inputShape, LoadedData data, Split scoreOn) {
        long[] expected = data.config().inputShape();
        if (!Arrays.equals(inputShape, expected)) {
            throw new IllegalArgumentException("input shape " + Arrays.toString(inputShape) + " does not match the data's "
                    + Arrays.toString(expected));
        }
        if (data.split(Split.TRAIN).size() < 2) {
            throw new IllegalArgumentException("the training split has fewer than 2 images");
        }
        if (data.split(scoreOn).size() == 0) {
            throw new IllegalArgumentException("the " + lower(scoreOn) + " split is empty"
                    + (scoreOn == Split.VALIDATION ? " (dataset.validation is 0)" : ""));
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String lower(Split split) {
        return split.name().toLowerCase(Locale.ROOT);
    }
}
