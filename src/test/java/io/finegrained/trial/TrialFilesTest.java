package io.finegrained.trial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.search.Candidate;
import io.finegrained.search.TrialResult;
import io.finegrained.search.TrialStatus;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where trials write and how their files reach the driver's run directory (TrialFiles). The
 * "executor" here is this JVM given a destination whose token it cannot read: the same check an
 * executor on another machine makes (the cluster test makes it across a real mount namespace).
 */
class TrialFilesTest {
    @TempDir
    Path dir;

    private TrialFiles.Destination staged;

    @AfterEach
    void removeStaging() throws Exception {
        if (staged != null) {
            Path root = staged.folder(0).getParent();
            if (Files.exists(root)) {
                try (var walk = Files.walk(root)) {
                    for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    /** The driver's trials folder with its token, and a destination naming it with another token. */
    private TrialFiles.Destination unreachable(Path trials, long limit) {
        TrialFiles.Destination run = TrialFiles.Destination.create(trials, limit);
        staged = new TrialFiles.Destination(run.trialsDirectory(), run.token() + "0", limit);
        return staged;
    }

    @Test
    void theDriversRunDirectoryIsReachableAndWrittenInPlace() throws Exception {
        Path trials = dir.resolve("run/trials");
        TrialFiles.Destination run = TrialFiles.Destination.create(trials, 1 << 20);
        assertEquals(run.token(), Files.readString(trials.resolve(TrialFiles.TOKEN_FILE)).trim());
        assertEquals(32, run.token().length(), "128 random bits: " + run.token());
        assertNotEquals(run.token(), TrialFiles.Destination.create(dir.resolve("other"), 0).token(), "a new token per run");
        assertTrue(run.reachable());
        assertTrue(run.inPlace());
        assertEquals(trials.toAbsolutePath().resolve("3"), run.folder(3));
        Files.createDirectories(run.folder(3));
        Files.writeString(run.folder(3).resolve("trial.log"), "x");
        assertNull(run.deliver(3, false, Map.of()), "nothing travels: the files are there already");
        assertEquals("x", Files.readString(trials.resolve("3/trial.log")));
    }

    @Test
    void aFolderAtTheSamePathWithoutTheRunsTokenDoesNotCount() throws Exception {
        Path trials = dir.resolve("run/trials");
        Files.createDirectories(trials); // exists, as on another machine with the same layout, but no token
        staged = new TrialFiles.Destination(trials.toString(), "abc", 1 << 20);
        assertFalse(staged.reachable());
        assertFalse(staged.inPlace());
        assertEquals(Path.of(System.getProperty("java.io.tmpdir"), "finegrained-trials", "abc", "4"), staged.folder(4));

        TrialFiles.Destination otherToken = unreachable(dir.resolve("run2/trials"), 1 << 20);
        assertFalse(otherToken.reachable(), "another run's token");
        assertTrue(TrialFiles.Destination.direct(dir.resolve("nowhere").toString()).inPlace(), "off a run: in place");
    }

    @Test
    void anUnreachableTrialsFilesComeBackAndTheDriverWritesThem() throws Exception {
        Path trials = dir.resolve("run/trials");
        TrialFiles.Destination executor = unreachable(trials, 1 << 20);
        Path local = executor.folder(5);
        Files.createDirectories(local.resolve("model"));
        Files.writeString(local.resolve("trial.log"), "epoch 1\n");
        byte[] params = new byte[5000];
        new java.util.Random(1).nextBytes(params);
        Files.write(local.resolve("model/model-0000.params"), params);
        Files.createDirectories(local.resolve("checkpoint"));
        Files.writeString(local.resolve("checkpoint/state.bin"), "state");

        TrialFiles.Returned returned = executor.deliver(5, false, Map.of());
        assertNotNull(returned);
        assertEquals(List.of("trial.log", "model/model-0000.params"), returned.files().stream().map(TrialFiles.File::name).toList(),
                "the log first; checkpoint/ never (its bytes travel with the segment's result)");
        assertEquals(List.of(), returned.stayed());
        assertFalse(Files.exists(local.resolve("trial.log")), "delivered files leave the executor's folder");
        assertTrue(Files.exists(local.resolve("checkpoint/state.bin")), "a later segment on this executor may need it");

        assertNull(TrialFiles.writeInto(trials, returned));
        assertEquals("epoch 1\n", Files.readString(trials.resolve("5/trial.log")));
        assertArrayEquals(params, Files.readAllBytes(trials.resolve("5/model/model-0000.params")));
        assertFalse(Files.exists(trials.resolve("5").resolve(TrialFiles.STAYED_FILE)));
    }

    @Test
    void overTheBoundTheRestStaysAndTheDriverSaysWhere() throws Exception {
        Path trials = dir.resolve("run/trials");
        TrialFiles.Destination executor = unreachable(trials, 3000);
        Path local = executor.folder(6);
        Files.createDirectories(local);
        Files.writeString(local.resolve("stdout.log"), "a".repeat(1000));
        Files.writeString(local.resolve("stderr.log"), "b".repeat(1500));
        Files.write(local.resolve("big.bin"), new byte[4000]);
        Files.write(local.resolve("small.bin"), new byte[400]);

        TrialFiles.Returned returned = executor.deliver(6, false, Map.of());
        assertEquals(List.of("stderr.log", "stdout.log", "small.bin"), returned.files().stream().map(TrialFiles.File::name).toList(),
                "the logs first, then what still fits");
        assertEquals(List.of(new TrialFiles.Stayed("big.bin", 4000)), returned.stayed());
        assertTrue(returned.bytes() <= 3000, "within the bound: " + returned.bytes());
        assertTrue(Files.exists(local.resolve("big.bin")), "what did not fit stays where the trial wrote it");

        String note = TrialFiles.writeInto(trials, returned);
        assertNotNull(note);
        assertTrue(note.startsWith("note: trial 6: 1 file(s), 4000 bytes, over trial.return_files_max_mb stayed on "), note);
        assertTrue(note.contains(" in " + local.toAbsolutePath()), note);
        String stayed = Files.readString(trials.resolve("6").resolve(TrialFiles.STAYED_FILE));
        assertTrue(stayed.contains("stayed on the executor " + returned.jvm() + " in " + local.toAbsolutePath()), stayed);
        assertTrue(stayed.contains("big.bin\t4000 bytes"), stayed);
        assertEquals("a".repeat(1000), Files.readString(trials.resolve("6/stdout.log")));
        assertFalse(Files.exists(trials.resolve("6/big.bin")));
    }

    @Test
    void aLaterSegmentAppendsItsLogAndReplacesOtherFiles() throws Exception {
        Path trials = dir.resolve("run/trials");
        TrialFiles.Destination executor = unreachable(trials, 1 << 20);
        Path local = executor.folder(7);
        Files.createDirectories(local);
        Files.writeString(local.resolve("trial.log"), "segment 1\n");
        Files.writeString(local.resolve("model.txt"), "weights 1");
        Files.write(local.resolve("big.bin"), new byte[10]);
        TrialFiles.writeInto(trials, executor.deliver(7, false, Map.of())); // the first segment
        // The second segment, on an executor that still holds a log of an earlier attempt: only
        // what this segment adds to it travels.
        Files.createDirectories(local);
        Files.writeString(local.resolve("trial.log"), "segment 1 again, kept locally\n");
        Map<String, Long> before = executor.sizes(7);
        Files.writeString(local.resolve("trial.log"), "segment 2\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(local.resolve("model.txt"), "weights 2");
        TrialFiles.Returned second = executor.deliver(7, true, before);
        assertTrue(second.files().stream().filter(f -> f.name().equals("trial.log")).allMatch(TrialFiles.File::append));
        TrialFiles.writeInto(trials, second);
        assertEquals("segment 1\nsegment 2\n", Files.readString(trials.resolve("7/trial.log")),
                "only what the segment added is appended on the driver");
        assertEquals("weights 2", Files.readString(trials.resolve("7/model.txt")));
    }

    @Test
    void aReturnedFileCannotEscapeItsTrialsFolder() {
        TrialFiles.Returned evil = new TrialFiles.Returned(8, "1@h", "/tmp/x", 10,
                List.of(new TrialFiles.File("../../config.yml", new byte[1], false)), List.of());
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> TrialFiles.writeInto(dir.resolve("trials"), evil));
        assertTrue(e.getMessage().contains("escapes its trial's folder"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("config.yml")));
    }

    @Test
    void aCommandTrialOnAnExecutorThatCannotSeeTheRunWritesLocallyAndItsLogsComeBack() throws Exception {
        Path trials = dir.resolve("run/trials");
        TrialFiles.Destination executor = unreachable(trials, 1 << 20);
        CommandTrial trial = new CommandTrial(List.of("/bin/sh", "-c", "pwd; echo oops >&2; echo '{\"f\": 1.5}'"), 30, executor,
                CommandTrial.DEFAULT_LOG_LIMIT);
        TrialResult r = GuardedTrial.run(trial, new Candidate(9, 0, Map.of("x", 0.5)));
        assertEquals(TrialStatus.OK, r.status(), String.valueOf(r.error()));
        assertEquals(Map.of("f", 1.5), r.metrics());
        assertFalse(Files.exists(trials.resolve("9")), "nothing written at the driver's path by the trial itself");
        TrialFiles.writeInto(trials, executor.deliver(9, false, Map.of()));
        String stdout = Files.readString(trials.resolve("9/stdout.log"));
        assertTrue(stdout.startsWith(executor.folder(9).toAbsolutePath() + "\n"), "it ran in its local folder: " + stdout);
        assertEquals("oops\n", Files.readString(trials.resolve("9/stderr.log")));
        assertTrue(Files.readString(trials.resolve("9").resolve(CommandTrial.CANDIDATE_FILE)).contains("\"id\":9"));
    }
}
