package io.finegrained.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.search.TrialResult;
import io.finegrained.search.TrialStatus;
import io.finegrained.spark.Events;
import io.finegrained.spark.Journal;
import io.finegrained.spark.SegmentPrograms;
import io.finegrained.spark.SparkSegmentRunner;
import io.finegrained.trial.TestPrograms;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/**
 * {@code finegrained search} with an asynchronous, early-stopping algorithm and command trials on
 * {@code local[2]}: the real loop (SearchJob → AsyncSearchRun → AsyncLoop → SparkSegmentRunner).
 */
@Tag("slow")
class AsyncSearchCommandTest {
    private static final int SAMPLES = 6;
    private static final int BUDGET = 3;
    @TempDir
    Path tmp;
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();
    private final ByteArrayOutputStream out = console.out();
    private final ByteArrayOutputStream err = console.err();

    private Path job(String name, List<String> command, String algorithm) throws Exception {
        return job(name, command, algorithm, "{f1: min}");
    }

    private Path job(String name, List<String> command, String algorithm, String objectives) throws Exception {
        String program = command.stream().map(p -> '"' + p + '"').collect(Collectors.joining(", "));
        Path file = tmp.resolve(name + ".yml");
        Files.writeString(file, "search_algorithm: " + algorithm + "\n"
                + "search_space:\n  hyper_parameters:\n    q: {type: FLOAT, range: [-1.0, 1.0]}\n    ms: {type: INT, range: [20, 60]}\n"
                + "trial: {type: command, command: [" + program + "], timeout_s: 60}\n"
                + "objectives: " + objectives + "\n");
        return file;
    }

    private static String asha() {
        return "{type: AsyncRandomSearch, population: 3, samples: " + SAMPLES + ", seed: 4,"
                + " scheduler: {type: ASHA, eta: 3, min_resource: 1, max_resource: " + BUDGET + "}}";
    }

    @Test
    void aScriptThatIgnoresTheRungContractRunsEveryTrialAtItsFullBudget() throws Exception {
        // The control: the same search with a program that follows the contract stops some trials at rung 1.
        Path follows = tmp.resolve("follows");
        assertEquals(0, Main.run("search", job("follows", SegmentPrograms.command(Integer.toString(BUDGET)), asha()).toString(),
                "--output", follows.toString(), "--master", "local[2]"), err.toString());
        List<TrialResult> control = Journal.read(follows.resolve(Journal.FILE_NAME));
        assertEquals(SAMPLES, control.size());
        assertTrue(control.stream().anyMatch(r -> r.status() == TrialStatus.STOPPED), "ASHA stops some: " + control);
        assertTrue(out.toString().contains("stopped early"), out.toString());

        out.reset();
        err.reset();
        Path ignores = tmp.resolve("ignores");
        assertEquals(0, Main.run("search", job("ignores", SegmentPrograms.command(Integer.toString(BUDGET), "ignore"), asha())
                .toString(), "--output", ignores.toString(), "--master", "local[2]"), err.toString());
        List<TrialResult> journal = Journal.read(ignores.resolve(Journal.FILE_NAME));
        assertEquals(List.of(0, 1, 2, 3, 4, 5), journal.stream().map(TrialResult::id).sorted().toList(), "one row per trial");
        for (TrialResult r : journal) {
            assertEquals(TrialStatus.OK, r.status(), r.toString());
            double q = ((Number) r.hyperparameters().get("q")).doubleValue();
            assertEquals(q + 1.0, r.metrics().get("f1"), 1e-12, "the metrics of its whole budget: " + r);
            assertEquals(0, r.resource(), "the program did not say its resource: " + r);
        }
        assertFalse(out.toString().contains("stopped early"), out.toString());
        // Events: one segment per trial, its result the verdict; nothing judged, continued or stopped.
        List<Events.Event> events = Events.read(ignores.resolve(Events.FILE_NAME));
        Map<Integer, List<Events.Type>> perTrial = events.stream().collect(Collectors.groupingBy(Events.Event::id, TreeMap::new,
                Collectors.mapping(Events.Event::type, Collectors.toList())));
        for (int id = 0; id < SAMPLES; id++) {
            assertEquals(List.of(Events.Type.STARTED, Events.Type.RUNG), perTrial.get(id), "trial " + id + ": " + events);
        }
        for (Events.Event e : events) {
            if (e.type() == Events.Type.STARTED) {
                assertEquals(1, e.to(), "sent to rung 1, as ASHA asks: " + e);
            } else {
                assertEquals(SparkSegmentRunner.COMPLETE, e.detail(), e.toString());
                TrialResult row = journal.stream().filter(r -> r.id() == e.id()).findFirst().orElseThrow();
                assertEquals(row.metrics(), e.metrics(), "the rung's metrics are the verdict's");
            }
        }
        // The progress line: every verdict at its full budget, no rung below it.
        String last = lastProgressLine(err.toString());
        assertTrue(last.startsWith("[async] " + SAMPLES + "/" + SAMPLES + " done · rungs full×" + SAMPLES + " · busy "), last);
    }

