package io.finegrained.train;

import io.finegrained.config.ConfigException;
import io.finegrained.config.ConfigNode;
import io.finegrained.config.MapNode;
import io.finegrained.config.Nodes;
import io.finegrained.config.ScalarNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How a candidate is trained: the {@code trainer} section of a job file. Immutable; the compact
 * constructor is the single place values are checked ({@link SettingException} naming the key).
 * Every key is optional; defaults (also in docs/training.md):
 *
 * <table>
 * <caption>trainer keys</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>epochs</td><td>10</td><td>passes over the training split</td></tr>
 * <tr><td>batch_size</td><td>128</td><td>images per step; a last incomplete batch is dropped</td></tr>
 * <tr><td>optimizer</td><td>sgd</td><td>{@code sgd} or {@code adam} (PyTorch semantics)</td></tr>
 * <tr><td>lr</td><td>0.1 (sgd), 0.001 (adam)</td><td>base learning rate</td></tr>
 * <tr><td>momentum</td><td>0.9</td><td>SGD momentum</td></tr>
 * <tr><td>nesterov</td><td>false</td><td>Nesterov momentum (SGD, needs momentum &gt; 0)</td></tr>
 * <tr><td>weight_decay</td><td>0.0005</td><td>L2 penalty added to the gradient</td></tr>
 * <tr><td>schedule</td><td>cosine</td><td>{@code constant}, {@code step}, {@code multistep}, {@code cosine}</td></tr>
 * <tr><td>step_size</td><td>0 = ceil(epochs / 3)</td><td>epochs between decays ({@code step})</td></tr>
 * <tr><td>milestones</td><td>[] = [epochs/2, 3*epochs/4]</td><td>epochs at which to decay ({@code multistep})</td></tr>
 * <tr><td>gamma</td><td>0.1</td><td>decay factor ({@code step}, {@code multistep})</td></tr>
 * <tr><td>warmup_epochs</td><td>0</td><td>linear warm-up from 0 to lr, per step</td></tr>
 * <tr><td>min_lr</td><td>0</td><td>final learning rate of {@code cosine}</td></tr>
 * <tr><td>seed</td><td>0</td><td>initialization, shuffling and augmentation</td></tr>
 * <tr><td>eval_batch_size</td><td>256</td><td>images per scoring batch</td></tr>
 * <tr><td>threads</td><td>0 = one per core</td><td>intra-op threads of the JVM's engine (set once per JVM)</td></tr>
 * <tr><td>memory_format</td><td>channels_last</td><td>how 4-D convolution weights (and so the activations) are laid
 * out: {@code channels_last} or {@code contiguous}</td></tr>
 * <tr><td>distill_from</td><td>none</td><td>a model exported by finegrained (path relative to the job file, or a
 * URI) whose logits the network also learns from (knowledge distillation); read when a training starts</td></tr>
 * <tr><td>distill_temperature</td><td>4</td><td>softens both networks' logits before they are compared</td></tr>
 * <tr><td>distill_weight</td><td>0.9</td><td>the distillation term's share of the loss; the rest is cross-entropy
 * with the labels</td></tr>
 * </table>
 *
 * @param lr the base learning rate, or null for the optimizer's default ({@link #learningRate()})
 */
