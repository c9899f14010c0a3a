package io.finegrained.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import io.finegrained.config.JobConfig;
import io.finegrained.nn.NetworkBuilder;
import io.finegrained.space.ModuleSpec;
import io.finegrained.space.NetworkAnalysis;
import io.finegrained.space.SearchSpace;
import io.finegrained.train.DatasetConfig;
import io.finegrained.train.ModelExport;
import io.finegrained.train.TrainerConfig;
import io.finegrained.trial.CandidateTraining;
import io.finegrained.trial.TrainingJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/**
 * The pruning pipeline through the CLI: a baseline exported by {@code train --output}, a Prune
 * that starts from it ({@code init_model_file}), the narrow export, and what is refused when a
 * training starts.
 */
@Tag("slow")
class PrunedModelTest {
    private static final Path ROOT = Path.of(System.getProperty("project.root", "."));
    private static final long[] FASHION = {1, 28, 28};
    /** A small CIFAR-form ResNet (3 blocks) trained one epoch on the embedded Fashion-MNIST subset. */
    private static final String BASE = """
            search_space:
              modules: [resnet]
              resnet: {type: ResNet, depth: 8, init_plane: 8}
            trainer:
              epochs: 1
            """;

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    /** Keeps about half of each prunable group, at shuffled places. */
    private static String maskYaml(List<Integer> widths) {
        List<String> masks = new ArrayList<>();
        for (int g = 0; g < widths.size(); g++) {
            List<Integer> m = new ArrayList<>();
            for (int c = 0; c < widths.get(g); c++) {
                m.add(c < (widths.get(g) + 1) / 2 ? 1 : 0);
            }
            Collections.shuffle(m, new Random(g + 11));
            masks.add(m.toString());
        }
        return "[" + String.join(", ", masks) + "]";
    }

    private static String pruned(String mask, String start) {
        return BASE.replace("  resnet: {type: ResNet, depth: 8, init_plane: 8}\n",
                "  modules: [resnet, process]\n  resnet: {type: ResNet, depth: 8, init_plane: 8}\n"
                        + "  process: {type: Prune, chn_mask: " + mask + (start == null ? "" : ", init_model_file: " + start) + "}\n")
                .replace("  modules: [resnet]\n", "");
    }

    @Test
    void aPruneStartsFromTheBaselinesKeptChannelsAndExportsTheNarrowNetwork() throws Exception {
        Path baseConf = write("base.yml", BASE);
        String[] base = ExplainCommandTest.run("train", baseConf.toString(), "--json", "--output", dir.resolve("base").toString());
        assertEquals("0", base[0], base[2]);
        SearchSpace plain = SearchSpace.parse(JobConfig.load(baseConf).section("search_space"), TrainerConfig.KEYS);
        String mask = maskYaml(new NetworkAnalysis(plain, FASHION).prunableChannels());
        // A relative init_model_file resolves against the job file's folder.
        Path prunedConf = write("pruned.yml", pruned(mask, "base"));

        // The start parameters: the baseline's kept channels. The narrow network loaded with them
        // computes what the baseline computes with the removed channels masked (inference, CPU).
        JobConfig job = JobConfig.load(prunedConf);
        SearchSpace space = SearchSpace.parse(job.section("search_space"), TrainerConfig.KEYS);
        CandidateTraining candidate = CandidateTraining.prepare(
                new TrainingJob(space, TrainerConfig.from(job.section("trainer")), DatasetConfig.from(job)), Map.of());
        assertTrue(candidate.startModel() != null);
        ModuleSpec spec = space.defaults();
        Block masked = NetworkBuilder.buildMasked(spec, new Shape(FASHION));
        Block narrow = NetworkBuilder.build(spec, new Shape(FASHION));
        Block baseline = NetworkBuilder.build(plain.defaults(), new Shape(FASHION));
        try (Model parent = Model.newInstance("parent"); Model start = Model.newInstance("start")) {
            parent.setBlock(baseline);
            ModelExport.loadInto(parent, dir.resolve("base"));
            // The masked parent: the baseline's parameters (same names and shapes) with the mask applied.
            masked.initialize(parent.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 1, 28, 28));
            io.finegrained.nn.WeightTransfer.copy(baseline, masked, Map.of());
            start.setBlock(narrow);
            ModelExport.loadInto(start, candidate.startModel());
            NDManager m = parent.getNDManager();
            NDArray x = m.randomNormal(new Shape(8, 1, 28, 28));
            NDArray want = masked.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
            NDArray got = narrow.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
            float diff = want.sub(got).abs().max().getFloat();
            assertTrue(diff < 1e-4f * Math.max(1f, want.abs().max().getFloat()), "max difference " + diff);
        }