    @Test
    void anAsyncRunWhoseCandidatesAllFailStopsAsTheGenerationalRunDoes() throws Exception {
        List<String> failing = TestPrograms.command("fail");
        int generational = Main.run("search", job("gen", failing, "{type: RandomSearch, samples: 4, seed: 4}").toString(),
                "--output", tmp.resolve("gen").toString(), "--master", "local[2]");
        String generationalErr = err.toString();
        err.reset();
        int asynchronous = Main.run("search", job("async", failing, "{type: AsyncRandomSearch, population: 4, samples: 12, seed: 4}")
                .toString(), "--output", tmp.resolve("async").toString(), "--master", "local[2]");
        String asyncErr = err.toString();

        assertEquals(1, generational, generationalErr);
        assertEquals(generational, asynchronous, asyncErr);
        assertTrue(generationalErr.contains("finegrained: stopped: 3 of the 4 trials of generation 1 failed, more than the threshold"
                + " (trial.failure_threshold = 0.5 of a generation); the last reason: exit code 3"), generationalErr);
        assertTrue(asyncErr.contains("finegrained: stopped: 3 of the last 4 verdicts failed, more than the threshold"
                + " (trial.failure_threshold = 0.5 of the last 4 verdicts, the asynchronous run's window); the last reason: exit code 3"),
                asyncErr);
        assertTrue(asyncErr.contains("ValueError: x="), "the reason's tail: " + asyncErr);
        assertTrue(asyncErr.contains("--resume"), asyncErr);
        // The verdict that tripped the rule is journaled, as the generational run journals its third failure.
        List<TrialResult> rows = Journal.read(tmp.resolve("async").resolve(Journal.FILE_NAME));
        assertEquals(3, rows.size(), rows.toString());
        assertTrue(rows.stream().allMatch(r -> r.status() == TrialStatus.FAILED), rows.toString());
        assertTrue(asyncErr.contains("[async] 3/12 done, 3 failed · rungs - · busy "), asyncErr);
    }

    @Test
    void aTrialThatDoesNotReportAnObjectiveStopsTheAsyncRunWithExit2() throws Exception {
        Path conf = job("omit", TestPrograms.command("omit"), "{type: AsyncRandomSearch, population: 2, samples: 4, seed: 4}",
                "{f1: min, f2: min}");
        Path run = tmp.resolve("omit-run");
        assertEquals(2, Main.run("search", conf.toString(), "--output", run.toString(), "--master", "local[2]"), err.toString());
        assertTrue(err.toString().contains("did not report the objective 'f2' (it reported [f1])"), err.toString());
        assertEquals(List.of(), Journal.read(run.resolve(Journal.FILE_NAME)), "no verdict: the trial runs again once fixed");
    }

    private static final Pattern PROGRESS = Pattern.compile("(?m)^\\[async] .*$");

    private static String lastProgressLine(String text) {
        Matcher m = PROGRESS.matcher(text);
        String last = null;
        while (m.find()) {
            last = m.group();
        }
        assertTrue(last != null, "no progress line in: " + text);
        return last;
    }
}
