package io.finegrained.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training continued from a checkpoint ends with exactly the parameters (bit for bit) of one
 * that never stopped: CPU, one intra-op thread, augmentation on (so the random state matters),
 * momentum and a schedule that changes within and across epochs.
 */
class TrainingCheckpointTest {
    /** 4 classes of 1x12x12 images, random crop and flip: every epoch draws from the generator. */
    private static final DatasetConfig DATA = new DatasetConfig(DatasetConfig.Source.SYNTHETIC, null, 1, 12, 12, 4, 0.1,
            DatasetConfig.Normalization.fromTrainingData(), 2, true, 0, 400, 100, null);

    @TempDir
    Path dir;

    @BeforeAll
    static void oneThread() {
        Engines.configureThreads(1, 0);
    }

    private static TrainerConfig config(Map<String, Object> overrides) {
        return TrainerConfig.defaults().withOverrides(Map.of("epochs", 3, "batch_size", 32, "lr", 0.05, "momentum", 0.9,
                "nesterov", true, "weight_decay", 0.0005, "schedule", "cosine", "warmup_epochs", 0.5)).withOverrides(overrides);
    }

    private TrialTrainer.Segment segment(TrainerConfig cfg, TrainingCheckpoint from, int to, String export) {
        return TrialTrainer.trainSegment(TestNetworks.smallCnn(8, 4), DATA.inputShape(), cfg, Datasets.load(DATA),
                Split.VALIDATION, Device.cpu(), null, new ModelFiles(null, dir.resolve(export), "x: 1\n"), from, to);
    }

    private byte[] parameters(String export) throws Exception {
        return Files.readAllBytes(dir.resolve(export).resolve(ModelExport.PARAMETERS_FILE));
    }

    private void continuedEqualsUninterrupted(TrainerConfig cfg) throws Exception {
        TrialTrainer.Segment whole = segment(cfg, null, 0, "whole");
        assertTrue(whole.outcome().ok(), whole.outcome().reason());
        assertNull(whole.checkpoint(), "a complete training leaves no checkpoint");

        TrialTrainer.Segment first = segment(cfg, null, 1, "first");
        assertTrue(first.outcome().ok(), first.outcome().reason());
        assertEquals(1, first.outcome().epochs());
        assertNotNull(first.checkpoint());
        // Through bytes, as between executors, and in two more segments (1 → 2 → 3).
        TrainingCheckpoint atOne = TrainingCheckpoint.fromBytes(first.checkpoint().toBytes());
        assertEquals(1, atOne.epoch());
        TrialTrainer.Segment second = segment(cfg, atOne, 2, "second");
        TrainingCheckpoint atTwo = TrainingCheckpoint.fromBytes(second.checkpoint().toBytes());
        assertEquals(atOne.step() * 2, atTwo.step());
        TrialTrainer.Segment third = segment(cfg, atTwo, 0, "third");
        assertTrue(third.outcome().ok(), third.outcome().reason());
        assertEquals(3, third.outcome().epochs());

        assertArrayEquals(parameters("whole"), parameters("third"), "continued parameters differ from uninterrupted ones");
        assertFalse(Arrays.equals(parameters("first"), parameters("third")), "training after the checkpoint changed them");
        assertEquals(whole.outcome().metrics().get("accuracy"), third.outcome().metrics().get("accuracy"));
        assertEquals(whole.outcome().metrics().get("loss"), third.outcome().metrics().get("loss"));
    }

    @Test
    void sgdContinuedFromACheckpointIsBitIdenticalToUninterrupted() throws Exception {
        continuedEqualsUninterrupted(config(Map.of()));
    }

    @Test
    void adamContinuedFromACheckpointIsBitIdenticalToUninterrupted() throws Exception {
        continuedEqualsUninterrupted(config(Map.of("optimizer", "adam", "lr", 0.01)));
    }

    @Test
    void aCheckpointOfAnotherTrainingIsRefused() {
        TrainingCheckpoint atOne = segment(config(Map.of()), null, 1, "a").checkpoint();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> segment(config(Map.of("seed", 5)), atOne, 0, "b"));
        assertTrue(e.getMessage().contains("seed 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainingCheckpoint.fromBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
    }
}
