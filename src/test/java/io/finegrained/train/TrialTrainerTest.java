package io.finegrained.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrialTrainerTest {
    /** 4 classes of 1x12x12 images: learnable in an epoch or two by a small network. */
    private static final DatasetConfig DATA = DatasetConfig.synthetic(4, 1, 12, 12, 400, 100);

    @TempDir
    Path dir;

    private static TrainerConfig quick(Map<String, Object> overrides) {
        TrainerConfig base = TrainerConfig.defaults().withOverrides(Map.of("epochs", 2, "batch_size", 32, "lr", 0.05));
        return base.withOverrides(overrides);
    }

    private static TrainingOutcome train(TrainerConfig cfg, Split on, EpochListener listener) {
        LoadedData data = Datasets.load(DATA);
        return TrialTrainer.train(TestNetworks.smallCnn(8, 4), DATA.inputShape(), cfg, data, on, Device.cpu(), listener);
    }

    @Test
    void learnsAndReportsTheContractMetrics() {
        List<EpochStats> epochs = new ArrayList<>();
        TrainingOutcome out = train(quick(Map.of()), Split.VALIDATION, epochs::add);
        assertTrue(out.ok(), out.reason());
        assertEquals(2, out.epochs());
        assertEquals(2, epochs.size());
        double accuracy = out.metrics().get("accuracy");
        assertTrue(accuracy > 0.8, "validation accuracy " + accuracy + " (chance is 0.25)");
        assertTrue(out.metrics().get("loss") < Math.log(4), "loss " + out.metrics().get("loss"));
        assertTrue(out.metrics().get("latency_ms") > 0);
        assertTrue(out.metrics().get("train_seconds") > 0 && out.metrics().get("train_seconds") <= out.seconds());
        assertTrue(epochs.get(1).loss() < epochs.get(0).loss(), "training loss falls: " + epochs);
        assertTrue(epochs.get(0).imagesPerSecond() > 0);
        assertTrue(epochs.get(0).line().startsWith("epoch 1/2  loss "), epochs.get(0).line());
        // memory is flat across epochs: the same live arrays after each
        assertEquals(epochs.get(0).liveArrays(), epochs.get(1).liveArrays());
    }

    @Test
    void sameSeedRepeatsExactlyAndAnotherSeedDiffers() {
        TrainerConfig cfg = quick(Map.of("epochs", 1));
        List<EpochStats> a = new ArrayList<>();
        List<EpochStats> b = new ArrayList<>();
        List<EpochStats> c = new ArrayList<>();
        TrainingOutcome first = train(cfg, Split.TEST, a::add);
        TrainingOutcome second = train(cfg, Split.TEST, b::add);
        TrainingOutcome other = train(cfg.withOverrides(Map.of("seed", 1)), Split.TEST, c::add);
        assertEquals(a.get(0).loss(), b.get(0).loss());
        assertEquals(first.metrics().get("loss"), second.metrics().get("loss"));
        assertEquals(first.metrics().get("accuracy"), second.metrics().get("accuracy"));
        assertFalse(a.get(0).loss() == c.get(0).loss(), "a different seed trains differently");
    }

    @Test
    void trainsOnAThreadThatDidNotLoadTheEngine() throws Exception {
        // libtorch's grad mode is per thread and on by default on new threads (Spark task threads).
        // The project's own blocks (from YAML) initialize some parameters in place.
        io.finegrained.space.ModuleSpec spec = io.finegrained.space.SearchSpace.parse(io.finegrained.config.JobConfig.parse(
                "search_space:\n  modules: [init, head]\n  init: {type: SmallInputInitialBlock, init_plane: 8}\n"
                + "  head: {type: LinearClassificationHead, base_channel: 8, num_class: 4}\n", Path.of("t.yml"))
                .section("search_space"), TrainerConfig.KEYS).defaults();
        Engines.warmUp(Device.cpu()); // the engine loads (if it has not yet) on this thread, not the worker
        TrainingOutcome[] out = new TrainingOutcome[1];
        Thread worker = new Thread(() -> out[0] = TrialTrainer.train(io.finegrained.nn.NetworkBuilder.build(spec,
                new ai.djl.ndarray.types.Shape(DATA.inputShape())), DATA.inputShape(), quick(Map.of("epochs", 1)),
                Datasets.load(DATA), Split.VALIDATION, Device.cpu(), null));
        worker.start();
        worker.join();
        assertTrue(out[0].ok(), out[0].reason());
    }

    @Test
    void nanLossEndsTheTrialAsFailedWithTheReason() {
        TrainingOutcome out = train(quick(Map.of("lr", 1e30, "schedule", "constant")), Split.VALIDATION, null);
        assertFalse(out.ok());
        assertTrue(out.reason().contains("loss is NaN") || out.reason().contains("loss is Infinity")
                || out.reason().contains("diverged"), out.reason());
        assertTrue(out.metrics().isEmpty());
        assertTrue(out.epochs() < 2);
    }

    @Test
    void divergingLossEndsTheTrialAsFailed() {
        // plain SGD with a large rate on an un-normalized MLP blows the loss up without reaching NaN at once
        TrainingOutcome out = TrialTrainer.train(TestNetworks.mlp(64, 4), DATA.inputShape(),
                quick(Map.of("lr", 50.0, "momentum", 0.0, "weight_decay", 0.0, "schedule", "constant")),
                Datasets.load(DATA), Split.VALIDATION, Device.cpu(), null);
        assertFalse(out.ok());
        assertTrue(out.reason().contains("diverged") || out.reason().startsWith("loss is"), out.reason());
    }

    @Test
    void adamAndNesterovTrainToo() {
        TrainingOutcome adam = train(quick(Map.of("optimizer", "adam", "lr", 0.003)), Split.VALIDATION, null);
        assertTrue(adam.ok(), adam.reason());
        assertTrue(adam.metrics().get("accuracy") > 0.8, "adam accuracy " + adam.metrics());
        TrainingOutcome nesterov = train(quick(Map.of("nesterov", true, "schedule", "multistep", "warmup_epochs", 0.5)),
                Split.VALIDATION, null);
        assertTrue(nesterov.ok(), nesterov.reason());
        assertTrue(nesterov.metrics().get("accuracy") > 0.8, "nesterov accuracy " + nesterov.metrics());
    }

    @Test
    void networkThatDoesNotFitTheDataFailsWithItsReason() {
        // 3 outputs for 4 classes: picking label 3 fails inside the engine
        TrainingOutcome out = TrialTrainer.train(TestNetworks.smallCnn(4, 3), DATA.inputShape(), quick(Map.of()),
                Datasets.load(DATA), Split.VALIDATION, Device.cpu(), null);
        assertFalse(out.ok());
        assertFalse(out.reason().isBlank());
    }

    @Test
    void wrongInputShapeOrEmptySplitIsRefused() {
        LoadedData data = Datasets.load(DATA);
        assertThrows(IllegalArgumentException.class, () -> TrialTrainer.train(TestNetworks.smallCnn(4, 4),
                new long[] {3, 12, 12}, quick(Map.of()), data, Split.VALIDATION, Device.cpu(), null));
        LoadedData noValidation = Datasets.load(DATA.withValidation(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrialTrainer.train(
                TestNetworks.smallCnn(4, 4), DATA.inputShape(), quick(Map.of()), noValidation, Split.VALIDATION,
                Device.cpu(), null));
        assertTrue(e.getMessage().contains("validation split is empty"), e.getMessage());
    }

    @Test
    void exportedModelLoadsBackWithTheSameScore() throws Exception {
        LoadedData data = Datasets.load(DATA);
        Path export = dir.resolve("model");
        TrainingOutcome trained = TrialTrainer.train(TestNetworks.smallCnn(8, 4), DATA.inputShape(), quick(Map.of("epochs", 1)),
                data, Split.TEST, Device.cpu(), null, new ModelFiles(null, export, "search_space: {}\n"));
        assertTrue(trained.ok(), trained.reason());
        assertTrue(Files.isRegularFile(export.resolve(ModelExport.PARAMETERS_FILE)));
        assertEquals("search_space: {}\n", ModelExport.readYaml(export));
        // Continue from the export with a learning rate too small to move anything: same test score.
        TrainingOutcome resumed = TrialTrainer.train(TestNetworks.smallCnn(8, 4), DATA.inputShape(),
                quick(Map.of("epochs", 1, "lr", 1e-12, "momentum", 0.0, "weight_decay", 0.0, "schedule", "constant")),
                data, Split.TEST, Device.cpu(), null, new ModelFiles(export, null, null));
        assertTrue(resumed.ok(), resumed.reason());
        // batch-norm running statistics move with the new epoch's batches; accuracy stays close
        assertEquals(trained.metrics().get("accuracy"), resumed.metrics().get("accuracy"), 0.03);
        TrainingOutcome fresh = TrialTrainer.train(TestNetworks.smallCnn(8, 4), DATA.inputShape(),
                quick(Map.of("epochs", 1, "lr", 1e-12, "momentum", 0.0, "weight_decay", 0.0, "schedule", "constant")),
                data, Split.TEST, Device.cpu(), null);
        assertTrue(fresh.metrics().get("accuracy") < trained.metrics().get("accuracy") - 0.2,
                "untrained " + fresh.metrics() + " vs trained " + trained.metrics());

        TrainingOutcome missing = TrialTrainer.train(TestNetworks.smallCnn(8, 4), DATA.inputShape(), quick(Map.of()),
                data, Split.TEST, Device.cpu(), null, new ModelFiles(dir.resolve("nothing"), null, null));
        assertFalse(missing.ok());
        assertTrue(missing.reason().contains("no such file"), missing.reason());
    }
}
