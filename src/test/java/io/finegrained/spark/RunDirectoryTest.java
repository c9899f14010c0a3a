package io.finegrained.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.config.JobConfig;
import io.finegrained.search.Candidate;
import io.finegrained.search.TrialResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
    @TempDir
    Path tmp;

    private JobConfig config(String extra) {
        return JobConfig.parse("# a comment\nsearch_space:\n  hyper_parameters:\n    x: {type: FLOAT, range: [0.0, 1.0]}\n" + extra,
                tmp.resolve("job.yml"));
    }

    private static TrialResult row(int id) {
        return TrialResult.ok(new Candidate(id, 0, Map.of("x", 0.5)), Map.of("f", 1.0), 0.1);
    }

    @Test
    void aRunDirectoryIsHeldByALockNamingItsHolder() throws Exception {
        Path dir = tmp.resolve("run");
        try (RunDirectory first = RunDirectory.open(dir, config(""), false)) {
            String holder = Files.readString(dir.resolve("run.lock"));
            assertTrue(holder.matches("host=\\S+ pid=" + ProcessHandle.current().pid() + " started=\\S+\n"), holder);
            RunRefusedException e = assertThrows(RunRefusedException.class, () -> RunDirectory.open(dir, config(""), true));
            assertTrue(e.getMessage().startsWith("the run directory " + dir + " is in use by another search (host="), e.getMessage());
        }
        RunDirectory.open(dir, config(""), true).close(); // released on close (and by the OS when a process dies)
    }

    @Test
    void resumeOnAMissingDirectoryStartsFresh() throws Exception {
        Path dir = tmp.resolve("new/run");
        try (RunDirectory d = RunDirectory.open(dir, config(""), true)) {
            assertEquals(List.of(), d.previousResults());
            assertTrue(Files.isDirectory(dir.resolve("trials")));
            assertEquals(config("").text(), Files.readString(dir.resolve("config.yml")));
        }
    }

    @Test
    void commentsAndLayoutMayChangeOnResumeValuesMayNot() throws Exception {
        Path dir = tmp.resolve("run");
        try (RunDirectory d = RunDirectory.open(dir, config("trial:\n  timeout_s: 60\n"), false)) {
            d.journal().append(row(0));
        }
        JobConfig reformatted = JobConfig.parse("search_space: {hyper_parameters: {x: {type: FLOAT, range: [0, 1]}}}\ntrial: {timeout_s: 60.0}\n",
                tmp.resolve("job.yml"));
        try (RunDirectory d = RunDirectory.open(dir, reformatted, true)) {
            assertEquals(1, d.previousResults().size());
        }
        RunRefusedException e = assertThrows(RunRefusedException.class,
                () -> RunDirectory.open(dir, config("trial:\n  timeout_s: 90\nspark:\n  master: local[2]\n"), true));
        assertTrue(e.getMessage().contains("\n  trial.timeout_s: 60 in the run, 90 now\n  spark: added ({master=local[2]})\n"), e.getMessage());
    }

    @Test
    void aTornLastLineIsNotATrialAndIsCutOnReopening() throws Exception {
        Path dir = tmp.resolve("run");
        try (RunDirectory d = RunDirectory.open(dir, config(""), false)) {
            d.journal().append(row(0));
            d.journal().append(row(1));
        }
        Path journal = dir.resolve("trials.jsonl");
        Files.writeString(journal, "{\"id\": 2, \"generation\": 0, \"sta", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        assertEquals(2, Journal.read(journal).size());
        try (RunDirectory d = RunDirectory.open(dir, config(""), true)) {
            assertEquals(2, d.previousResults().size());
            d.journal().append(row(2));
        }
        assertEquals(List.of(0, 1, 2), Journal.read(journal).stream().map(TrialResult::id).toList());
    }

    @Test
    void aDamagedLineInsideTheJournalIsNamed() throws Exception {
        Path journal = tmp.resolve("trials.jsonl");
        Files.writeString(journal, "{\"id\": 0}\n{}\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Journal.read(journal));
        assertEquals(journal + " line 1: no field 'generation' (the journal was edited or damaged)", e.getMessage());
    }

    @Test
    void theDefaultDirectoryIsNamedAfterTheConfigAndTheUtcTime() {
        assertTrue(RunDirectory.defaultPath(config("")).toString().matches("runs/job-\\d{8}-\\d{6}"));
    }
}
