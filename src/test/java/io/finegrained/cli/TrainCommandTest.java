package io.finegrained.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import com.fasterxml.jackson.databind.JsonNode;
import io.finegrained.config.JobConfig;
import io.finegrained.nn.NetworkBuilder;
import io.finegrained.space.ModuleSpec;
import io.finegrained.space.NetworkAnalyzer;
import io.finegrained.space.SearchSpace;
import io.finegrained.train.ModelExport;
import io.finegrained.train.TrainerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
    private static final Path ROOT = Path.of(System.getProperty("project.root", "."));
    /** The tiny network of the contract check (/work/shared/checks/contracts.sh). */
    static final String TINY = """
            search_space:
              type: FineGrainedSpace
              modules: ['init', 'head']
              init:
                type: SmallInputInitialBlock
                init_plane: 8
              head:
                type: LinearClassificationHead
                base_channel: 8
                num_class: 10
            """;

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void jsonLastLineHasTheContractShapeAndProgressGoesToStderr() throws Exception {
        Path conf = write("tiny.yml", TINY);
        String[] r = ExplainCommandTest.run("train", conf.toString(), "--epochs", "1", "--json");
        assertEquals("0", r[0], r[2]);
        JsonNode json = ExplainCommandTest.lastJson(r[1]);
        assertEquals("OK", json.get("status").asText());
        assertEquals(1, json.get("epochs").asInt());
        assertTrue(json.get("seconds").asDouble() > 0);
        JsonNode m = json.get("metrics");
        assertTrue(m.get("accuracy").asDouble() > 0.1 && m.get("accuracy").asDouble() <= 1, m.toString());
        assertTrue(m.get("loss").isNumber());
        assertEquals(178, m.get("params").asLong());
        assertEquals(56528, m.get("macs").asLong());
        assertTrue(m.get("latency_ms").asDouble() > 0);
        assertTrue(r[2].contains("epoch 1/1  loss "), r[2]);
        assertTrue(r[2].contains("images/s"), r[2]);
    }

    @Test
    void exportThenInitFromStartsFromTheTrainedParameters() throws Exception {
        Path conf = write("tiny.yml", TINY + "trainer:\n  epochs: 1\n");
        Path model = dir.resolve("model");
        String[] first = ExplainCommandTest.run("train", conf.toString(), "--json", "--output", model.toString());
        assertEquals("0", first[0], first[2]);
        assertTrue(Files.isRegularFile(model.resolve(ModelExport.PARAMETERS_FILE)));
        String yaml = Files.readString(model.resolve(ModelExport.YAML_FILE));
        assertTrue(yaml.contains("SmallInputInitialBlock") && yaml.contains("trainer:\n  epochs: 1"), yaml);
        // the exported YAML is itself a job file that trains the same network
        Path again = write("again.yml", yaml.replace("lr: 0.1", "lr: 1.0E-12").replace("momentum: 0.9", "momentum: 0.0")
                .replace("weight_decay: 5.0E-4", "weight_decay: 0.0"));
        String[] resumed = ExplainCommandTest.run("train", again.toString(), "--json", "--init-from", model.toString());
        assertEquals("0", resumed[0], resumed[2]);
        double before = ExplainCommandTest.lastJson(first[1]).get("metrics").get("accuracy").asDouble();
        double after = ExplainCommandTest.lastJson(resumed[1]).get("metrics").get("accuracy").asDouble();
        assertEquals(before, after, 0.03, "a near-zero learning rate keeps the loaded parameters");
    }

    @Test
    void configurationErrorsExitTwoWithTheirPlace() throws Exception {
        String[] lr = ExplainCommandTest.run("train", write("lr.yml", TINY + "trainer:\n  lr: -0.1\n").toString());
        assertEquals("2", lr[0]);
        assertTrue(lr[2].contains("lr.yml:12:7: trainer.lr: must be a positive number"), lr[2]);

        String[] data = ExplainCommandTest.run("train",
                write("data.yml", TINY + "dataset:\n  source: idx\n  path: missing-folder\n").toString());
        assertEquals("2", data[0]);
        assertTrue(data[2].contains("data.yml:13:9: dataset.path:") && data[2].contains("no such folder"), data[2]);

        String[] epochs = ExplainCommandTest.run("train", write("e.yml", TINY).toString(), "--epochs", "0");
        assertEquals("2", epochs[0]);
        assertTrue(epochs[2].contains("--epochs must be at least 1"), epochs[2]);

        String[] open = ExplainCommandTest.run("train", write("open.yml", TINY
                + "  hyper_parameters:\n    trainer.lrr: {type: FLOAT, range: [0.01, 0.1]}\n").toString());
        assertEquals("2", open[0]);
        assertTrue(open[2].contains("did you mean 'trainer.lr'"), open[2]);
    }

    @Test
    void deviceIsCheckedAgainstTheEngineBeforeTraining() throws Exception {
        Path conf = write("tiny.yml", TINY);
        String[] gpu = ExplainCommandTest.run("train", conf.toString(), "--epochs", "1", "--device", "gpu:0");
        assertEquals("2", gpu[0], gpu[2]);
        assertTrue(gpu[2].contains("--device gpu:0: the engine sees 0 GPUs (this is the CPU build of libtorch"), gpu[2]);
        assertTrue(!gpu[2].contains("epoch 1/1"), "refused before training: " + gpu[2]);

        String[] typo = ExplainCommandTest.run("train", conf.toString(), "--device", "cuda0");
        assertEquals("2", typo[0]);
        assertTrue(typo[2].contains("--device must be cpu, gpu or gpu:N, got 'cuda0'"), typo[2]);

        String[] cpu = ExplainCommandTest.run("train", conf.toString(), "--epochs", "1", "--device", "CPU");
        assertEquals("0", cpu[0], cpu[2]);
        assertTrue(cpu[2].contains("threads on cpu()"), cpu[2]);
    }

    @Test
    void corruptDataFileExitsOneNamingTheFile() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        for (String name : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte"}) {
            Files.write(data.resolve(name), new byte[] {0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2});
        }
        String[] r = ExplainCommandTest.run("train", write("bad.yml", TINY + "dataset: {source: idx, path: data}\n").toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains(data.resolve("train-images-idx3-ubyte") + ": truncated"), r[2]);
        assertTrue(!r[2].contains("\tat "), "no stack trace: " + r[2]);
    }

    @Test
    void analyzerParamsMatchTheTrainableParametersDjlBuilds() {
        // The contract's params (NetworkAnalyzer, pure arithmetic) and what DJL trains must agree.
        JobConfig job = JobConfig.load(ROOT.resolve("conf/resnet20.yml"));
        ModuleSpec spec = SearchSpace.parse(job.section("search_space"), TrainerConfig.KEYS).defaults();
        long[] shape = {1, 28, 28};
        Block block = NetworkBuilder.build(spec, new Shape(shape));
        try (Model model = Model.newInstance("count")) {
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()))) {
                trainer.initialize(new Shape(1, 1, 28, 28));
                long trainable = 0;
                for (Parameter p : block.getParameters().values()) {
                    if (p.requiresGradient()) {
                        trainable += p.getArray().size();
                    }
                }
                assertEquals(NetworkAnalyzer.analyze(spec, shape).params(), trainable);
                assertEquals(272186, trainable);
            }
        }
    }
}