public record TrainerConfig(int epochs, int batchSize, Optimizer optimizer, Double lr, double momentum, boolean nesterov,
        double weightDecay, Schedule schedule, int stepSize, List<Integer> milestones, double gamma,
        double warmupEpochs, double minLr, long seed, int evalBatchSize, int threads, MemoryFormat memoryFormat,
        String distillFrom, double distillTemperature, double distillWeight) {

    /** Keys that may be opened to the search as {@code trainer.<key>}. */
    public static final Set<String> KEYS = Set.copyOf(List.of("epochs", "batch_size", "optimizer", "lr", "momentum",
            "nesterov", "weight_decay", "schedule", "step_size", "milestones", "gamma", "warmup_epochs", "min_lr", "seed",
            "distill_temperature", "distill_weight"));

    /** Every key of the section: {@link #KEYS} plus settings that do not change what is learned. */
    public static final List<String> ALL_KEYS = List.of("epochs", "batch_size", "optimizer", "lr", "momentum", "nesterov",
            "weight_decay", "schedule", "step_size", "milestones", "gamma", "warmup_epochs", "min_lr", "seed",
            "eval_batch_size", "threads", "memory_format", "distill_from", "distill_temperature", "distill_weight");

    private static final String SECTION = "trainer";

    /** The optimizers. */
    public enum Optimizer { SGD, ADAM }

    /** The learning-rate schedules (after the optional warm-up). */
    public enum Schedule { CONSTANT, STEP, MULTISTEP, COSINE }

    /**
     * The memory layout of convolution weights. With {@code CHANNELS_LAST} (NHWC strides) libtorch
     * keeps every activation in that layout and oneDNN skips most of its reorders: a ResNet-20
     * step takes about 20 % less CPU than with {@code CONTIGUOUS} (NCHW) here (docs/training.md).
     */
    public enum MemoryFormat { CHANNELS_LAST, CONTIGUOUS }

    public TrainerConfig {
        milestones = List.copyOf(milestones);
        require(epochs >= 1 && epochs <= 100_000, "epochs", "must be between 1 and 100000, found " + epochs);
        require(batchSize >= 1, "batch_size", "must be at least 1, found " + batchSize);
        require(optimizer != null, "optimizer", "is required");
        require(schedule != null, "schedule", "is required");
        require(lr == null || lr > 0 && Double.isFinite(lr), "lr", "must be a positive number, found " + lr);
        require(momentum >= 0 && momentum < 1, "momentum", "must be in [0, 1), found " + momentum);
        require(!nesterov || momentum > 0, "nesterov", "needs momentum > 0");
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "weight_decay", "must be >= 0, found " + weightDecay);
        require(stepSize >= 0, "step_size", "must be >= 0 (0 = a third of the epochs), found " + stepSize);
        for (int i = 0; i < milestones.size(); i++) {
            int m = milestones.get(i);
            require(m >= 1 && (i == 0 || m > milestones.get(i - 1)), "milestones",
                    "must be increasing epoch numbers >= 1, found " + milestones);
        }
        require(gamma > 0 && gamma <= 1, "gamma", "must be in (0, 1], found " + gamma);
        require(warmupEpochs >= 0 && Double.isFinite(warmupEpochs), "warmup_epochs", "must be >= 0, found " + warmupEpochs);
        require(minLr >= 0 && Double.isFinite(minLr), "min_lr", "must be >= 0, found " + minLr);
        require(minLr < (lr != null ? lr : (optimizer == Optimizer.ADAM ? 0.001 : 0.1)), "min_lr",
                "must be below lr, found " + minLr);
        require(evalBatchSize >= 1, "eval_batch_size", "must be at least 1, found " + evalBatchSize);
        require(threads >= 0, "threads", "must be >= 0 (0 = one per core), found " + threads);
        require(memoryFormat != null, "memory_format", "is required");
        require(distillFrom == null || !distillFrom.isBlank(), "distill_from", "must name a model exported by finegrained");
        require(distillTemperature > 0 && distillTemperature <= 100, "distill_temperature",
                "must be in (0, 100], found " + distillTemperature);
        require(distillWeight >= 0 && distillWeight <= 1, "distill_weight", "must be in [0, 1], found " + distillWeight);
    }

    /** The documented defaults. */
    public static TrainerConfig defaults() {
        return new TrainerConfig(10, 128, Optimizer.SGD, null, 0.9, false, 5e-4, Schedule.COSINE, 0, List.of(), 0.1,
                0, 0, 0, 256, 0, MemoryFormat.CHANNELS_LAST, null, 4, 0.9);
    }

    /** Whether the network also learns from a teacher's logits ({@code distill_from}). */
    public boolean distills() {
        return distillFrom != null;
    }

    /** The learning rate to use: {@code lr}, or 0.1 for SGD and 0.001 for Adam. */
    public double learningRate() {
        return lr != null ? lr : optimizer == Optimizer.ADAM ? 0.001 : 0.1;
    }

    /** Epochs between decays of the {@code step} schedule, the default resolved. */
    public int effectiveStepSize() {
        return stepSize > 0 ? stepSize : Math.max(1, (epochs + 2) / 3);
    }

    /** Decay epochs of the {@code multistep} schedule, the default resolved. */
    public List<Integer> effectiveMilestones() {
        if (!milestones.isEmpty()) {
            return milestones;
        }
        int half = Math.max(1, epochs / 2);
        int threeQuarters = Math.max(half + 1, epochs * 3 / 4);
        return List.of(half, threeQuarters);
    }

    /**
     * Reads the {@code trainer} section (an empty map gives {@link #defaults()}). A wrong key,
     * type or value is a {@link ConfigException} located at that key.
     */
    public static TrainerConfig from(MapNode section) {
        section.checkKeys(ALL_KEYS, "the trainer section");
        Map<String, Object> values = new LinkedHashMap<>();
        for (String key : section.keys()) {
            ConfigNode node = section.require(key);
            values.put(key, key.equals("milestones") ? Nodes.list(node).asIntList() : plain(Nodes.scalar(node)));
        }
        if (values.get("distill_from") instanceof String teacher) {
            values.put("distill_from", besideTheFile(teacher, section));
        }
        try {
            return defaults().with(values);
        } catch (SettingException e) {
            throw located(section, e);
        }
    }

    /** A setting's problem as a configuration error at its key in {@code section} (or at the section). */
    public static ConfigException located(MapNode section, SettingException e) {
        ConfigNode at = section.get(e.key()).orElse(section);
        return new ConfigException(at.location(), section.childPath(e.key()), e.problem());
    }

    /**
     * A relative path resolved against the folder of the file it was written in, when that is a
     * local folder (a URI, an absolute path, or a file read from a URI: as written), so that the
     * executors and an exported model's YAML name the same model.
     */
    private static String besideTheFile(String text, MapNode section) {
        Path folder = Path.of(section.location().file()).toAbsolutePath().getParent();
        if (text.isBlank() || folder == null || !Files.isDirectory(folder)) {
            return text;
        }
        try {
            return DataLocation.parse(text, folder).toString();
        } catch (DatasetException e) {
            return text; // not a valid URI: refused, at its key, when the training reads it
        }
    }

    private static Object plain(ScalarNode node) {
        if (node.isNull()) {
            throw ConfigException.at(node, "expected a value, found nothing (null)");
        }
        return node.value();
    }

    /**
     * A copy with the values of open {@code trainer.*} parameters (keys with or without the
     * {@code trainer.} prefix). A key not in {@link #KEYS} or a value of the wrong kind is a
     * {@link SettingException} naming the key.
     */
    public TrainerConfig withOverrides(Map<String, ?> values) {
        Map<String, Object> plain = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : values.entrySet()) {
            String key = e.getKey().startsWith(SECTION + ".") ? e.getKey().substring(SECTION.length() + 1) : e.getKey();
            if (!KEYS.contains(key)) {
                throw new SettingException(SECTION, key, "is not a trainer setting that can be searched (those are "
                        + String.join(", ", ALL_KEYS.stream().filter(KEYS::contains).toList()) + ")");
            }
            plain.put(key, e.getValue());
        }
        return with(plain);
    }

    /** A copy training for the given number of epochs (the CLI's {@code --epochs}). */
    public TrainerConfig withEpochs(int newEpochs) {
        return with(Map.of("epochs", newEpochs));
    }

    /** A copy that distills from the model exported at {@code location} (a path or URI, as written). */
    public TrainerConfig withDistillFrom(String location) {
        return with(Map.of("distill_from", location));
    }

    /** A copy laying convolution weights out in the given format (benchmarks, tests). */
    public TrainerConfig withMemoryFormat(MemoryFormat format) {
        return with(Map.of("memory_format", format.name()));
    }

    private TrainerConfig with(Map<String, ?> values) {
        int epochs1 = epochs;
        int batchSize1 = batchSize;
        Optimizer optimizer1 = optimizer;
        Double lr1 = lr;
        double momentum1 = momentum;
        boolean nesterov1 = nesterov;
        double weightDecay1 = weightDecay;
        Schedule schedule1 = schedule;
        int stepSize1 = stepSize;
        List<Integer> milestones1 = milestones;
        double gamma1 = gamma;
        double warmup1 = warmupEpochs;
        double minLr1 = minLr;
        long seed1 = seed;
        int evalBatch1 = evalBatchSize;
        int threads1 = threads;
        MemoryFormat memoryFormat1 = memoryFormat;
        String distillFrom1 = distillFrom;
        double distillTemperature1 = distillTemperature;
        double distillWeight1 = distillWeight;
        for (Map.Entry<String, ?> e : values.entrySet()) {
            String key = e.getKey();
            Object v = e.getValue();
            switch (key) {
                case "epochs" -> epochs1 = toInt(key, v);
                case "batch_size" -> batchSize1 = toInt(key, v);
                case "optimizer" -> optimizer1 = toEnum(key, v, Optimizer.class);
                case "lr" -> lr1 = toDouble(key, v);
                case "momentum" -> momentum1 = toDouble(key, v);
                case "nesterov" -> nesterov1 = toBoolean(key, v);
                case "weight_decay" -> weightDecay1 = toDouble(key, v);
                case "schedule" -> schedule1 = toEnum(key, v, Schedule.class);
                case "step_size" -> stepSize1 = toInt(key, v);
                case "milestones" -> milestones1 = toIntList(key, v);
                case "gamma" -> gamma1 = toDouble(key, v);
                case "warmup_epochs" -> warmup1 = toDouble(key, v);
                case "min_lr" -> minLr1 = toDouble(key, v);
                case "seed" -> seed1 = toLong(key, v);
                case "eval_batch_size" -> evalBatch1 = toInt(key, v);
                case "threads" -> threads1 = toInt(key, v);
                case "memory_format" -> memoryFormat1 = toEnum(key, v, MemoryFormat.class);
                case "distill_from" -> distillFrom1 = toText(key, v);
                case "distill_temperature" -> distillTemperature1 = toDouble(key, v);
                case "distill_weight" -> distillWeight1 = toDouble(key, v);
                default -> throw new SettingException(SECTION, key, "unknown trainer setting");
            }
        }
        return new TrainerConfig(epochs1, batchSize1, optimizer1, lr1, momentum1, nesterov1, weightDecay1, schedule1,
                stepSize1, milestones1, gamma1, warmup1, minLr1, seed1, evalBatch1, threads1, memoryFormat1, distillFrom1,
                distillTemperature1, distillWeight1);
    }

    /** The settings as plain values under their YAML keys (for the resolved YAML of an exported model). */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("epochs", epochs);
        out.put("batch_size", batchSize);
        out.put("optimizer", optimizer.name().toLowerCase(Locale.ROOT));
        out.put("lr", learningRate());
        out.put("momentum", momentum);
        out.put("nesterov", nesterov);
        out.put("weight_decay", weightDecay);
        out.put("schedule", schedule.name().toLowerCase(Locale.ROOT));
        out.put("step_size", effectiveStepSize());
        out.put("milestones", effectiveMilestones());
        out.put("gamma", gamma);
        out.put("warmup_epochs", warmupEpochs);
        out.put("min_lr", minLr);
        out.put("seed", seed);
        out.put("eval_batch_size", evalBatchSize);
        out.put("threads", threads);
        out.put("memory_format", memoryFormat.name().toLowerCase(Locale.ROOT));
        if (distills()) {
            out.put("distill_from", distillFrom);
            out.put("distill_temperature", distillTemperature);
            out.put("distill_weight", distillWeight);
        }
        return out;
    }

    private static void require(boolean ok, String key, String problem) {
        if (!ok) {
            throw new SettingException(SECTION, key, problem);
        }
    }

    private static long toLong(String key, Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short) {
            return ((Number) v).longValue();
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < 9e15) {
            return (long) n.doubleValue();
        }
        throw new SettingException(SECTION, key, "expected a whole number, found " + describe(v));
    }

    private static int toInt(String key, Object v) {
        long l = toLong(key, v);
        if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
            throw new SettingException(SECTION, key, l > 0 ? "the number " + l + " is too large (at most " + Integer.MAX_VALUE + ")"
                    : "the number " + l + " is too small (at least " + Integer.MIN_VALUE + ")");
        }
        return (int) l;
    }

    private static double toDouble(String key, Object v) {
        if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        throw new SettingException(SECTION, key, "expected a finite number, found " + describe(v));
    }

    private static String toText(String key, Object v) {
        if (v instanceof String s) {
            return s;
        }
        throw new SettingException(SECTION, key, "expected a path or a URI, found " + describe(v));
    }

    private static boolean toBoolean(String key, Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        throw new SettingException(SECTION, key, "expected true or false, found " + describe(v));
    }

    private static List<Integer> toIntList(String key, Object v) {
        if (!(v instanceof List<?> list)) {
            throw new SettingException(SECTION, key, "expected a list of epoch numbers, found " + describe(v));
        }
        List<Integer> out = new ArrayList<>();
        for (Object item : list) {
            out.add(toInt(key, item));
        }
        return out;
    }

    private static <E extends Enum<E>> E toEnum(String key, Object v, Class<E> type) {
        Set<String> names = new LinkedHashSet<>();
        for (E constant : type.getEnumConstants()) {
            names.add(constant.name().toLowerCase(Locale.ROOT));
        }
        if (v instanceof String s && names.contains(s.toLowerCase(Locale.ROOT))) {
            return Enum.valueOf(type, s.toUpperCase(Locale.ROOT));
        }
        throw new SettingException(SECTION, key, "expected one of " + String.join(", ", names) + ", found " + describe(v));
    }

    private static String describe(Object v) {
        return v instanceof String s ? "'" + s + "'" : String.valueOf(v);
    }
}
