package io.finegrained.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.config.JobConfig;
import io.finegrained.job.Job;
import io.finegrained.search.TrialResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --resume} of an interrupted asynchronous run on local Spark, through the real driver
 * (SearchJob → AsyncSearchRun → AsyncLoop, ASHA, command trials that follow the rung contract):
 * every decision the interrupted run recorded is made again (a changed one is refused), and no
 * finished rung trains again.
 */
class AsyncResumeTest {
    private static final int SAMPLES = 8;
    private static final int BUDGET = 3;
    private static final int STOP_AFTER = 3;
    @TempDir
    Path tmp;

    private Path conf() throws IOException {
        String program = SegmentPrograms.command(Integer.toString(BUDGET)).stream().map(p -> '"' + p + '"')
                .collect(Collectors.joining(", "));
        Path file = tmp.resolve("async.yml");
        Files.writeString(file, "search_algorithm: {type: AsyncRandomSearch, population: 4, samples: " + SAMPLES + ", seed: 2,"
                + " scheduler: {type: ASHA, eta: 3, min_resource: 1, max_resource: " + BUDGET + "}}\n"
                + "search_space:\n  hyper_parameters:\n    q: {type: FLOAT, range: [-1.0, 1.0]}\n    ms: {type: INT, range: [60, 160]}\n"
                + "trial: {type: command, command: [" + program + "], timeout_s: 60}\n"
                + "objectives: {f1: min}\n");
        return file;
    }

    /** The job on the tests' local[2] session; with {@code stopAfter} > 0 it is interrupted after that many verdicts. */
    private static SearchRun.Summary run(Path conf, Path output, boolean resume, int stopAfter) throws Exception {
        AtomicReference<SearchJob> job = new AtomicReference<>();
        AtomicInteger verdicts = new AtomicInteger();
        job.set(new SearchJob(Job.of(JobConfig.load(conf)), SearchSetup::from, new PrintStream(new ByteArrayOutputStream(), true),
                new PrintStream(new ByteArrayOutputStream(), true)));
        return job.get().run(new SearchJob.Options(output, null, resume, TestSpark.session(), r -> {
            if (verdicts.incrementAndGet() == stopAfter) {
                job.get().stop("the test interrupts the driver");
            }
        }));
    }

    @Test
    void resumeMakesEveryRecordedDecisionAgainAndTrainsNoFinishedRungTwice() throws Exception {
        Path conf = conf();
        Path dir = tmp.resolve("run");
        RunStoppedException stopped = assertThrows(RunStoppedException.class, () -> run(conf, dir, false, STOP_AFTER));
        assertTrue(stopped.getMessage().startsWith("stopped: the test interrupts the driver"), stopped.getMessage());
        assertEquals(STOP_AFTER, Journal.read(dir.resolve(Journal.FILE_NAME)).size());
        List<Events.Event> first = Events.read(dir.resolve(Events.FILE_NAME));
        assertTrue(first.stream().anyMatch(e -> e.type() == Events.Type.INTERRUPTED), "a segment was running: " + first);
        List<Events.Event> decisions = first.stream().filter(AsyncResumeTest::isDecision).toList();
        assertTrue(decisions.stream().anyMatch(e -> e.type() == Events.Type.CONTINUED), "a trial went on past rung 1: " + first);
        Path tampered = copy(dir, tmp.resolve("tampered"));

        SearchRun.Summary resumed = run(conf, dir, true, 0);
        assertEquals(SAMPLES, resumed.results().size());
        assertEquals(SAMPLES - STOP_AFTER, resumed.ran(), "the journaled verdicts did not run again");
        List<TrialResult> journal = Journal.read(dir.resolve(Journal.FILE_NAME));
        assertEquals(SAMPLES, journal.size(), "one row per trial: " + journal);
        assertEquals(SAMPLES, journal.stream().map(TrialResult::id).distinct().count());

        List<Events.Event> all = Events.read(dir.resolve(Events.FILE_NAME));
        assertEquals(first, all.subList(0, first.size()), "append-only");
        // Every decision once: those recorded were made again (not written twice, and equal: else refused, below).
        Map<String, Long> decided = count(all.stream().filter(AsyncResumeTest::isDecision));
        assertTrue(decided.values().stream().allMatch(n -> n == 1), "a decision written twice: " + decided);
        for (Events.Event d : decisions) {
            assertTrue(decided.containsKey(key(d)), d.toString());
        }
        // No finished rung ran again: one rung result per trial and resource, each unit trained once.
        Map<String, Long> rungs = count(all.stream().filter(e -> e.type() == Events.Type.RUNG));
        assertTrue(rungs.values().stream().allMatch(n -> n == 1), "a rung reached twice: " + rungs);
        for (TrialResult row : journal) {
            int id = row.id();
            List<String> units = trained(dir, id);
            assertEquals(units.stream().distinct().toList(), units, "trial " + id + " trained a unit twice: " + units);
            assertEquals(row.resource(), units.size(), "trained up to its verdict's resource: " + row);
        }

        // The check is real: a record whose decision the searcher does not make again is refused.
        Events.Event continued = decisions.stream().filter(e -> e.type() == Events.Type.CONTINUED).findFirst().orElseThrow();
        Path events = tampered.resolve(Events.FILE_NAME);
        List<String> lines = new ArrayList<>(Files.readAllLines(events));
        String line = lines.get((int) continued.seq());
        assertTrue(line.contains("\"continued\""), line);
        lines.set((int) continued.seq(), line.replace("\"continued\"", "\"stopped\""));
        Files.write(events, lines);
        RunStoppedException refused = assertThrows(RunStoppedException.class, () -> run(conf, tampered, true, 0));
        assertTrue(refused.userError(), "a refusal, exit 2");
        assertTrue(refused.getMessage().startsWith("cannot resume: trial " + continued.id() + " was stopped at resource "
                + continued.resource() + " (events.jsonl row " + continued.seq() + ")"), refused.getMessage());
    }

    private static boolean isDecision(Events.Event e) {
        return e.type() == Events.Type.CONTINUED || e.type() == Events.Type.STOPPED;
    }

    private static String key(Events.Event e) {
        return e.id() + "@" + e.resource();
    }

    private static Map<String, Long> count(Stream<Events.Event> events) {
        return events.collect(Collectors.groupingBy(AsyncResumeTest::key, TreeMap::new, Collectors.counting()));
    }

    private static List<String> trained(Path dir, int id) throws IOException {
        Path log = dir.resolve("trials").resolve(Integer.toString(id)).resolve("checkpoint").resolve("trained.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals("run.lock")) {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }
}
