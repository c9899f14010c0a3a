package io.finegrained.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.finegrained.config.JobConfig;
import io.finegrained.job.JobFile;
import io.finegrained.config.MapNode;
import io.finegrained.config.Nodes;
import io.finegrained.space.NetworkAnalyzer;
import io.finegrained.space.NetworkSummary;
import io.finegrained.report.ModuleTable;
import io.finegrained.train.DatasetConfig;
import io.finegrained.train.TrainerConfig;
import io.finegrained.space.InvalidCandidateException;
import io.finegrained.space.ModuleRegistry;
import io.finegrained.space.ModuleType;
import io.finegrained.space.SearchSpace;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code finegrained explain CONF}: the network of the space's default values, module by module
 * (name, type, output shape, params, MACs) and the totals. Pure arithmetic: no engine is loaded,
 * no weights are read ({@code init_model_file} is never opened). With {@code --space}: the open
 * parameters, the space's size as the configured algorithm sees it and a measured sample of
 * candidates ({@link SpaceSurvey}).
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Shows the network of the search space's default values: each module's output shape, params and MACs, and the totals.")
public final class ExplainCommand implements Callable<Integer> {

    /** Names allowed after {@code trainer.} in hyper_parameters: the trainer's own open settings. */
    static final Set<String> TRAINER_KEYS = TrainerConfig.KEYS;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONF", description = "the job file (YAML); a path or a URI of any Hadoop file system")
    String config;

    @Option(names = "--modules", description = "list every module type with its parameters (and the config's own definitions when CONF is given)")
    boolean modules;

    @Option(names = "--input-shape", paramLabel = "C,H,W",
            description = "one input sample's shape; default: the config's dataset (1,28,28 when it names none)")
    String inputShape;

    @Option(names = "--json", description = "print the summary as one JSON object on the last line of stdout")
    boolean json;

    @Option(names = "--space", description = "describe the search space instead: the open parameters, the number of candidates as the"
            + " configured algorithm sees it, and params/MACs/bitops over a sample of candidates")
    boolean spaceMode;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "200",
            description = "with --space: how many candidates to sample (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "with --space: the sample's seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--depth", paramLabel = "N", defaultValue = "0",
            description = "also list nested modules down to this depth (default: ${DEFAULT-VALUE}, top-level modules only)")
    int depth;

    @Override
    public Integer call() throws Exception {
        if (modules) {
            ModuleRegistry registry = ModuleRegistry.standard();
            if (config != null) {
                SearchSpace space = SearchSpace.parse(JobFile.read(config).section("search_space"), TRAINER_KEYS);
                registry = space.registry();
            }
            for (ModuleType type : registry.types()) {
                System.out.println(type.explainParams());
            }
            return 0;
        }
        if (config == null) {
            throw new UsageException("explain needs CONF (or --modules)");
        }
        JobConfig job = JobFile.read(config);
        SearchSpace space = SearchSpace.parse(job.section("search_space"), TRAINER_KEYS);
        if (spaceMode) {
            return describeSpace(job, space);
        }
        if (!space.hasModules()) {
            throw new UsageException(config + ": the search space has no modules, so there is no network to explain (open parameters: "
                    + String.join(", ", space.parameters().domains().keySet()) + ")");
        }
        long[] shape = inputShape != null ? parseShape(inputShape) : defaultInputShape(job);
        NetworkSummary summary;
        try {
            summary = NetworkAnalyzer.analyze(space.defaults(), shape);
        } catch (InvalidCandidateException e) {
            throw new UsageException("the network does not fit the input shape " + shapeText(shape) + ": " + e.getMessage());
        }
        for (String warning : summary.warnings()) {
            System.err.println("warning: " + warning);
        }
        printTable(summary, System.out);
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(toJson(summary)));
        }
        return 0;
    }

    private int describeSpace(JobConfig job, SearchSpace space) throws Exception {
        if (samples < 0) {
            throw new UsageException("--samples takes a number of candidates (0 or more), got " + samples);
        }
        long[] shape = !space.hasModules() ? null : inputShape != null ? parseShape(inputShape) : defaultInputShape(job);
        SpaceSurvey survey;
        try {
            survey = SpaceSurvey.of(job, space, shape, samples, seed);
        } catch (InvalidCandidateException e) {
            throw new UsageException("the default network does not fit the input shape " + shapeText(shape) + ": " + e.getMessage());
        }
        survey.print(System.out);
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(survey.toJson()));
        }
        return 0;
    }

    /** The input shape of the config's dataset (the embedded Fashion-MNIST's [1, 28, 28] when it names none). */
    static long[] defaultInputShape(JobConfig job) {
        return DatasetConfig.from(job.section("dataset"), job.directory()).inputShape();
    }

    static long[] parseShape(String text) {
        String[] parts = text.split(",");
        if (parts.length != 3) {
            throw new UsageException("--input-shape takes C,H,W (three positive integers), got '" + text + "'");
        }
        long[] out = new long[3];
        for (int i = 0; i < 3; i++) {
            try {
                out[i] = Long.parseLong(parts[i].trim());
            } catch (NumberFormatException e) {
                out[i] = -1;
            }
            if (out[i] < 1 || out[i] > 1_000_000) {
                throw new UsageException("--input-shape takes C,H,W (three positive integers), got '" + text + "'");
            }
        }
        return out;
    }

    private void printTable(NetworkSummary s, PrintStream out) {
        out.print(ModuleTable.text(s, depth)); // the report shows the best network with the same table
    }

    private static ObjectNode toJson(NetworkSummary s) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode o = m.createObjectNode();
        o.put("params", s.params());
        o.put("macs", s.macs());
        if (s.bitops() != null) {
            o.put("bitops", s.bitops());
        }
        ArrayNode shape = o.putArray("input_shape");
        for (long d : s.inputShape()) {
            shape.add(d);
        }
        ArrayNode modules = o.putArray("modules");
        for (NetworkSummary.Row r : s.modules()) {
            ObjectNode row = modules.addObject();
            row.put("name", r.name());
            row.put("type", r.type());
            ArrayNode out = row.putArray("output_shape");
            for (long d : r.outputShape()) {
                out.add(d);
            }
            row.put("params", r.params());
            row.put("macs", r.macs());
        }
        o.put("quantizable_layers", s.quantizableLayers().size());
        ArrayNode prunable = o.putArray("prunable_channels");
        s.prunableChannels().forEach(prunable::add);
        ArrayNode warnings = o.putArray("warnings");
        s.warnings().forEach(warnings::add);
        return o;
    }

    private static String shapeText(long[] dims) {
        return ModuleTable.shape(dims);
    }
}