        // train exports the narrow network: fewer parameters on disk, the counts explain gives.
        Path out = dir.resolve("narrow");
        String[] train = ExplainCommandTest.run("train", prunedConf.toString(), "--json", "--output", out.toString());
        assertEquals("0", train[0], train[2]);
        JsonNode trained = ExplainCommandTest.lastJson(train[1]).get("metrics");
        JsonNode baseMetrics = ExplainCommandTest.lastJson(base[1]).get("metrics");
        assertTrue(trained.get("params").asLong() < 0.5 * baseMetrics.get("params").asLong(), trained + " vs " + baseMetrics);
        assertTrue(Files.size(out.resolve(ModelExport.PARAMETERS_FILE))
                < 0.6 * Files.size(dir.resolve("base").resolve(ModelExport.PARAMETERS_FILE)));
        String yaml = Files.readString(out.resolve(ModelExport.YAML_FILE));
        assertFalse(yaml.contains("init_model_file:"), "the export holds its own parameters: " + yaml);
        assertTrue(yaml.contains("# started from base"), yaml);
        JsonNode explained = ExplainCommandTest.lastJson(ExplainCommandTest.run("explain", out.resolve(ModelExport.YAML_FILE).toString(),
                "--json")[1]);
        assertEquals(trained.get("params").asLong(), explained.get("params").asLong());
        assertEquals(trained.get("macs").asLong(), explained.get("macs").asLong());

        // ... and --init-from rebuilds exactly that network from its network.yml.
        Path again = write("again.yml", yaml.replace("lr: 0.1", "lr: 1.0E-12").replace("momentum: 0.9", "momentum: 0.0")
                .replace("weight_decay: 5.0E-4", "weight_decay: 0.0"));
        String[] resumed = ExplainCommandTest.run("train", again.toString(), "--json", "--init-from", out.toString());
        assertEquals("0", resumed[0], resumed[2]);
        assertEquals(trained.get("accuracy").asDouble(), ExplainCommandTest.lastJson(resumed[1]).get("metrics").get("accuracy").asDouble(),
                0.03, "a near-zero learning rate keeps the loaded narrow parameters");

        // A model that does not fit: the first parameter that differs, both shapes, exit 2 before training.
        Path wider = write("wider.yml", pruned(mask, "base").replace("init_plane: 8", "init_plane: 8, items: {inchannel: [8, 8, 16],"
                + " outchannel: [8, 16, 32], inner_plane: [6, 16, 32], stride: [1, 2, 2]}"));
        String[] refused = ExplainCommandTest.run("train", wider.toString());
        assertEquals("2", refused[0], refused[2]);
        assertTrue(refused[2].contains("wider.yml:") && refused[2].contains("search_space.process.init_model_file")
                && refused[2].matches("(?s).*parameter resnet_\\S+ has shape \\(.*\\) in the model but \\(.*\\) in the network.*"),
                refused[2]);
        assertFalse(refused[2].contains("epoch 1/1"), "refused before training: " + refused[2]);
    }

    @Test
    void aPyTorchFileIsRefusedWhenTrainOrSearchStartsButExplainShowsTheSeedAsWritten() throws Exception {
        Path seed = write("resnet20_prune.yml", Files.readString(ROOT.resolve("conf/seed/resnet20_prune.yml")));
        String[] explain = ExplainCommandTest.run("explain", seed.toString(), "--input-shape", "3,32,32", "--json");
        assertEquals("0", explain[0], explain[2]);

        String[] train = ExplainCommandTest.run("train", seed.toString());
        assertEquals("2", train[0], train[2]);
        assertTrue(train[2].contains("resnet20_prune.yml:") && train[2].contains("search_space.process.init_model_file")
                && train[2].contains("./bestmodel.pth") && train[2].contains("PyTorch"), train[2]);
        assertFalse(train[2].contains("\tat "), "no stack trace: " + train[2]);

        Path job = write("search.yml", Files.readString(seed) + "search_algorithm: {type: PruneEA, population: 2, generations: 1}\n");
        Path runDir = dir.resolve("run");
        String[] search = ExplainCommandTest.run("search", job.toString(), "--output", runDir.toString());
        assertEquals("2", search[0], search[2]);
        assertTrue(search[2].contains("search_space.process.init_model_file") && search[2].contains("PyTorch"), search[2]);
        assertFalse(Files.exists(runDir), "refused before the run directory is made");

        // The pipeline's search in conf/: loads and explains without its baseline, refuses to start without it.
        Path pipeline = ROOT.resolve("conf/resnet20_prune_from_baseline.yml");
        assertFalse(Files.exists(ROOT.resolve("models/resnet20-baseline")), "the test expects no baseline in the checkout");
        io.finegrained.job.Job.load(pipeline);
        assertEquals("0", ExplainCommandTest.run("explain", pipeline.toString())[0]);
        String[] noBaseline = ExplainCommandTest.run("search", pipeline.toString(), "--output", dir.resolve("run2").toString());
        assertEquals("2", noBaseline[0], noBaseline[2]);
        assertTrue(noBaseline[2].contains("resnet20_prune_from_baseline.yml:") && noBaseline[2].contains("init_model_file")
                && noBaseline[2].contains("../models/resnet20-baseline"), noBaseline[2]);
        assertFalse(Files.exists(dir.resolve("run2")));

        // Quant takes the key too (and Vega's name for it, path).
        Path quant = write("quant.yml", """
                search_space:
                  modules: [resnet, process]
                  resnet: {type: ResNet, depth: 8, init_plane: 8}
                  process: {type: Quant, path: missing-model}
                """);
        String[] q = ExplainCommandTest.run("train", quant.toString());
        assertEquals("2", q[0], q[2]);
        assertTrue(q[2].contains("search_space.process.path") && q[2].contains("missing-model"), q[2]);
        assertEquals("0", ExplainCommandTest.run("explain", quant.toString())[0]);
    }
}
