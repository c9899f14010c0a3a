package io.finegrained.trial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.finegrained.config.JobConfig;
import io.finegrained.search.Candidate;
import io.finegrained.search.TrialResult;
import io.finegrained.search.TrialStatus;
import io.finegrained.space.InvalidCandidateException;
import io.finegrained.train.Datasets;
import io.finegrained.train.LoadedData;
import io.finegrained.train.ModelExport;
import io.finegrained.train.SettingException;
import io.finegrained.train.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one training path of {@code train} and the DJL trial, on the tiny job of DjlTrialTest (real DJL trainings). */
class CandidateTrainingTest {
    private static final Path JOB = DjlTrialTest.JOB;

    @TempDir
    Path dir;

    private static TrainingJob job() throws Exception {
        return DjlTrial.job(Files.readString(JOB), JOB.toString());
    }

    private static Map<String, Object> values(long plane, double lr) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("init.init_plane", plane);
        values.put("trainer.lr", lr);
        return values;
    }

    @Test
    void valuesResolveIntoTheNetworkAndTheTrainerSettings() throws Exception {
        CandidateTraining candidate = CandidateTraining.prepare(job(), values(8, 0.05));
        assertEquals(0.05, candidate.trainer().learningRate());
        assertEquals(1, candidate.trainer().epochs(), "the rest is the job's trainer");
        assertEquals(8 * 9 + 8 * 2 + 8 * 10 + 10, candidate.summary().params());
        assertEquals("178 params, 56,528 MACs", candidate.sizeText());
        assertTrue(candidate.resolvedYaml().contains("init_plane: 8") && candidate.resolvedYaml().contains("  lr: 0.05\n"),
                candidate.resolvedYaml());

        CandidateTraining defaults = CandidateTraining.prepare(job(), Map.of());
        assertEquals(job().space().defaults(), defaults.network(), "no values: the space's default network");
        assertEquals(job().trainer(), defaults.trainer(), "no values: the job's trainer settings");
    }

    @Test
    void aCandidateWithoutANetworkOrWithABadSettingIsRefusedBeforeTraining() throws Exception {
        assertThrows(InvalidCandidateException.class, () -> CandidateTraining.prepare(job(), values(0, 0.05)));
        SettingException e = assertThrows(SettingException.class, () -> CandidateTraining.prepare(job(), values(4, -1.0)));
        assertEquals("lr", e.key());
    }

    @Test
    void theTrialTrainsExactlyWhatThePathTrains() throws Exception {
        // The DJL trial adds its log, lock and time-out around this path and nothing else: same seed,
        // same threads, so the same losses to the last bit.
        TrainingJob job = job();
        LoadedData data = Datasets.load(job.dataset());
        Path export = dir.resolve("model");
        CandidateOutcome direct = CandidateTraining.prepare(job, values(4, 0.05))
                .train(data, Split.VALIDATION, Device.cpu(), null, null, export);
        assertTrue(direct.ok(), direct.reason());
        assertEquals(CandidateTraining.prepare(job, values(4, 0.05)).resolvedYaml(), ModelExport.readYaml(export));

        DjlTrial trial = new DjlTrial(Files.readString(JOB), JOB.toString(), dir.resolve("trials").toString(), 600,
                DeviceChoice.CPU);
        TrialResult viaTrial = GuardedTrial.run(trial, new Candidate(7, 0, values(4, 0.05)));
        assertEquals(TrialStatus.OK, viaTrial.status(), viaTrial.error());
        assertEquals(direct.metrics().get("loss"), viaTrial.metrics().get("loss"));
        assertEquals(direct.metrics().get("accuracy"), viaTrial.metrics().get("accuracy"));
        assertEquals(direct.metrics().keySet(), viaTrial.metrics().keySet());
        assertEquals(direct.summary().macs(), viaTrial.metrics().get("macs"));
    }

    @Test
    void aPreparedCandidateTrainsOnce() throws Exception {
        TrainingJob job = job();
        CandidateTraining candidate = CandidateTraining.prepare(job, values(2, 0.05));
        LoadedData data = Datasets.load(job.dataset());
        assertTrue(candidate.train(data, Split.TEST, Device.cpu(), null, null, null).ok());
        assertThrows(IllegalStateException.class, () -> candidate.train(data, Split.TEST, Device.cpu(), null, null, null));
    }
}
