package io.finegrained.trial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.search.Candidate;
import io.finegrained.search.Proposal;
import io.finegrained.search.TrialResult;
import io.finegrained.search.TrialStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A DJL trial trained in segments (1 epoch, then the rest) ends as the same trial trained at once. */
class DjlSegmentTest {
    static final Path JOB = Path.of(System.getProperty("project.root", "."), "src/test/resources/jobs/tiny_djl_segments.yml")
            .toAbsolutePath();

    @TempDir
    Path tmp;

    private DjlTrial trial(Path trials) throws Exception {
        return new DjlTrial(Files.readString(JOB), JOB.toString(), trials.toString(), 600, DeviceChoice.CPU);
    }

    private static Candidate candidate() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("init.init_plane", 4L);
        values.put("trainer.lr", 0.05);
        return new Candidate(7, 0, values);
    }

    private static byte[] parameters(Path trials) throws Exception {
        return Files.readAllBytes(trials.resolve("7/model/model-0000.params"));
    }

    @Test
    void segmentsEndAsAnUninterruptedTrialAndSaveTheirState() throws Exception {
        TrialResult whole = GuardedTrial.run(trial(tmp.resolve("whole")), candidate());
        assertEquals(TrialStatus.OK, whole.status(), whole.error());
        assertEquals(3, whole.resource(), "the epochs trained");

        DjlTrial segmented = trial(tmp.resolve("segmented"));
        SegmentTrial.Outcome first = segmented.runSegment(candidate(), 0, 1, null);
        assertEquals(TrialStatus.OK, first.result().status(), first.result().error());
        assertEquals(1, first.result().resource());
        assertFalse(first.complete());
        assertNotNull(first.checkpoint());
        assertTrue(Files.exists(DjlTrial.checkpointFile(tmp.resolve("segmented/7"))), "saved in the trial's folder too");
        // The rest from the bytes alone, as on an executor that cannot read the run directory.
        SegmentTrial.Outcome rest = trial(tmp.resolve("elsewhere")).runSegment(candidate(), 1, Proposal.FULL_BUDGET,
                first.checkpoint());
        assertEquals(TrialStatus.OK, rest.result().status(), rest.result().error());
        assertEquals(3, rest.result().resource());
        assertTrue(rest.complete());
        assertNull(rest.checkpoint(), "nothing to continue");
        assertArrayEquals(parameters(tmp.resolve("whole")), parameters(tmp.resolve("elsewhere")));
        assertEquals(whole.metrics().get("accuracy"), rest.result().metrics().get("accuracy"));
        assertEquals(whole.metrics().get("loss"), rest.result().metrics().get("loss"));
        String log = Files.readString(tmp.resolve("elsewhere/7/trial.log"));
        assertTrue(log.contains("epochs 1 -> all 3"), log);
        assertFalse(log.contains("epoch 1/3"), "epoch 1 was not trained again: " + log);
    }
}
