package io.finegrained.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.config.ConfigException;
import io.finegrained.config.JobConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerConfigTest {
    private static TrainerConfig parse(String trainerYaml) {
        JobConfig job = JobConfig.parse("search_space: {}\n" + trainerYaml, Path.of("job.yml"));
        return TrainerConfig.from(job.section("trainer"));
    }

    @Test
    void emptySectionGivesTheDocumentedDefaults() {
        TrainerConfig cfg = parse("");
        assertEquals(TrainerConfig.defaults(), cfg);
        assertEquals(10, cfg.epochs());
        assertEquals(128, cfg.batchSize());
        assertEquals(TrainerConfig.Optimizer.SGD, cfg.optimizer());
        assertNull(cfg.lr());
        assertEquals(0.1, cfg.learningRate());
        assertEquals(0.9, cfg.momentum());
        assertEquals(5e-4, cfg.weightDecay());
        assertEquals(TrainerConfig.Schedule.COSINE, cfg.schedule());
        assertEquals(0.001, parse("trainer: {optimizer: adam}\n").learningRate());
    }

    @Test
    void readsEveryKey() {
        TrainerConfig cfg = parse("""
                trainer:
                  epochs: 3
                  batch_size: 64
                  optimizer: SGD
                  lr: 0.05
                  momentum: 0.8
                  nesterov: true
                  weight_decay: 0.0001
                  schedule: multistep
                  milestones: [1, 2]
                  gamma: 0.5
                  warmup_epochs: 0.5
                  seed: 7
                  eval_batch_size: 100
                  threads: 1
                  memory_format: contiguous
                """);
        assertEquals(3, cfg.epochs());
        assertEquals(64, cfg.batchSize());
        assertEquals(0.05, cfg.learningRate());
        assertTrue(cfg.nesterov());
        assertEquals(TrainerConfig.Schedule.MULTISTEP, cfg.schedule());
        assertEquals(List.of(1, 2), cfg.milestones());
        assertEquals(0.5, cfg.warmupEpochs());
        assertEquals(7, cfg.seed());
        assertEquals(1, cfg.threads());
        assertEquals(TrainerConfig.MemoryFormat.CONTIGUOUS, cfg.memoryFormat());
        assertEquals(TrainerConfig.MemoryFormat.CHANNELS_LAST, TrainerConfig.defaults().memoryFormat());
    }

    @Test
    void badValuesAreLocatedAtTheirKey() {
        ConfigException lr = assertThrows(ConfigException.class, () -> parse("trainer:\n  epochs: 2\n  lr: -1\n"));
        assertEquals("trainer.lr", lr.keyPath());
        assertEquals(4, lr.location().line());
        assertTrue(lr.getMessage().contains("must be a positive number"), lr.getMessage());

        ConfigException typo = assertThrows(ConfigException.class, () -> parse("trainer:\n  epoch: 2\n"));
        assertTrue(typo.getMessage().contains("did you mean 'epochs'"), typo.getMessage());

        ConfigException kind = assertThrows(ConfigException.class, () -> parse("trainer:\n  batch_size: many\n"));
        assertEquals("trainer.batch_size", kind.keyPath());

        ConfigException optimizer = assertThrows(ConfigException.class, () -> parse("trainer:\n  optimizer: lbfgs\n"));
        assertTrue(optimizer.getMessage().contains("expected one of sgd, adam"), optimizer.getMessage());

        ConfigException nesterov = assertThrows(ConfigException.class, () -> parse("trainer:\n  momentum: 0\n  nesterov: true\n"));
        assertEquals("trainer.nesterov", nesterov.keyPath());

        ConfigException format = assertThrows(ConfigException.class, () -> parse("trainer:\n  memory_format: nhwc\n"));
        assertEquals("trainer.memory_format", format.keyPath());
        assertTrue(format.getMessage().contains("expected one of channels_last, contiguous"), format.getMessage());

        ConfigException milestones = assertThrows(ConfigException.class, () -> parse("trainer:\n  milestones: [5, 3]\n"));
        assertEquals("trainer.milestones", milestones.keyPath());
    }

    @Test
    void overridesFromTheSearchAreCheckedAndNamed() {
        TrainerConfig cfg = TrainerConfig.defaults().withOverrides(Map.of("trainer.lr", 0.02, "batch_size", 32L,
                "optimizer", "adam", "milestones", List.of(2L, 4L)));
        assertEquals(0.02, cfg.learningRate());
        assertEquals(32, cfg.batchSize());
        assertEquals(TrainerConfig.Optimizer.ADAM, cfg.optimizer());
        assertEquals(List.of(2, 4), cfg.milestones());

        SettingException bad = assertThrows(SettingException.class,
                () -> TrainerConfig.defaults().withOverrides(Map.of("trainer.momentum", 1.5)));
        assertEquals("momentum", bad.key());
        assertTrue(bad.getMessage().startsWith("trainer.momentum:"), bad.getMessage());

        SettingException kind = assertThrows(SettingException.class,
                () -> TrainerConfig.defaults().withOverrides(Map.of("epochs", 2.5)));
        assertTrue(kind.getMessage().contains("whole number"), kind.getMessage());

        SettingException closed = assertThrows(SettingException.class,
                () -> TrainerConfig.defaults().withOverrides(Map.of("threads", 4)));
        assertEquals("threads", closed.key());
        assertTrue(TrainerConfig.KEYS.contains("lr") && !TrainerConfig.KEYS.contains("threads"));
    }

    @Test
    void defaultStepSizeAndMilestonesFollowTheEpochs() {
        TrainerConfig cfg = TrainerConfig.defaults().withEpochs(12);
        assertEquals(4, cfg.effectiveStepSize());
        assertEquals(List.of(6, 9), cfg.effectiveMilestones());
        assertEquals(1, TrainerConfig.defaults().withEpochs(1).effectiveStepSize());
    }
}
