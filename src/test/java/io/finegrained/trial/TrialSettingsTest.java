package io.finegrained.trial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.finegrained.config.ConfigException;
import io.finegrained.config.JobConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrialSettingsTest {
    @TempDir
    Path dir;

    private TrialSettings read(String trialSection) {
        String text = "search_space:\n  hyper_parameters:\n    x: {type: FLOAT, range: [0.0, 1.0]}\n" + trialSection;
        return TrialSettings.from(JobConfig.parse(text, dir.resolve("job.yml")));
    }

    private ConfigException error(String trialSection) {
        return assertThrows(ConfigException.class, () -> read(trialSection));
    }

    @Test
    void withoutASectionTheTrialIsTheDjlTrainer() {
        TrialSettings s = read("");
        assertEquals(TrialSettings.Type.DJL, s.type());
        assertEquals(3600, s.timeoutSeconds());
        assertEquals(0.5, s.failureThreshold());
        assertEquals(16L << 20, s.returnFilesMaxBytes(), "16 MiB of files per trial come back to the driver");
    }

    @Test
    void theReturnBoundIsInMegabytes() {
        assertEquals(1L << 19, read("trial:\n  return_files_max_mb: 0.5\n").returnFilesMaxBytes());
        assertEquals(0, read("trial:\n  return_files_max_mb: 0\n").returnFilesMaxBytes());
        ConfigException e = error("trial:\n  return_files_max_mb: -1\n");
        assertEquals("trial.return_files_max_mb", e.keyPath());
        assertEquals(dir.resolve("job.yml") + ":5:24: trial.return_files_max_mb: the most of one trial's files returned to the "
                + "driver, in megabytes, from 0 (none) to 1024, got -1.0", e.getMessage());
        assertEquals("trial.return_files_max_mb", error("trial:\n  return_files_max_mb: 5000\n").keyPath());
        assertEquals("trial.return_files_max_mb", error("trial:\n  return_files_max_mb: lots\n").keyPath());
    }

    @Test
    void aCommandTrialResolvesItsScriptAgainstTheConfigFolder() throws Exception {
        Files.writeString(dir.resolve("train.py"), "");
        TrialSettings s = read("trial:\n  type: command\n  command: [python3, train.py, --fast]\n  timeout_s: 600\n  failure_threshold: 0.25\n");
        assertEquals(List.of("python3", dir.resolve("train.py").toString(), "--fast"), s.command());
        assertEquals(600, s.timeoutSeconds());
        assertEquals(0.25, s.failureThreshold());
    }

    @Test
    void mistakesAreLocated() {
        assertEquals(dir.resolve("job.yml") + ":5:9: trial.type: unknown trial type 'shell' (known: djl, the default, and command)",
                error("trial:\n  type: shell\n").getMessage());
        assertEquals("trial.command", error("trial:\n  type: command\n  command: python3 train.py\n").keyPath());
        assertEquals("trial.command", error("trial:\n  type: command\n").keyPath());
        assertEquals("trial.timeout_s", error("trial:\n  type: command\n  command: [x]\n  timeout_s: 0\n").keyPath());
        assertEquals("trial.failure_threshold", error("trial:\n  failure_threshold: 1.5\n").keyPath());
        assertEquals("trial.timeot_s", error("trial:\n  timeot_s: 3\n").keyPath());
        assertEquals("trial.command", error("trial:\n  command: [python3, x.py]\n").keyPath());
    }
}
