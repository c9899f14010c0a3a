package io.finegrained.train;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Trains one network on loaded data with a DJL {@link Trainer} and scores it: the trial an
 * executor runs. Stateless; but DJL allows one training per JVM at a time (its gradient
 * collector is JVM-global), so callers serialize calls within a JVM.
 *
 * <p>Each step's arrays live in a sub-manager of the trainer closed right after the step, and
 * everything else of the trial (parameters, optimizer state) in the trial's model, closed at the
 * end: memory stays flat over steps, epochs and trials. Training is seeded by
 * {@link TrainerConfig#seed()} (initialization, shuffling, augmentation) and repeatable on CPU
 * with the same thread count.
 */
public final class TrialTrainer {
    /** Steps in the window whose mean loss decides divergence. */
    private static final int DIVERGENCE_WINDOW = 10;
    /** A mean loss above this many times the loss of a uniform guess, ln(classes), is divergence. */
    private static final double DIVERGENCE_FACTOR = 10;
    private static final int LATENCY_WARMUP = 5;
    private static final int LATENCY_RUNS = 30;

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
        long start = System.nanoTime();
        checkInput(inputShape, data, scoreOn);
        Engines.warmUp(device);
        Engines.prepareThread();
        Run run = new Run(cfg, data, listener);
        try (Model model = Model.newInstance("candidate", device)) {
            model.setBlock(block);
            if (files.initFrom() != null) {
                ModelExport.loadInto(model, files.initFrom());
            }
            Plan plan = Plan.of(cfg, data);
            try (Trainer trainer = newTrainer(model, plan, cfg, device, inputShape)) {
                String failure = run.fit(trainer, model, plan.schedule(), plan.stepsPerEpoch(), plan.batch());
                if (failure != null) {
                    return TrainingOutcome.failed(failure, run.epochsDone, seconds(start));
                }
                double trainSeconds = seconds(start);
                double[] score = score(trainer, data, scoreOn, cfg.evalBatchSize());
                if (!Double.isFinite(score[1])) {
                    return TrainingOutcome.failed("the " + lower(scoreOn) + " loss is " + score[1] + " after training",
                            run.epochsDone, seconds(start));
                }
                double latency = latencyMs(trainer, data, scoreOn);
                if (files.exportTo() != null) {
                    ModelExport.save(files.exportTo(), block, files.resolvedYaml());
                }
                Map<String, Double> metrics = new LinkedHashMap<>();
                metrics.put("accuracy", score[0]);
                metrics.put("loss", score[1]);
                metrics.put("latency_ms", latency);
                metrics.put("train_seconds", trainSeconds);
                return TrainingOutcome.ok(metrics, run.epochsDone, seconds(start));
            }
        } catch (IOException | MalformedModelException e) {
            return TrainingOutcome.failed("model files: " + e.getMessage(), run.epochsDone, seconds(start));
        } catch (RuntimeException e) {
            // A candidate that cannot run (shapes that do not fit, an engine error) is a failed
            // trial with its reason, never the end of the generation.
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return TrainingOutcome.failed(message, run.epochsDone, seconds(start));
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
            Plan plan = Plan.of(cfg, data);
            int batch = plan.batch();
            int stepsPerEpoch = plan.stepsPerEpoch();
            ImageSet train = data.split(Split.TRAIN);
            try (Trainer trainer = newTrainer(model, plan, cfg, device, inputShape)) {
                BatchAssembler batches = new BatchAssembler(data, Split.TRAIN, true, batch);
                Random random = new Random(cfg.seed());
                int[] order = new int[train.size()];
                for (int i = 0; i < order.length; i++) {
                    order[i] = i;
                }
                shuffle(order, random);
                long[] correct = new long[1];
                double[] times = new double[steps];
                java.time.Duration cpuStart = java.time.Duration.ZERO;
                for (int i = -warmup; i < steps; i++) {
                    int from = Math.floorMod(i, stepsPerEpoch) * batch;
                    if (i == 0) {
                        cpuStart = processCpu();
                    }
                    long t0 = System.nanoTime();
                    step(trainer, batches, order, from, batch, random, correct);
                    if (i >= 0) {
                        times[i] = (System.nanoTime() - t0) / 1e6;
                    }
                }
                double cpuMs = processCpu().minus(cpuStart).toNanos() / 1e6;
                return new StepTimes(times, steps == 0 ? 0 : cpuMs / steps);
            }
        }
    }

    /** Batch size, steps per epoch and learning-rate schedule of a training on this data. */
    private record Plan(int batch, int stepsPerEpoch, LrSchedule schedule) {
        static Plan of(TrainerConfig cfg, LoadedData data) {
            int trainSize = data.split(Split.TRAIN).size();
            int batch = Math.min(cfg.batchSize(), trainSize);
            int stepsPerEpoch = trainSize / batch;
            return new Plan(batch, stepsPerEpoch, new LrSchedule(cfg, stepsPerEpoch));
        }
    }

    /**
     * Seeds the engine (initialization) and returns the model's trainer with its parameters
     * initialized in the configured memory layout (parameters loaded from a file keep theirs).
     */
    private static Trainer newTrainer(Model model, Plan plan, TrainerConfig cfg, Device device, long[] inputShape) {
        if (cfg.memoryFormat() == TrainerConfig.MemoryFormat.CHANNELS_LAST) {
            ChannelsLast.apply(model.getBlock());
        }
        Engine.getInstance().setRandomSeed((int) cfg.seed());
        Trainer trainer = model.newTrainer(trainingConfig(cfg, plan.schedule(), model, device));
        try {
            trainer.initialize(new Shape(1, inputShape[0], inputShape[1], inputShape[2]));
            return trainer;
        } catch (RuntimeException e) {
            trainer.close();
            throw e;
        }
    }

    /** The DJL training configuration of a trial: loss, optimizer (state in the model's manager), device. */
    private static DefaultTrainingConfig trainingConfig(TrainerConfig cfg, LrSchedule schedule, Model model, Device device) {
        NDManager optimizerState = model.getNDManager().newSubManager();
        Optimizer optimizer = cfg.optimizer() == TrainerConfig.Optimizer.ADAM
                ? new AdamOptimizer(schedule, (float) cfg.weightDecay(), optimizerState)
                : new SgdOptimizer(schedule, (float) cfg.momentum(), cfg.nesterov(), (float) cfg.weightDecay(), optimizerState);
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

    /** The training loop of one trial, with its running statistics. */
    private static final class Run {
        private final TrainerConfig cfg;
        private final LoadedData data;
        private final EpochListener listener;
        private final double divergenceLimit;
        private int epochsDone;

        Run(TrainerConfig cfg, LoadedData data, EpochListener listener) {
            this.cfg = cfg;
            this.data = data;
            this.listener = listener;
            this.divergenceLimit = DIVERGENCE_FACTOR * Math.log(data.config().numClasses());
        }

        /** Trains all epochs; returns null, or the reason training stopped early. */
        String fit(Trainer trainer, Model model, LrSchedule schedule, int stepsPerEpoch, int batch) {
            BatchAssembler batches = new BatchAssembler(data, Split.TRAIN, true, batch);
            Random random = new Random(cfg.seed());
            int[] order = new int[batches.set().size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            double[] window = new double[DIVERGENCE_WINDOW];
            int step = 0;
            for (int epoch = 1; epoch <= cfg.epochs(); epoch++) {
                long epochStart = System.nanoTime();
                shuffle(order, random);
                double lossSum = 0;
                long[] counts = new long[1];
                for (int s = 0; s < stepsPerEpoch; s++, step++) {
                    float loss = step(trainer, batches, order, s * batch, batch, random, counts);
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
                            return String.format(java.util.Locale.ROOT, "loss diverged: mean %.3g over %d steps exceeds"
                                    + " %.3g (%.0f x ln(%d classes)) at epoch %d, step %d", mean, DIVERGENCE_WINDOW,
                                    divergenceLimit, DIVERGENCE_FACTOR, data.config().numClasses(), epoch, s + 1);
                        }
                    }
                }
                epochsDone = epoch;
                if (listener != null) {
                    double seconds = seconds(epochStart);
                    int images = stepsPerEpoch * batch;
                    listener.onEpoch(new EpochStats(epoch, cfg.epochs(), lossSum / stepsPerEpoch, (double) counts[0] / images,
                            images / seconds, schedule.rateAt(step - 1), seconds, model.getNDManager().getManagedArrays().size()));
                }
            }
            return null;
        }
    }

    /**
     * One optimizer step on the batch {@code order[from .. from+batch)}: its arrays live in a
     * sub-manager closed before returning. Adds the number of right answers to {@code correct[0]}.
     * Returns the batch loss; a non-finite loss is returned without updating the parameters.
     */
    static float step(Trainer trainer, BatchAssembler batches, int[] order, int from, int batch, Random random, long[] correct) {
        try (NDManager stepArrays = trainer.getManager().newSubManager()) {
            NDArray x = batches.images(stepArrays, order, from, batch, random);
            NDArray y = batches.labels(stepArrays, order, from, batch);
            NDArray prediction;
            float loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                prediction = trainer.forward(new NDList(x)).singletonOrThrow();
                NDArray lossArray = trainer.getLoss().evaluate(new NDList(y), new NDList(prediction));
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

    /** Accuracy and mean loss on a split: {@code [accuracy, loss]}. */
    private static double[] score(Trainer trainer, LoadedData data, Split split, int evalBatch) {
        BatchAssembler batches = new BatchAssembler(data, split, false, evalBatch);
        int n = batches.set().size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        long correct = 0;
        double lossSum = 0;
        for (int from = 0; from < n; from += evalBatch) {
            int count = Math.min(evalBatch, n - from);
            try (NDManager arrays = trainer.getManager().newSubManager()) {
                NDArray x = batches.images(arrays, order, from, count, null);
                NDArray y = batches.labels(arrays, order, from, count);
                NDArray prediction = trainer.evaluate(new NDList(x)).singletonOrThrow();
                lossSum += trainer.getLoss().evaluate(new NDList(y), new NDList(prediction)).getFloat() * count;
                correct += prediction.argMax(1).eq(y).countNonzero().getLong();
            }
        }
        return new double[] {(double) correct / n, lossSum / n};
    }

    /** Median wall time of one forward pass on one image, after a warm-up, in milliseconds. */
    private static double latencyMs(Trainer trainer, LoadedData data, Split split) {
        BatchAssembler one = new BatchAssembler(data, split, false, 1);
        double[] times = new double[LATENCY_RUNS];
        try (NDManager arrays = trainer.getManager().newSubManager()) {
            NDArray x = one.images(arrays, new int[] {0}, 0, 1, null);
            // The assembler's buffer is reused: copy the image so it stays valid over the runs.
            NDArray image = x.duplicate();
            for (int run = -LATENCY_WARMUP; run < LATENCY_RUNS; run++) {
                try (NDManager runArrays = trainer.getManager().newSubManager()) {
                    image.tempAttach(runArrays);
                    long t0 = System.nanoTime();
                    NDArray out = trainer.evaluate(new NDList(image)).singletonOrThrow();
                    out.toFloatArray(); // waits for the device
                    long t1 = System.nanoTime();
                    if (run >= 0) {
                        times[run] = (t1 - t0) / 1e6;
                    }
                }
            }
        }
        Arrays.sort(times);
        return times[LATENCY_RUNS / 2];
    }

    private static java.time.Duration processCpu() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(java.time.Duration.ZERO);
    }

    private static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String lower(Split split) {
        return split.name().toLowerCase(java.util.Locale.ROOT);
    }
}
