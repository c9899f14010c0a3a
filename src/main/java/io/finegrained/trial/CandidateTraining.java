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
    /** The start parameters derived from the Prune's or Quant's init_model_file, or null. */
    private final Path startFrom;
    /** The model to distill from (trainer.distill_from), or null. */
    private final ModelFiles.Teacher teacher;
    private boolean trained;

    private CandidateTraining(ModuleSpec network, NetworkSummary summary, TrainerConfig trainer, long[] inputShape,
                              Block block, Path startFrom, ModelFiles.Teacher teacher) {
        this.network = network;
        this.summary = summary;
        this.trainer = trainer;
        this.inputShape = inputShape;
        this.block = block;
        this.startFrom = startFrom;
        this.teacher = teacher;
    }

    /**
     * Resolves the values into the job's network, counts it and builds its DJL block for the
     * dataset's input shape.
     *
     * @param values the candidate's hyper-parameters (module paths and {@code trainer.*}); empty
     *     for the space's default network and the job's own trainer settings
     * @throws InvalidCandidateException when the values give no network, or one that does not fit the input shape
     * @throws SettingException when a {@code trainer.*} value is one the trainer cannot take, or
     *     {@code trainer.distill_from} names no model exported by this project
     * @throws io.finegrained.config.ConfigException when the Prune's or Quant's {@code init_model_file} (or
     *     {@code path}) names no model exported by this project (a PyTorch file, no such folder) or one that does
     *     not fit the network (naming the first parameter that does not fit and both shapes)
     */
    public static CandidateTraining prepare(TrainingJob job, Map<String, Object> values) {
        long[] shape = job.dataset().inputShape();
        ModuleSpec network = job.space().resolve(values);
        // The counts of the network as built: the widths a fitting Prune chn_mask keeps.
        NetworkSummary summary = NetworkAnalyzer.analyze(network, shape, true, false);
        TrainerConfig trainer = job.trainer().withOverrides(job.space().trainerValues(values));
        Block block = NetworkBuilder.build(network, new Shape(shape));
        // Read when a training starts (never at load or by explain): a model that does not fit
        // is refused now, before any data is read.
        StartModel.Named named = StartModel.find(network, shape);
        Path start = named == null ? null : StartModel.deriveOrRefuse(named, StartModel.fetch(named), network, shape);
        ModelFiles.Teacher teacher = trainer.distills() ? StartModel.teacher(trainer, shape) : null;
        return new CandidateTraining(network, summary, trainer, shape, block, start, teacher);
    }

    /**
     * Checks, as a search starts, that the model the default network's Prune or Quant names
     * ({@code init_model_file} / {@code path}) exists and fits: the same refusal every trial
     * would meet, once, before any trial runs; likewise that the teacher of
     * {@code trainer.distill_from} loads. Nothing to do when no model is named.
     *
     * @throws io.finegrained.config.ConfigException as {@link #prepare} does
     * @throws SettingException when the teacher cannot be used
     */
    public static void checkStartModel(TrainingJob job) {
        long[] shape = job.dataset().inputShape();
        ModuleSpec network = job.space().defaults();
        StartModel.Named named = StartModel.find(network, shape);
        if (named != null) {
            StartModel.deriveOrRefuse(named, StartModel.fetch(named), network, shape);
        }
        if (job.trainer().distills()) {
            StartModel.checkTeacher(job.trainer(), shape);
        }
    }

    /** The start parameters the Prune's or Quant's {@code init_model_file} gives (an export of this network), or null. */
    public Path startModel() {
        return startFrom;
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
        StringBuilder yaml = new StringBuilder(withoutStartModel(network.toYaml()));
        yaml.append("trainer:\n");
        // A path is quoted, so that any character it holds reads back as written.
        trainer.toMap().forEach((k, v) -> yaml.append("  ").append(k).append(": ")
                .append(v instanceof String text && k.equals("distill_from") ? "'" + text.replace("'", "''") + "'" : v).append('\n'));
        return yaml.toString();
    }

    /**
     * The YAML without the {@code init_model_file} / {@code path} the training started from: an
     * export holds its own trained parameters, and a relative path would no longer resolve
     * beside it. A comment keeps where it started.
     */
    private String withoutStartModel(String yaml) {
        StartModel.Named named = StartModel.find(network, inputShape);
        if (named == null) {
            return yaml;
        }
        StringBuilder out = new StringBuilder();
        for (String line : yaml.split("\n", -1)) {
            String t = line.strip();
            boolean start = StartModel.KEYS.stream().anyMatch(k -> t.equals(k + ": " + named.text())
                    || t.equals(k + ": '" + named.text() + "'") || t.equals(k + ": \"" + named.text() + "\""));
            out.append(start ? line.substring(0, line.indexOf(t)) + "# started from " + t.substring(t.indexOf(':') + 2) : line);
            out.append('\n');
        }
        out.setLength(out.length() - 1);
        return out.toString();
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
        Path init = startFrom;
        if (initFrom != null && from == null) {
            // An explicit export (train --init-from) wins over init_model_file; a full-width one
            // starts a pruned network from its kept channels.
            // When that cannot be done, the export is loaded as it is, and its own error says why.
            init = initFrom;
            try {
                init = StartModel.derive(initFrom, network, inputShape);
            } catch (Exception e) {
                System.err.println("--init-from " + initFrom + ": " + e.getMessage());
            }
        }
        ModelFiles files = new ModelFiles(init, exportTo, exportTo == null ? null : resolvedYaml(), teacher);
        TrialTrainer.Segment segment = TrialTrainer.trainSegment(block, inputShape, trainer, data, scoreOn, device, listener,
                files, from, toEpoch, everyEpoch);
        return new SegmentOutcome(new CandidateOutcome(summary, segment.outcome()), segment.checkpoint());
    }
}
