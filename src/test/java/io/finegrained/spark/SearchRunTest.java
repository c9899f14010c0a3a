package io.finegrained.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.config.JobConfig;
import io.finegrained.search.Objective;
import io.finegrained.search.TrialResult;
import io.finegrained.search.TrialStatus;
import io.finegrained.trial.TrialRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver loop's own logic, with trials run in-process ({@link InlineEvaluator}). */
class SearchRunTest {
    static final List<Objective> OBJECTIVES = List.of(new Objective("f1", Objective.Direction.MIN),
            new Objective("f2", Objective.Direction.MIN));
    static final String CONFIG = "search_space:\n  hyper_parameters:\n    x: {type: FLOAT, range: [0.0, 1.0]}\n"
            + "    y: {type: FLOAT, range: [0.0, 1.0]}\n";

    @TempDir
    Path tmp;
    final ByteArrayOutputStream log = new ByteArrayOutputStream();

    private SearchRun.Summary run(Path dir, boolean resume, TinyAlgorithm algorithm, Supplier<TrialEvaluator> evaluator) throws Exception {
        JobConfig config = JobConfig.parse(CONFIG, tmp.resolve("job.yml"));
        try (RunDirectory directory = RunDirectory.open(dir, config, resume)) {
            Progress progress = new Progress(new PrintStream(log, true), OBJECTIVES, 3, 24);
            return new SearchRun(new io.finegrained.search.Generations(algorithm, 0), OBJECTIVES, directory, evaluator, 0.5, progress).run();
        }
    }

    private SearchRun.Summary run(Path dir, TrialRunner runner) throws Exception {
        return run(dir, false, new TinyAlgorithm(7, 8, 3), () -> new InlineEvaluator(runner));
    }

    /** Journal rows without the wall time, for comparing runs. */
    private static List<String> rows(Path dir) {
        return Journal.read(dir.resolve(Journal.FILE_NAME)).stream()
                .map(r -> r.id() + " " + r.generation() + " " + r.status() + " " + r.hyperparameters() + " " + r.metrics() + " " + r.error())
                .collect(Collectors.toList());
    }

    @Test
    void everyTrialIsJournaledOnceAndToldInIdOrder() throws Exception {
        TinyAlgorithm algorithm = new TinyAlgorithm(7, 8, 3);
        SearchRun.Summary summary = run(tmp.resolve("run"), false, algorithm, () -> new InlineEvaluator(FunctionTrial.normal(), Integer.MAX_VALUE, true));
        List<TrialResult> journal = Journal.read(tmp.resolve("run").resolve(Journal.FILE_NAME));
        assertEquals(24, journal.size());
        assertEquals(24, summary.ran());
        for (int i = 0; i < 24; i++) {
            assertEquals(i, journal.get(i).id(), "ids are 0.. in ask order, each delivered twice and kept once");
            assertEquals(i / 8, journal.get(i).generation());
        }
        assertEquals(journal.stream().map(TrialResult::id).toList(), algorithm.toldIds());
        assertFalse(summary.front().isEmpty());
        assertTrue(log.toString().contains("[gen 3/3] 8/8 done · total 24/24"), log.toString());
    }

    @Test
    void aResumedRunRunsOnlyTheMissingTrialsAndEndsAsAnUninterruptedOne() throws Exception {
        Path whole = tmp.resolve("whole");
        run(whole, FunctionTrial.normal());

        Path crashed = tmp.resolve("crashed");
        assertThrows(RunStoppedException.class,
                () -> run(crashed, false, new TinyAlgorithm(7, 8, 3), () -> new InlineEvaluator(FunctionTrial.normal(), 11, false)));
        assertEquals(11, rows(crashed).size());
        SearchRun.Summary resumed = run(crashed, true, new TinyAlgorithm(7, 8, 3), () -> new InlineEvaluator(FunctionTrial.normal()));

        assertEquals(13, resumed.ran(), "the 11 journaled trials are not run again");
        assertEquals(rows(whole), rows(crashed));
        assertEquals(24, resumed.results().size());
        assertTrue(log.toString().contains("resuming: 11 trials replayed from the journal; 5 of generation 2 to run"), log.toString());
    }

