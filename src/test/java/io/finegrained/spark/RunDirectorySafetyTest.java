package io.finegrained.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.config.JobConfig;
import io.finegrained.search.Candidate;
import io.finegrained.search.TrialResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A directory that is not a run of finegrained is never written to (issue #14, part 4). */
class RunDirectorySafetyTest {
    @TempDir
    Path tmp;

    private JobConfig config() {
        return JobConfig.parse("search_space:\n  hyper_parameters:\n    x: {type: FLOAT, range: [0.0, 1.0]}\n", tmp.resolve("job.yml"));
    }

    /** Every file and folder under dir with its bytes and modification time: "untouched" is this, unchanged. */
    private static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                FileTime time = Files.getLastModifiedTime(p);
                String content = Files.isRegularFile(p) ? new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1) : "<dir>";
                all.put(dir.relativize(p).toString(), time.toMillis() + ":" + content);
            }
        }
        return all;
    }

    private Path usersFolder() throws IOException {
        Path dir = tmp.resolve("mine");
        Files.createDirectories(dir.resolve("trials/0"));
        Files.writeString(dir.resolve("config.yml"), "my own settings, not a job file\n");
        Files.writeString(dir.resolve("trials/0/data.csv"), "a,b\n1,2\n");
        Files.writeString(dir.resolve("notes.txt"), "keep me\n");
        return dir;
    }

    @Test
    void aNonEmptyFolderThatIsNotARunIsRefusedAndLeftUntouched() throws Exception {
        Path dir = usersFolder();
        Map<String, String> before = snapshot(dir);
        for (boolean resume : new boolean[] {false, true}) {
            RunRefusedException e = assertThrows(RunRefusedException.class, () -> RunDirectory.open(dir, config(), resume));
            assertEquals("the run directory " + dir + " is not empty and is not a run of finegrained: it holds 3 entries "
                    + "(config.yml, notes.txt, trials/) and no finegrained.run (the file every run of finegrained starts with); "
                    + "nothing in it was changed. Choose a new or empty folder with --output (e.g. " + dir.resolve("run") + ")",
                    e.getMessage());
            assertEquals(before, snapshot(dir), "resume=" + resume);
        }
        assertFalse(Files.exists(dir.resolve("run.lock")));
    }

    @Test
    void aFolderWithAJournalWeDidNotWriteIsRefusedToo() throws Exception {
        Path dir = tmp.resolve("foreign");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("trials.jsonl"), "{\"id\": 0}\n");
        Map<String, String> before = snapshot(dir);
        RunRefusedException e = assertThrows(RunRefusedException.class, () -> RunDirectory.open(dir, config(), true));
        assertTrue(e.getMessage().contains("it holds 1 entry (trials.jsonl) and no finegrained.run"), e.getMessage());
        assertEquals(before, snapshot(dir));
    }

    @Test
    void manyEntriesAreCountedAndTheFirstOnesNamed() throws Exception {
        Path dir = tmp.resolve("full");
        Files.createDirectories(dir);
        for (int i = 0; i < 9; i++) {
            Files.writeString(dir.resolve("f" + i), "");
        }
        RunRefusedException e = assertThrows(RunRefusedException.class, () -> RunDirectory.open(dir, config(), false));
        assertTrue(e.getMessage().contains("it holds 9 entries (f0, f1, f2, f3, f4, f5, and 3 more)"), e.getMessage());
    }

    @Test
    void aFileIsNotARunDirectory() throws Exception {
        Path file = tmp.resolve("results.txt");
        Files.writeString(file, "precious");
        RunRefusedException e = assertThrows(RunRefusedException.class, () -> RunDirectory.open(file, config(), false));
        assertEquals("the run directory " + file + " is a file, not a folder; nothing was changed; choose a new or empty folder with --output",
                e.getMessage());
        assertEquals("precious", Files.readString(file));
    }

    @Test
    void aFolderUnderAFileCannotBeCreated() throws Exception {
        Path file = tmp.resolve("results.txt");
        Files.writeString(file, "precious");
        RunRefusedException e = assertThrows(RunRefusedException.class, () -> RunDirectory.open(file.resolve("run"), config(), false));
        assertEquals("cannot create the run directory " + file.resolve("run") + ": " + file + " is a file, not a folder; "
                + "choose another folder with --output", e.getMessage());
        assertEquals("precious", Files.readString(file));
    }

    @Test
    void anEmptyFolderStartsFreshAndBecomesARun() throws Exception {
        Path dir = tmp.resolve("empty");
        Files.createDirectories(dir);
        try (RunDirectory d = RunDirectory.open(dir, config(), false)) {
            d.journal().append(TrialResult.ok(new Candidate(0, 0, Map.of("x", 0.5)), Map.of("f", 1.0), 0.1));
        }
        assertTrue(Files.isRegularFile(dir.resolve(RunDirectory.MARKER_FILE)));
        try (RunDirectory d = RunDirectory.open(dir, config(), true)) {
            assertEquals(1, d.previousResults().size(), "our own run resumes");
        }
        RunRefusedException e = assertThrows(RunRefusedException.class, () -> RunDirectory.open(dir, config(), false));
        assertTrue(e.getMessage().contains("add --resume to continue it"), e.getMessage());
    }

    @Test
    void aRunMadeBeforeTheMarkerIsRecognisedByItsConfigHash() throws Exception {
        Path dir = tmp.resolve("old-run");
        Files.createDirectories(dir.resolve("trials"));
        String text = config().text();
        Files.writeString(dir.resolve("config.yml"), text);
        Files.writeString(dir.resolve("config.sha256"), RunDirectory.sha256(text) + "  config.yml\n");
        Files.writeString(dir.resolve("trials.jsonl"), io.finegrained.trial.TrialJson.row(
                TrialResult.ok(new Candidate(0, 0, Map.of("x", 0.5)), Map.of("f", 1.0), 0.1)) + "\n");
        try (RunDirectory d = RunDirectory.open(dir, config(), true)) {
            assertEquals(List.of(0), d.previousResults().stream().map(TrialResult::id).toList());
        }
        assertTrue(Files.exists(dir.resolve(RunDirectory.MARKER_FILE)), "the marker is added to our own old run");

        Path forged = tmp.resolve("forged");
        Files.createDirectories(forged);
        Files.writeString(forged.resolve("config.yml"), text);
        Files.writeString(forged.resolve("config.sha256"), "0000  config.yml\n");
        assertThrows(RunRefusedException.class, () -> RunDirectory.open(forged, config(), true));
    }

    @Test
    void aStartThatDiedBeforeTheMarkerLeavesOnlyOurLockAndStartsFresh() throws Exception {
        Path dir = tmp.resolve("died");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("run.lock"), "host=h pid=12 started=2026-12-01T00:00:00Z\n");
        RunDirectory.open(dir, config(), false).close();
        assertTrue(Files.exists(dir.resolve(RunDirectory.MARKER_FILE)));

        Path users = tmp.resolve("users-lock");
        Files.createDirectories(users);
        Files.writeString(users.resolve("run.lock"), "my lock, not yours\n");
        assertThrows(RunRefusedException.class, () -> RunDirectory.open(users, config(), false));
        assertEquals("my lock, not yours\n", Files.readString(users.resolve("run.lock")));
    }
}
