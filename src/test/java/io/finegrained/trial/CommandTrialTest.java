package io.finegrained.trial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.search.Candidate;
import io.finegrained.search.TrialResult;
import io.finegrained.search.TrialStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandTrialTest {
    @TempDir
    Path trials;

    private TrialResult run(Candidate candidate, double timeout, String... mode) {
        return GuardedTrial.run(new CommandTrial(TestPrograms.command(mode), timeout, trials.toString()), candidate);
    }

    private static Candidate candidate(int id, double x) {
        return new Candidate(id, 2, Map.of("x", x, "y", 0.25));
    }

    @Test
    void metricsAreTheLastJsonObjectOnStdout() {
        TrialResult r = run(candidate(4, 0.2), 60, "quadratic");
        assertEquals(TrialStatus.OK, r.status(), r.error());
        assertEquals(0.2, r.metrics().get("f1"), 1e-12);
        assertEquals(0.64 + 0.25, r.metrics().get("f2"), 1e-12);
        assertNull(r.error());
        assertEquals(Map.of("x", 0.2, "y", 0.25), r.hyperparameters());
        assertTrue(r.seconds() > 0);
    }

    @Test
    void theProgramReadsTheCandidateOnStdinInItsOwnWorkingDirectory() throws Exception {
        TrialResult r = run(candidate(7, 0.5), 60, "echo");
        assertEquals(TrialStatus.OK, r.status(), r.error());
        assertEquals(7.0, r.metrics().get("id"));
        assertEquals(2.0, r.metrics().get("generation"));
        assertEquals(0.5, r.metrics().get("x"));
        assertFalse(r.metrics().containsKey("note"), "a text value is not a metric");
        Path workDir = trials.resolve("7");
        String input = Files.readString(workDir.resolve("here.txt"));
        assertTrue(input.contains("\"hyperparameters\":{"), input);
        assertTrue(Files.readString(workDir.resolve("stdout.log")).contains("starting trial 7"));
    }

    @Test
    void aNonZeroExitFailsWithTheTailOfStderr() throws Exception {
        TrialResult r = run(candidate(1, 0.9), 60, "fail");
        assertEquals(TrialStatus.FAILED, r.status());
        assertTrue(r.error().startsWith("exit code 3"), r.error());
        assertTrue(r.error().contains("ValueError: x=0.9 is not allowed"), r.error());
        assertEquals(Map.of(), r.metrics());
        assertTrue(Files.readString(trials.resolve("1").resolve("stderr.log")).contains("loading data"));
    }

    @Test
    void aTimeOutFailsAndEndsTheProgram() {
        long start = System.nanoTime();
        TrialResult r = run(candidate(2, 0.1), 1.0, "sleep", "60");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(TrialStatus.FAILED, r.status());
        assertTrue(r.error().startsWith("timed out after 1 s"), r.error());
        assertTrue(seconds < 30, "the trial must not wait for the program: " + seconds);
    }

    @Test
    void aChattyProgramsMetricsAreFoundAtTheEndOfItsOutput() throws Exception {
        TrialResult r = run(candidate(8, 0.4), 60, "chatty");
        assertEquals(Map.of("f1", 0.4), r.metrics());
        assertTrue(Files.size(trials.resolve("8").resolve("stdout.log")) > 2_000_000, "the whole log is kept");
    }

    @Test
    void noJsonLineFails() {
        TrialResult r = run(candidate(3, 0.1), 60, "nojson");
        assertEquals(TrialStatus.FAILED, r.status());
        assertTrue(r.error().contains("no JSON object"), r.error());
    }

    @Test
    void aProgramThatCannotStartIsNotTheCandidatesFailure() {
        EnvironmentFailureException e = org.junit.jupiter.api.Assertions.assertThrows(EnvironmentFailureException.class,
                () -> GuardedTrial.run(new CommandTrial(List.of("/no/such/program"), 10, trials.toString()), candidate(5, 0.1)));
        assertTrue(e.getMessage().startsWith("the trial program /no/such/program does not exist on "), e.getMessage());
    }

    @Test
    void aRetriedTrialStartsInAnEmptyDirectory() throws Exception {
        Path stale = trials.resolve("6").resolve("left-over.txt");
        Files.createDirectories(stale.getParent());
        Files.writeString(stale, "from a lost attempt");
        assertEquals(TrialStatus.OK, run(candidate(6, 0.3), 60, "quadratic").status());
        assertFalse(Files.exists(stale));
    }

    @Test
    void existingRelativePathsResolveAgainstTheConfigFolder(@TempDir Path configDir) throws Exception {
        Files.writeString(configDir.resolve("train.py"), "print('hi')\n");
        Files.createDirectories(configDir.resolve("bin"));
        Files.writeString(configDir.resolve("bin").resolve("run.sh"), "#!/bin/sh\n");
        List<String> resolved = CommandTrial.resolve(List.of("python3", "train.py", "--fast", "bin/run.sh", "absent.txt", "/abs/x"), configDir);
        assertEquals(List.of("python3", configDir.resolve("train.py").toAbsolutePath().toString(), "--fast",
                configDir.resolve("bin/run.sh").toAbsolutePath().toString(), "absent.txt", "/abs/x"), resolved);
    }
}