    @Test
    void resumingAFinishedRunStartsNoEngine() throws Exception {
        Path dir = tmp.resolve("run");
        SearchRun.Summary first = run(dir, FunctionTrial.normal());
        SearchRun.Summary again = run(dir, true, new TinyAlgorithm(7, 8, 3), () -> {
            throw new AssertionError("no trial may run");
        });
        assertEquals(0, again.ran());
        assertEquals(first.front().stream().map(TrialResult::id).toList(), again.front().stream().map(TrialResult::id).toList());
    }

    @Test
    void aJournalFromAnotherAlgorithmIsRefused() throws Exception {
        Path dir = tmp.resolve("run");
        run(dir, FunctionTrial.normal());
        RunStoppedException e = assertThrows(RunStoppedException.class,
                () -> run(dir, true, new TinyAlgorithm(8, 8, 3), () -> new InlineEvaluator(FunctionTrial.normal())));
        assertTrue(e.userError());
        assertTrue(e.getMessage().startsWith("cannot resume: trial 0 in the journal"), e.getMessage());
    }

    @Test
    void tooManyFailuresInAGenerationStopTheRunResumably() throws Exception {
        Path dir = tmp.resolve("run");
        RunStoppedException e = assertThrows(RunStoppedException.class,
                () -> run(dir, new FunctionTrial(FunctionTrial.Behaviour.THROW_ALWAYS, 0)));
        assertFalse(e.userError());
        assertTrue(e.getMessage().startsWith("stopped: 5 of the 8 trials of generation 1 failed, more than the threshold"
                + " (trial.failure_threshold = 0.5 of a generation); the last reason: IllegalStateException: diverged: loss is NaN"), e.getMessage());
        assertTrue(e.getMessage().contains("--resume"), e.getMessage());
        List<TrialResult> journal = Journal.read(dir.resolve(Journal.FILE_NAME));
        assertEquals(5, journal.size());
        assertTrue(journal.stream().allMatch(r -> r.status() == TrialStatus.FAILED && r.metrics().isEmpty()));
    }

    @Test
    void anOkTrialWithoutAnObjectiveStopsTheRunNamingIt() throws Exception {
        Path dir = tmp.resolve("run");
        RunStoppedException e = assertThrows(RunStoppedException.class,
                () -> run(dir, new FunctionTrial(FunctionTrial.Behaviour.OMIT_F2, 0)));
        assertTrue(e.userError());
        assertTrue(e.getMessage().contains("trial 0 succeeded but did not report the objective 'f2' (it reported [f1])"), e.getMessage());
        assertEquals(List.of(), rows(dir), "that result is not journaled: a fixed program reruns it on --resume");
    }

    @Test
    void aNonFiniteObjectiveIsAFailedTrial() throws Exception {
        Path dir = tmp.resolve("run");
        run(dir, new FunctionTrial(FunctionTrial.Behaviour.NAN_F1, 0));
        TrialResult first = Journal.read(dir.resolve(Journal.FILE_NAME)).get(0);
        assertEquals(TrialStatus.FAILED, first.status());
        assertEquals("the objective 'f1' is NaN", first.error());
    }

    @Test
    void aStopRequestEndsTheRunWithAConsistentJournal() throws Exception {
        Path dir = tmp.resolve("run");
        JobConfig config = JobConfig.parse(CONFIG, tmp.resolve("job.yml"));
        try (RunDirectory directory = RunDirectory.open(dir, config, false)) {
            SearchRun[] holder = new SearchRun[1];
            TrialRunner stopsAtFour = c -> {
                if (c.id() == 4) {
                    holder[0].stop("interrupted");
                }
                return FunctionTrial.normal().run(c);
            };
            holder[0] = new SearchRun(new io.finegrained.search.Generations(new TinyAlgorithm(7, 8, 3), 0), OBJECTIVES, directory,
                    () -> new InlineEvaluator(stopsAtFour), 0.5, new Progress(new PrintStream(log, true), OBJECTIVES, 3, 24));
            RunStoppedException e = assertThrows(RunStoppedException.class, holder[0]::run);
            assertTrue(e.getMessage().startsWith("stopped: interrupted"), e.getMessage());
        }
        assertEquals(5, rows(dir).size(), "the result that arrived with the stop is kept");
    }
}
