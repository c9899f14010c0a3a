package io.finegrained.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.search.Candidate;
import io.finegrained.search.Proposal;
import io.finegrained.search.TrialResult;
import io.finegrained.search.TrialStatus;
import io.finegrained.trial.CommandSegmentTrial;
import io.finegrained.trial.SegmentTrial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The asynchronous runner on a real local Spark with two task slots and real command trials. */
class SparkSegmentRunnerTest {
    private static final int BUDGET = 4;
    private final SparkSession spark = TestSpark.session();
    @TempDir
    Path tmp;

    /** Six trials of unequal speed; f1 at rung 1 is q + 1, so the two with q + 1 below 0.3 (3 and 5) stop there. */
    private static List<Map<String, Object>> values() {
        List<Map<String, Object>> values = new ArrayList<>();
        double[] q = {0.5, -0.6, 0.1, -0.9, 0.4, -0.8};
        long[] ms = {120, 60, 200, 90, 150, 60};
        for (int i = 0; i < q.length; i++) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("q", q[i]);
            v.put("ms", ms[i]);
            values.add(v);
        }
        return values;
    }

    private record Run(ThresholdSearcher searcher, SparkSegmentRunner runner, MiniAsyncLoop loop, Path dir, int replayed) {
    }

    private Run run(Path dir, int stopAfter, boolean resume) throws Exception {
        Files.createDirectories(dir.resolve("trials"));
        CommandSegmentTrial trial = new CommandSegmentTrial(SegmentPrograms.command(Integer.toString(BUDGET)), 60,
                dir.resolve("trials").toString());
        List<TrialResult> journaled = Journal.read(dir.resolve(Journal.FILE_NAME));
        List<Events.Event> recorded = Events.read(dir.resolve(Events.FILE_NAME));
        ThresholdSearcher searcher = new ThresholdSearcher(values(), 0.3);
        try (Journal journal = Journal.openForAppend(dir.resolve(Journal.FILE_NAME));
                Events events = Events.openForAppend(dir.resolve(Events.FILE_NAME))) {
            SparkSegmentRunner runner = new SparkSegmentRunner(spark, trial, false, dir.resolve("trials"), events);
            var segments = resume ? new ResumingSegmentRunner(runner, journaled, recorded) : runner;
            MiniAsyncLoop loop = new MiniAsyncLoop(new RecordingSearcher(searcher, journal, events, journaled), runner, segments,
                    stopAfter);
            loop.run();
            return new Run(searcher, runner, loop, dir, segments instanceof ResumingSegmentRunner r ? r.replayed() : 0);
        }
    }

    @Test
    void bothSlotsStayBusyAndEveryTrialGetsOneVerdict() throws Exception {
        Run run = run(tmp.resolve("run"), Integer.MAX_VALUE, false);
        assertEquals(2, run.runner().slots());
        assertEquals(2, run.loop().maxRunning);
        List<TrialResult> journal = Journal.read(run.dir().resolve(Journal.FILE_NAME));
        assertEquals(List.of(0, 1, 2, 3, 4, 5), journal.stream().map(TrialResult::id).sorted().toList(), "one row per trial");
        for (TrialResult r : journal) {
            double q = (Double) values().get(r.id()).get("q");
            if (q + 1.0 < 0.3) {
                assertEquals(TrialStatus.STOPPED, r.status(), "trial " + r.id());
                assertEquals(1, r.resource());
                assertEquals(q + 1.0, r.metrics().get("f1"), 1e-12, "the metrics of the rung it stopped at");
            } else {
                assertEquals(TrialStatus.OK, r.status(), "trial " + r.id());
                assertEquals(BUDGET, r.resource());
                assertEquals(q + 1.0 / BUDGET, r.metrics().get("f1"), 1e-12);
            }
            assertTrue(r.started() != null && r.finished() != null && !r.finished().isBefore(r.started()), r.toString());
            assertTrue(r.executor().startsWith("driver ("), r.executor());
            assertFalse(r.metrics().containsKey("resource"), "the resource is not a metric");
        }
        // Busy: until the last trial was proposed, every finished segment found the other slot busy.
        List<Events.Event> events = Events.read(run.dir().resolve(Events.FILE_NAME));
        int running = 0;
        int started = 0;
        for (Events.Event e : events) {
            if (e.type() == Events.Type.STARTED) {
                running++;
                if (e.resource() == 0) {
                    started++;
                }
            } else if (e.type() == Events.Type.RUNG) {
                if (started < values().size()) {
                    assertEquals(2, running, "a segment ended while the other slot was idle: " + e);
                }
                running--;
            }
        }
        Map<Integer, List<Events.Type>> perTrial = events.stream().collect(Collectors.groupingBy(Events.Event::id,
                Collectors.mapping(Events.Event::type, Collectors.toList())));
        assertEquals(List.of(Events.Type.STARTED, Events.Type.RUNG, Events.Type.STOPPED), perTrial.get(3));
        assertEquals(List.of(Events.Type.STARTED, Events.Type.RUNG, Events.Type.CONTINUED, Events.Type.STARTED,
                Events.Type.RUNG), perTrial.get(0));
        // Each unit of work trained once: the continued trial resumed from its own checkpoint.
        assertEquals(List.of("1", "2", "3", "4"), trained(run.dir(), 0));
        assertEquals(List.of("1"), trained(run.dir(), 3));
    }

    @Test
    void resumeRerunsNoFinishedRungAndEndsAsAnUninterruptedRun() throws Exception {
        Run whole = run(tmp.resolve("whole"), Integer.MAX_VALUE, false);
        Path dir = tmp.resolve("interrupted");
        run(dir, 5, false);
        int rowsBefore = Journal.read(dir.resolve(Journal.FILE_NAME)).size();
        assertTrue(rowsBefore < values().size(), "the first run was interrupted: " + rowsBefore + " rows");
        assertTrue(Events.read(dir.resolve(Events.FILE_NAME)).stream().anyMatch(e -> e.type() == Events.Type.INTERRUPTED));
        Run resumed = run(dir, Integer.MAX_VALUE, true);
        assertTrue(resumed.replayed() >= 4, "the segments the first run finished came from the record: " + resumed.replayed());
        assertEquals(verdicts(whole.dir()), verdicts(dir));
        for (int id = 0; id < values().size(); id++) {
            List<String> units = trained(dir, id);
            assertEquals(units.stream().distinct().toList(), units, "trial " + id + " trained a unit twice: " + units);
            assertEquals(trained(whole.dir(), id), units, "trial " + id);
        }
    }

    @Test
    void aProgramThatIgnoresTheContractTrainsItsWholeBudget() {
        CommandSegmentTrial trial = new CommandSegmentTrial(SegmentPrograms.command("3", "ignore"), 60, tmp.toString());
        Candidate c = new Candidate(0, 0, Map.of("q", 0.25, "ms", 20L));
        SegmentTrial.Outcome outcome = trial.runSegment(c, 0, 1, null);
        assertTrue(outcome.complete(), "no resource reported: the segment is the whole trial");
        assertEquals(Map.of("f1", 1.25), outcome.result().metrics());
        assertNull(outcome.checkpoint());
        SegmentTrial.Outcome rung = new CommandSegmentTrial(SegmentPrograms.command("3"), 60, tmp.resolve("b").toString())
                .runSegment(c, 0, 1, null);
        assertFalse(rung.complete());
        assertEquals(1, rung.result().resource());
        SegmentTrial.Outcome rest = new CommandSegmentTrial(SegmentPrograms.command("3"), 60, tmp.resolve("b").toString())
                .runSegment(c, 1, Proposal.FULL_BUDGET, null);
        assertTrue(rest.complete());
        assertEquals(3, rest.result().resource());
    }

    @Test
    void generationalResultsSayWhereAndWhenTheyRanToo() {
        List<TrialResult> arrived = new ArrayList<>();
        java.time.Instant before = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        new SparkTrialEvaluator(spark, FunctionTrial.normal()).evaluate(List.of(new Candidate(0, 0, Map.of("x", 0.1, "y", 0.5))),
                "one", arrived::add);
        TrialResult r = arrived.get(0);
        assertTrue(!r.started().isBefore(before) && !r.finished().isBefore(r.started()), r.toString());
        assertTrue(r.executor().startsWith("driver (") && r.executor().endsWith(")"), r.executor());
        TrialResult back = io.finegrained.trial.TrialJson.parseRow(io.finegrained.trial.TrialJson.row(r));
        assertEquals(r.started(), back.started());
        assertEquals(r.finished(), back.finished());
        assertEquals(r.executor(), back.executor());
    }

    @Test
    void aVerdictIsJournaledOnceAndReleasesTheTrialsCheckpoint() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("release"));
        SparkSegmentRunner runner = new SparkSegmentRunner(spark, new CommandSegmentTrial(List.of("true"), 5,
                dir.resolve("trials").toString()), false, dir.resolve("trials"), null);
        Path checkpoint = runner.checkpointFile(3);
        Files.createDirectories(checkpoint.getParent());
        Files.write(checkpoint, new byte[] {1, 2, 3});
        try (Journal journal = Journal.openForAppend(dir.resolve(Journal.FILE_NAME));
                Events events = Events.openForAppend(dir.resolve(Events.FILE_NAME))) {
            ThresholdSearcher inner = new ThresholdSearcher(values(), 0.3);
            RecordingSearcher searcher = new RecordingSearcher(inner, journal, events, List.of(), runner::release);
            TrialResult stopped = TrialResult.stopped(new Candidate(3, 0, values().get(3)), Map.of("f1", 0.1), 0.5, 1);
            assertTrue(Files.exists(checkpoint));
            searcher.tell(stopped);
            assertFalse(Files.exists(checkpoint), "nothing can continue a trial with a verdict");
            searcher.tell(stopped);
            assertEquals(2, inner.told.size(), "the searcher hears every tell");
        }
        List<TrialResult> rows = Journal.read(dir.resolve(Journal.FILE_NAME));
        assertEquals(1, rows.size(), "journaled once");
        assertEquals(TrialStatus.STOPPED, rows.get(0).status());
        assertEquals(1, rows.get(0).resource());
    }

    private static List<String> verdicts(Path dir) {
        return Journal.read(dir.resolve(Journal.FILE_NAME)).stream().sorted(Comparator.comparingInt(TrialResult::id))
                .map(r -> r.id() + " " + r.status() + " " + r.resource() + " " + r.metrics()).toList();
    }

    private static List<String> trained(Path dir, int id) throws Exception {
        Path log = dir.resolve("trials").resolve(Integer.toString(id)).resolve("checkpoint").resolve("trained.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }
}
