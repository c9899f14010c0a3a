package io.finegrained.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.search.Candidate;
import io.finegrained.search.Objective;
import io.finegrained.search.Proposal;
import io.finegrained.search.SegmentRunner;
import io.finegrained.search.TrialResult;
import io.finegrained.trial.CommandSegmentTrial;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The asynchronous progress line: verdict counts, rungs, busy slots (from Spark's task events), the best
 * values and the front (of OK verdicts: a STOPPED trial's low-rung metrics do not enter it).
 */
class AsyncProgressTest {
    @TempDir
    Path tmp;

    private static Candidate trial(int id, double f1, double f2) {
        return new Candidate(id, 0, Map.of("x", f1, "y", f2));
    }

    @Test
    void theLineCountsVerdictsRungsBusySlotsAndTheFront() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress progress = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                List.of(new Objective("f1", Objective.Direction.MIN), new Objective("f2", Objective.Direction.MIN)), 3, 12);
        progress.asyncReplayed(TrialResult.ok(trial(0, 0.5, 0.5), Map.of("f1", 0.5, "f2", 0.5), 1.0).ranAt(9, null, null, null));
        Map<Integer, Integer> rungs = new TreeMap<>(Map.of(1, 3, 3, 1, 9, 1));
        progress.asyncFinished(TrialResult.stopped(trial(1, 0.9, 0.1), Map.of("f1", 0.9, "f2", 0.1), 2.0, 1), rungs, 2, 2);
        progress.asyncFinished(TrialResult.failed(trial(2, 0, 0), "exit code 3", 0.5), rungs, 1, 2);
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length, "a replayed verdict is counted, not printed: " + List.of(lines));
        assertTrue(lines[0].startsWith("[async] 2/12 done, 1 stopped · rungs 1×3 3×1 9×1 · busy 2/2 · best f1 0.5, f2 0.5 (front 1) · "),
                lines[0]);
        assertTrue(lines[0].endsWith(" · #1 STOPPED 2.0 s at 1"), lines[0]);
        assertTrue(lines[1].startsWith("[async] 3/12 done, 1 failed, 1 stopped · rungs 1×3 3×1 9×1 · busy 1/2 · "), lines[1]);
        assertTrue(lines[1].endsWith(" · #2 FAILED 0.5 s: exit code 3"), lines[1]);
    }

    @Test
    void busyCountsTheSegmentsRunningNotThoseQueuedInSpark() throws Exception {
        // local[2]: two task slots; one segment queued ahead waits in Spark's scheduler.
        SparkSegmentRunner runner = new SparkSegmentRunner(TestSpark.session(),
                new CommandSegmentTrial(SegmentPrograms.command("2"), 60, tmp.toString()), false, tmp, null).queueAhead(1);
        assertEquals(2, runner.trainingSlots());
        assertEquals(3, runner.slots());
        assertEquals(0, runner.busy());
        for (int id = 0; id < 3; id++) {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("q", 0.1 * id);
            values.put("ms", 1500L);
            runner.start(new Candidate(id, 0, values), 0, Proposal.FULL_BUDGET);
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        int most = 0;
        while (System.nanoTime() < deadline && most < 2) {
            most = Math.max(most, runner.busy());
            Thread.sleep(20);
        }
        assertEquals(2, most, "both slots run a segment");
        for (int i = 0; i < 20; i++) {
            assertTrue(runner.busy() <= 2, "the queued segment is not busy");
            Thread.sleep(20);
        }
        SegmentRunner.Segment first = runner.next();
        assertTrue(first.result().isOk(), first.toString());
        int done = 1;
        // Two left; the queued one has started now, so both slots are busy again until the next ends.
        while (done < 3) {
            assertTrue(runner.busy() <= 3 - done, "at most the segments left");
            runner.next();
            done++;
        }
        assertEquals(0, runner.busy());
    }
}
