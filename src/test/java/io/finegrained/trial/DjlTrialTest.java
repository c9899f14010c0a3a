package io.finegrained.trial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.config.JobConfig;
import io.finegrained.search.Candidate;
import io.finegrained.search.TrialResult;
import io.finegrained.search.TrialStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real DJL trainings of a tiny network on synthetic images (a second or so each). */
class DjlTrialTest {
    static final Path JOB = Path.of(System.getProperty("project.root", "."), "src/test/resources/jobs/tiny_djl.yml").toAbsolutePath();

    @TempDir
    Path trials;

    private DjlTrial trial(double timeout) throws Exception {
        return new DjlTrial(Files.readString(JOB), JOB.toString(), trials.toString(), timeout, DeviceChoice.CPU);
    }

    private static Candidate candidate(int id, long plane, double lr) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("init.init_plane", plane);
        values.put("trainer.lr", lr);
        return new Candidate(id, 0, values);
    }

    @Test
    void aCandidateIsTrainedScoredOnValidationAndExported() throws Exception {
        TrialResult r = GuardedTrial.run(trial(600), candidate(1, 8, 0.05));
        assertEquals(TrialStatus.OK, r.status(), r.error());
        Map<String, Double> m = r.metrics();
        assertTrue(m.get("accuracy") >= 0 && m.get("accuracy") <= 1, m.toString());
        assertEquals(8 * 9 + 8 * 2 + 8 * 10 + 10, m.get("params"), "conv 3x3 (no bias) + BatchNorm + Linear: " + m);
        assertEquals(8 * 9 * 28 * 28 + 8 * 10, m.get("macs"));
        assertTrue(m.containsKey("loss") && m.containsKey("latency_ms") && m.containsKey("train_seconds"), m.toString());
        Path folder = trials.resolve("1");
        String log = Files.readString(folder.resolve("trial.log"));
        assertTrue(log.contains("epoch 1/1"), log);
        assertTrue(log.contains("66 validation"), "scored on the validation split: " + log);
        assertTrue(Files.exists(folder.resolve("model/model-0000.params")));
        String yaml = Files.readString(folder.resolve("model/network.yml"));
        assertTrue(yaml.contains("lr: 0.05"), "the candidate's trainer.lr is the one trained with: " + yaml);
        assertTrue(yaml.contains("init_plane: 8"), yaml);
    }

    @Test
    void trainingsOnOtherThreadsWorkToo() throws Exception {
        DjlTrial trial = trial(600);
        assertEquals(TrialStatus.OK, GuardedTrial.run(trial, candidate(2, 2, 0.05)).status());
        AtomicReference<TrialResult> other = new AtomicReference<>();
        Thread thread = new Thread(() -> other.set(GuardedTrial.run(trial, candidate(3, 4, 0.05))));
        thread.start();
        thread.join();
        assertEquals(TrialStatus.OK, other.get().status(), other.get().error());
    }

    @Test
    void anInvalidCandidateFailsWithItsReason() throws Exception {
        TrialResult r = GuardedTrial.run(trial(600), candidate(4, 0, 0.05));
        assertEquals(TrialStatus.FAILED, r.status());
        assertTrue(r.error().startsWith("invalid candidate: "), r.error());
    }

    @Test
    void aTrialOverItsTimeOutFailsAtItsFirstStepPastTheLimit() throws Exception {
        TrialResult r = GuardedTrial.run(trial(1e-6), candidate(5, 2, 0.05));
        assertEquals(TrialStatus.FAILED, r.status());
        assertTrue(r.error().contains("timed out after 1.0E-6 s (trial.timeout_s), at epoch 1, step 1"), r.error());
    }

    @Test
    void withoutATrainerSectionASearchTrialTrainsOneEpoch() {
        JobConfig config = JobConfig.parse("search_space: {hyper_parameters: {x: [0, 1]}}\n", Path.of("job.yml"));
        assertEquals(1, DjlTrial.searchTrainer(config).epochs());
        JobConfig withTrainer = JobConfig.parse("search_space: {hyper_parameters: {x: [0, 1]}}\ntrainer: {batch_size: 64}\n", Path.of("job.yml"));
        assertEquals(10, DjlTrial.searchTrainer(withTrainer).epochs(), "a trainer section keeps the trainer's own default");
    }
}
