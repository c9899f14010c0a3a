package io.finegrained.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finegrained.config.ConfigException;
import io.finegrained.config.ConfigNode;
import io.finegrained.config.JobConfig;
import io.finegrained.job.JobFile;
import io.finegrained.config.MapNode;
import io.finegrained.space.Domain;
import io.finegrained.space.InvalidCandidateException;
import io.finegrained.space.NetworkSummary;
import io.finegrained.space.SearchSpace;
import io.finegrained.train.DataLocation;
import io.finegrained.train.DatasetConfig;
import io.finegrained.train.DatasetException;
import io.finegrained.train.Datasets;
import io.finegrained.train.Engines;
import io.finegrained.train.LoadedData;
import io.finegrained.train.ModelTransfer;
import io.finegrained.train.SettingException;
import io.finegrained.train.Split;
import io.finegrained.train.TrainerConfig;
import io.finegrained.train.TrainingOutcome;
import io.finegrained.trial.CandidateOutcome;
import io.finegrained.trial.CandidateTraining;
import io.finegrained.trial.TrainingJob;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code finegrained train CONF}: trains the network of the space's default values on the
 * config's dataset (the embedded Fashion-MNIST subset when it names none) with the config's
 * trainer, scores it on the test split and prints the metrics. One progress line per epoch goes
 * to stderr; with {@code --json} the last line of stdout is the contract's JSON object.
 * The network is built, trained and scored by {@link CandidateTraining}, as in a search's DJL
 * trial; what is {@code train}'s own is here: the options, the output and the exit code.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Trains the network of the search space's default values and scores it on the test split.")
