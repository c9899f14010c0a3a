package io.finegrained.trial;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.finegrained.space.NetworkAnalyzer;
import io.finegrained.nn.NetworkBuilder;
import io.finegrained.space.NetworkSummary;
import io.finegrained.space.InvalidCandidateException;
import io.finegrained.space.ModuleSpec;
import io.finegrained.train.EpochListener;
import io.finegrained.train.LoadedData;
import io.finegrained.train.ModelFiles;
import io.finegrained.train.SettingException;
import io.finegrained.train.Split;
import io.finegrained.train.TrainerConfig;
import io.finegrained.train.TrainingCheckpoint;
import io.finegrained.train.TrialTrainer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * One candidate's way from values to metrics, the same for {@code finegrained train} (no values:
 * the space's defaults) and for the DJL trial of a search: the values resolved into the space's
 * network, the network counted and built with DJL, the trainer settings overridden by the
 * candidate's {@code trainer.*} values, then trained, scored and, when asked, exported.
 *
 * <p>Two steps, so that a caller can say what is about to train before it trains:
 * {@link #prepare} refuses a candidate that gives no network for the data; {@link #train} runs
 * once. Callers keep what is theirs: output, files and the device for {@code train}; the
 * time-out, the trial log and the metric names for the trial. A training holds a DJL block and
 * is used on one thread; DJL allows one training per JVM at a time (see {@link TrialTrainer}).
 */
public final class CandidateTraining {
    private final ModuleSpec network;
    private final NetworkSummary summary;
    private final TrainerConfig trainer;
    private final long[] inputShape;
    private final Block block;
    private boolean trained;

    private CandidateTraining(ModuleSpec network, NetworkSummary summary, TrainerConfig trainer, long[] inputShape,
                              Block block) {
        this.network = network;
        this.summary = summary;
        this.trainer = trainer;
        this.inputShape = inputShape;
        this.block = block;
    }

    /**
     * Resolves the values into the job's network, counts it and builds its DJL block for the
     * dataset's input shape.
     *
     * @param values the candidate's hyper-parameters (module paths and {@code trainer.*}); empty
     *     for the space's default network and the job's own trainer settings
     * @throws InvalidCandidateException when the values give no network, or one that does not fit the input shape
     * @throws SettingException when a {@code trainer.*} value is one the trainer cannot take
     */
    public static CandidateTraining prepare(TrainingJob job, Map<String, Object> values) {
        long[] shape = job.dataset().inputShape();
        ModuleSpec network = job.space().resolve(values);
        // The counts of the network as built: the widths a fitting Prune chn_mask keeps.
        NetworkSummary summary = NetworkAnalyzer.analyze(network, shape, true, false);
        TrainerConfig trainer = job.trainer().withOverrides(job.space().trainerValues(values));
        Block block = NetworkBuilder.build(network, new Shape(shape));
        return new CandidateTraining(network, summary, trainer, shape, block);
    }

    /** The resolved network. */
    public ModuleSpec network() {
        return network;
    }

    /** Params, MACs (and bitops) of the network as built. */
    public NetworkSummary summary() {
        return summary;
    }

    /** The trainer settings it trains with: the job's, overridden by the candidate's. */
    public TrainerConfig trainer() {
        return trainer;
    }

    /** "272,186 params, 31,021,952 MACs", with ", N bitops" for a quantized network: how logs name its size. */
    public String sizeText() {
        return String.format(Locale.ROOT, "%,d params, %,d MACs%s", summary.params(), summary.macs(),
                summary.bitops() == null ? "" : String.format(Locale.ROOT, ", %,d bitops", summary.bitops()));
    }

    /**
     * The network as resolved YAML, then the trainer settings it trains with: what a model export
     * stores, itself a job file that trains the same network.
     */
    public String resolvedYaml() {
        StringBuilder yaml = new StringBuilder(network.toYaml());
        yaml.append("trainer:\n");
        trainer.toMap().forEach((k, v) -> yaml.append("  ").append(k).append(": ").append(v).append('\n'));
        return yaml.toString();
    }

    /**
     * Trains the network on the training split and scores it on {@code scoreOn}; once per
     * preparation (the block's parameters belong to the training that initialized them).
     *
     * @param data the loaded data of the job's dataset
     * @param scoreOn {@link Split#VALIDATION} in a search, {@link Split#TEST} for {@code train}
     * @param listener hears every step and epoch (may throw to stop the training), or null
     * @param initFrom a model export to start from, or null for a fresh, seeded initialization
     * @param exportTo where to export the trained network with {@link #resolvedYaml()}, or null
     * @return OK with metrics, or FAILED with the reason; never throws for a candidate that cannot train
     */
    public CandidateOutcome train(LoadedData data, Split scoreOn, Device device, EpochListener listener, Path initFrom,
                                  Path exportTo) {
        return trainSegment(data, scoreOn, device, listener, initFrom, exportTo, null, 0).outcome();
    }

    /**
     * A segment's outcome and the state to continue from (null when the training is complete or failed).
     */
    public record SegmentOutcome(CandidateOutcome outcome, TrainingCheckpoint checkpoint) {
    }

    /**
     * {@link #train}, from a checkpoint (or scratch) up to epoch {@code toEpoch} (0: all the
     * trainer's epochs); once per preparation, like {@link #train}.
     */
    public SegmentOutcome trainSegment(LoadedData data, Split scoreOn, Device device, EpochListener listener, Path initFrom,
                                       Path exportTo, TrainingCheckpoint from, int toEpoch) {
        return trainSegment(data, scoreOn, device, listener, initFrom, exportTo, from, toEpoch, null);
    }

    /** As {@link #trainSegment(LoadedData, Split, Device, EpochListener, Path, Path, TrainingCheckpoint, int)}, with a checkpoint after every epoch inside the segment. */
    public SegmentOutcome trainSegment(LoadedData data, Split scoreOn, Device device, EpochListener listener, Path initFrom,
                                       Path exportTo, TrainingCheckpoint from, int toEpoch,
                                       java.util.function.Consumer<TrainingCheckpoint> everyEpoch) {
        if (trained) {
            throw new IllegalStateException("a prepared candidate trains once; prepare it again");
        }
        trained = true;
        ModelFiles files = new ModelFiles(initFrom, exportTo, exportTo == null ? null : resolvedYaml());
        TrialTrainer.Segment segment = TrialTrainer.trainSegment(block, inputShape, trainer, data, scoreOn, device, listener,
                files, from, toEpoch, everyEpoch);
        return new SegmentOutcome(new CandidateOutcome(summary, segment.outcome()), segment.checkpoint());
    }
}