public final class TrainCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CONF", description = "the job file (YAML); a path or a URI of any Hadoop file system")
    String config;

    @Option(names = "--epochs", paramLabel = "N", description = "train this many epochs instead of the trainer section's")
    Integer epochs;

    @Option(names = "--json", description = "print the result as one JSON object on the last line of stdout")
    boolean json;

    @Option(names = "--output", paramLabel = "DIR",
            description = "export the trained network here: DJL parameters (model-0000.params) and its resolved YAML (network.yml);"
                    + " a path or a URI of any Hadoop file system (hdfs://nn/models/x)")
    String output;

    @Option(names = "--init-from", paramLabel = "DIR",
            description = "start from the parameters of a network exported earlier with --output (the same network);"
                    + " a path or a URI of any Hadoop file system")
    String initFrom;

    @Option(names = "--distill-from", paramLabel = "DIR",
            description = "learn from this exported model's logits as well as from the labels (trainer.distill_from,"
                    + " which this overrides); a path or a URI of any Hadoop file system")
    String distillFrom;

    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "cpu",
            description = "cpu (default) or gpu[:N]; a GPU needs the CUDA build of libtorch (docs/cluster.md)")
    String device;

    private static final Pattern DEVICE = Pattern.compile("cpu|gpu(?::(\\d{1,4}))?");

    @Override
    public Integer call() throws Exception {
        JobConfig job = JobFile.read(config);
        TrainerConfig trainer = TrainerConfig.from(job.section("trainer"));
        DatasetConfig dataset = DatasetConfig.from(job);
        SearchSpace space = SearchSpace.parse(job.section("search_space"), TrainerConfig.KEYS);
        if (!space.hasModules()) {
            throw new UsageException(config + ": the search space has no modules, so there is no network to train (open parameters: "
                    + String.join(", ", space.parameters().domains().keySet()) + ")");
        }
        trainer = withOpenTrainerDefaults(trainer, space, job.section("search_space"));
        if (distillFrom != null) {
            // Relative to the working directory, like --init-from; the export records it absolute.
            trainer = trainer.withDistillFrom(location(distillFrom, "--distill-from").toString());
        }
        if (epochs != null) {
            if (epochs < 1) {
                throw new UsageException("--epochs must be at least 1, got " + epochs);
            }
            trainer = trainer.withEpochs(epochs);
        }
        Matcher deviceName = DEVICE.matcher(device.trim().toLowerCase(Locale.ROOT));
        if (!deviceName.matches()) {
            throw new UsageException("--device must be cpu, gpu or gpu:N, got '" + device + "'");
        }
        // Before anything loads the engine: the thread counts are read once per JVM.
        Engines.configureThreads(trainer.threads(), 0);
        Device where = device(deviceName, Engine.getInstance().getGpuCount());
        CandidateTraining candidate;
        try {
            candidate = CandidateTraining.prepare(new TrainingJob(space, trainer, dataset), Map.of());
        } catch (InvalidCandidateException e) {
            throw new UsageException("the network does not fit the dataset's input shape " + shapeText(dataset.inputShape())
                    + ": " + e.getMessage());
        } catch (SettingException e) {
            if (distillFrom != null && e.key().equals("distill_from")) {
                throw new UsageException("--distill-from: " + e.problem());
            }
            throw TrainerConfig.located(job.section("trainer"), e); // trainer.distill_from
        }
        // The model locations before the data and the training: a wrong one fails now, with exit 2.
        DataLocation outputAt = output == null ? null : location(output, "--output");
        Path initLocal = initFrom == null ? null : modelFiles(() -> ModelTransfer.fetch(location(initFrom, "--init-from")),
                "--init-from");
        Path exportLocal = outputAt == null ? null : modelFiles(() -> ModelTransfer.prepare(outputAt), "--output");
        LoadedData data = Datasets.load(dataset);
        System.err.printf(Locale.ROOT, "train: %s, %s; %s; %d epoch%s, batch %d, %s lr %s (%s)%s, %d threads on %s%n",
                job.file().getFileName(), candidate.sizeText(), data, trainer.epochs(), trainer.epochs() == 1 ? "" : "s",
                trainer.batchSize(), trainer.optimizer().name().toLowerCase(Locale.ROOT), trainer.learningRate(),
                trainer.schedule().name().toLowerCase(Locale.ROOT), distilling(trainer), Engines.intraOpThreads(), where);
        CandidateOutcome outcome = candidate.train(data, Split.TEST, where, stats -> System.err.println(stats.line()), initLocal,
                exportLocal);
        if (outcome.ok() && outputAt != null) {
            ModelTransfer.publish(exportLocal, outputAt);
        }
        Map<String, Object> result = result(outcome);
        if (outcome.ok()) {
            Map<String, Double> m = outcome.training().metrics();
            System.out.printf(Locale.ROOT, "test accuracy %.4f, loss %.4f; %s; latency %.3f ms/image; %.1f s%n",
                    m.get("accuracy"), m.get("loss"), candidate.sizeText(), m.get("latency_ms"), outcome.training().seconds());
            if (output != null) {
                System.out.println("exported to " + output);
            }
        } else {
            System.err.println("finegrained: training failed: " + outcome.reason());
        }
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(result));
        }
        return outcome.ok() ? 0 : 1;
    }

    /** A path (relative to the working directory) or a URI, as an option names it. */
    /** The start line's clause on distillation: ", distilling from DIR (T 4.0, weight 0.9)", or nothing. */
    private static String distilling(TrainerConfig trainer) {
        return !trainer.distills() ? "" : String.format(Locale.ROOT, ", distilling from %s (T %s, weight %s)",
                trainer.distillFrom(), trainer.distillTemperature(), trainer.distillWeight());
    }

    private static DataLocation location(String text, String option) {
        try {
            return DataLocation.parse(text, Path.of("").toAbsolutePath());
        } catch (DatasetException e) {
            throw new UsageException(option + " " + e.getMessage());
        }
    }

    /** Runs a model-location step, turning a location's failure into exit 2 naming the option. */
    private static Path modelFiles(java.util.function.Supplier<Path> step, String option) {
        try {
            return step.get();
        } catch (DatasetException e) {
            throw new UsageException(option + " " + e.getMessage());
        }
    }

    /** The device {@code --device} names, if this engine has it. */
    private Device device(Matcher name, int gpuCount) {
        if (name.group().equals("cpu")) {
            return Device.cpu();
        }
        int index = name.group(1) == null ? 0 : Integer.parseInt(name.group(1));
        if (index >= gpuCount) {
            throw new UsageException("--device " + device + ": the engine sees " + gpuCount + " GPU" + (gpuCount == 1 ? "" : "s")
                    + (gpuCount == 0 ? " (this is the CPU build of libtorch; docs/cluster.md tells how to run on GPUs)" : ""));
        }
        return Device.gpu(index);
    }

    /**
     * Applies the defaults of open {@code trainer.*} hyper-parameters (a domain's {@code default}),
     * as the default network applies those of the module parameters.
     */
    private static TrainerConfig withOpenTrainerDefaults(TrainerConfig trainer, SearchSpace space, MapNode spaceSection) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, Domain> e : space.parameters().domains().entrySet()) {
            if (e.getKey().startsWith(SearchSpace.TRAINER_PREFIX) && e.getValue().defaultValue() != null) {
                values.put(e.getKey(), e.getValue().defaultValue());
            }
        }
        try {
            return trainer.withOverrides(values);
        } catch (SettingException e) {
            MapNode hp = spaceSection.optMap("hyper_parameters");
            String key = SearchSpace.TRAINER_PREFIX + e.key();
            ConfigNode at = hp.get(key).orElse(hp);
            throw new ConfigException(at.location(), hp.childPath(key), "the default " + e.problem());
        }
    }

    /** The contract's {@code train --json} object (more keys allowed: error, train_seconds, bitops). */
    static Map<String, Object> result(CandidateOutcome candidate) {
        TrainingOutcome outcome = candidate.training();
        NetworkSummary summary = candidate.summary();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", outcome.status().name());
        out.put("seconds", round(outcome.seconds(), 3));
        out.put("epochs", outcome.epochs());
        Map<String, Object> metrics = new LinkedHashMap<>();
        if (outcome.ok()) {
            Map<String, Double> m = outcome.metrics();
            // params and MACs as integers, as the contract shows them
            metrics.put("accuracy", m.get("accuracy"));
            metrics.put("loss", m.get("loss"));
            metrics.put("params", summary.params());
            metrics.put("macs", summary.macs());
            if (summary.bitops() != null) {
                metrics.put("bitops", summary.bitops());
            }
            metrics.put("latency_ms", round(m.get("latency_ms"), 4));
            if (m.containsKey("latency_ms_b32")) {
                metrics.put("latency_ms_b32", round(m.get("latency_ms_b32"), 4));
            }
            metrics.put("train_seconds", round(m.get("train_seconds"), 3));
        }
        out.put("metrics", metrics);
        out.put("error", outcome.ok() ? null : outcome.reason());
        return out;
    }

    private static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }

    private static String shapeText(long[] shape) {
        return shape[0] + "x" + shape[1] + "x" + shape[2];
    }
}
