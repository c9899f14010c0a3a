package io.finegrained.trial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.search.Candidate;
import io.finegrained.search.TrialResult;
import io.finegrained.search.TrialStatus;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trial program cannot escape its trial (issue #14): it runs in a session of its own, and its
 * whole group ends with the trial, at a time-out, at a cancellation, and when the JVM running it
 * dies (even by {@code kill -9}) or is interrupted like Ctrl-C. Real processes throughout.
 */
class CommandTrialContainmentTest {
    @TempDir
    Path trials;

    private static Candidate candidate(int id) {
        return new Candidate(id, 0, Map.of("x", 0.5));
    }

    private CommandTrial shell(String script, double timeout) {
        return new CommandTrial(List.of("/bin/sh", "-c", script), timeout, trials.toString());
    }

    /** Waits (polling) for a pid a program wrote into its folder. */
    private static long awaitPid(Path file, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                String text = Files.readString(file).strip();
                if (!text.isEmpty()) {
                    return Long.parseLong(text);
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no pid in " + file + " after " + seconds + " s");
    }

    /** Running: /proc/PID exists and the process is not a zombie (an orphan's zombie may wait for its reaper). */
    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String state = stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
            return !state.equals("Z") && !state.equals("X");
        } catch (IOException e) {
            return false;
        }
    }

    /** Polls until the process is gone, up to the given time; true when it went. */
    static boolean goneWithin(long pid, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (running(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    @Test
    void aBackgroundChildDoesNotOutliveItsTrial() throws Exception {
        TrialResult r = GuardedTrial.run(shell("sleep 1000 & echo $! > bg.pid; echo '{\"f\": 1}'", 30), candidate(1));
        assertEquals(TrialStatus.OK, r.status(), r.error());
        assertEquals(Map.of("f", 1.0), r.metrics());
        long sleep = awaitPid(trials.resolve("1/bg.pid"), 5);
        assertTrue(goneWithin(sleep, 5), "the background sleep " + sleep + " outlived the trial");
    }

    @Test
    void theProgramRunsInASessionOfItsOwn() throws Exception {
        // The program records itself and its parent (the session's wrapper) while both run.
        TrialResult r = GuardedTrial.run(shell("cat /proc/$$/stat > stat.txt; cat /proc/$PPID/stat > wrapper.txt; "
                + "echo '{\"f\": 1}'", 30), candidate(2));
        assertEquals(TrialStatus.OK, r.status(), r.error());
        String[] program = fields(Files.readString(trials.resolve("2/stat.txt")));
        String[] wrapper = fields(Files.readString(trials.resolve("2/wrapper.txt")));
        // after the command: [0] pid, then state, ppid, pgrp, session
        String session = program[4];
        assertEquals(wrapper[0], session, "the wrapper leads the session");
        assertEquals(session, program[3], "the program is in the session's process group");
        assertEquals(session, wrapper[3]);
        assertEquals(Long.toString(ProcessHandle.current().pid()), wrapper[2], "the wrapper is the JVM's child (setsid ran in place)");
        assertNotEquals(fields(Files.readString(Path.of("/proc/self/stat")))[4], session, "not the JVM's session: no terminal signal reaches it");
    }

    /** /proc/PID/stat as fields, the pid first and the command (which may hold spaces) left out. */
    private static String[] fields(String stat) {
        String pid = stat.substring(0, stat.indexOf(' '));
        String rest = stat.substring(stat.lastIndexOf(')') + 2);
        return (pid + " " + rest).split(" ");
    }

    @Test
    void aTimeOutEndsTheWholeGroup() throws Exception {
        long start = System.nanoTime();
        TrialResult r = GuardedTrial.run(shell("sleep 1000 & echo $! > bg.pid; echo $$ > pid.txt; sleep 1000", 1), candidate(3));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(TrialStatus.FAILED, r.status());
        assertEquals("timed out after 1 s (trial.timeout_s)", r.error());
        assertTrue(seconds < 8, "ended promptly: " + seconds + " s");
        assertFalse(running(awaitPid(trials.resolve("3/bg.pid"), 1)));
        assertFalse(running(awaitPid(trials.resolve("3/pid.txt"), 1)));
    }

    @Test
    void aLargeCandidateToAProgramThatNeverReadsStdinTimesOut() {
        List<Integer> bits = new ArrayList<>(Collections.nCopies(200_000, 1));
        Candidate big = new Candidate(4, 0, Map.of("code", bits));
        long start = System.nanoTime();
        TrialResult r = GuardedTrial.run(new CommandTrial(List.of("sleep", "1000"), 2, trials.toString()), big);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(TrialStatus.FAILED, r.status());
        assertEquals("timed out after 2 s (trial.timeout_s)", r.error());
        assertTrue(seconds >= 2 && seconds < 8, "the time-out fired at 2 s: " + seconds);
        assertTrue(TrialJson.candidate(big).length() > 300_000, "more than a pipe buffer, so a blocking write would hang");
    }

    @Test
    void aProgramThatReadsTheLargeCandidateGetsAllOfIt() throws Exception {
        List<Integer> bits = new ArrayList<>(Collections.nCopies(200_000, 0));
        Candidate big = new Candidate(5, 0, Map.of("code", bits));
        TrialResult r = GuardedTrial.run(shell("wc -c > size.txt; echo '{\"f\": 1}'", 30), big);
        assertEquals(TrialStatus.OK, r.status(), r.error());
        assertEquals(TrialJson.candidate(big).length() + 1, Long.parseLong(Files.readString(trials.resolve("5/size.txt")).strip()));
    }

    @Test
    void aCancelledTrialEndsItsGroupAndIsInterruptedNotFailed() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<TrialResult> result = new AtomicReference<>();
        Thread task = new Thread(() -> {
            try {
                result.set(GuardedTrial.run(shell("sleep 1000 & echo $! > bg.pid; echo $$ > pid.txt; wait", 600), candidate(6)));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        task.start();
        long bg = awaitPid(trials.resolve("6/bg.pid"), 10);
        long program = awaitPid(trials.resolve("6/pid.txt"), 10);
        task.interrupt(); // what Spark does to a task thread when its job is cancelled
        task.join(10_000);
        assertFalse(task.isAlive());
        assertEquals(null, result.get(), "no result, not even a FAILED one");
        assertTrue(thrown.get() instanceof TrialInterruptedException, String.valueOf(thrown.get()));
        assertEquals("trial 6 was cancelled", thrown.get().getMessage());
        assertTrue(goneWithin(bg, 5));
        assertTrue(goneWithin(program, 5));
    }

    private List<String> hostJvm(Path outcome, String script) {
        List<String> java = new ArrayList<>(List.of(TestPrograms.javaExecutable(), "-Xmx64m", "-XX:TieredStopAtLevel=1"));
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("--add-opens")).forEach(java::add);
        java.addAll(List.of("-cp", System.getProperty("java.class.path"), CommandTrialHost.class.getName(),
                trials.toString(), outcome.toString(), "/bin/sh", "-c", script));
        return java;
    }

    @Test
    void theProgramDoesNotOutliveAKill9OfTheJvmRunningIt() throws Exception {
        Path outcome = trials.resolveSibling(trials.getFileName() + "-outcome.txt");
        Process jvm = new ProcessBuilder(hostJvm(outcome, "sleep 1000 & echo $! > bg.pid; echo $$ > pid.txt; wait"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long bg = awaitPid(trials.resolve("0/bg.pid"), 60);
            long program = awaitPid(trials.resolve("0/pid.txt"), 10);
            assertTrue(running(bg) && running(program));
            jvm.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertTrue(jvm.waitFor(10, TimeUnit.SECONDS));
            assertEquals(137, jvm.exitValue());
            // The watcher sees its lifeline end at once.
            assertTrue(goneWithin(program, 5), "the trial program " + program + " outlived the JVM's kill -9");
            assertTrue(goneWithin(bg, 5), "its background child " + bg + " outlived the JVM's kill -9");
            assertFalse(Files.exists(outcome));
        } finally {
            jvm.destroyForcibly();
        }
    }

    @Test
    void ctrlCToTheWholeProcessGroupInterruptsTheTrialItDoesNotFailIt() throws Exception {
        Path outcome = trials.resolveSibling(trials.getFileName() + "-outcome.txt");
        // A program that dies of SIGINT, as Python does ("KeyboardInterrupt"), if the signal reaches it.
        String script = "trap 'echo KeyboardInterrupt >&2; exit 1' INT; echo $$ > pid.txt; while :; do sleep 0.1; done";
        // The JVM leads a group, as a shell's job does, and handles SIGINT as it does under a
        // terminal (a JVM started with SIGINT ignored, as by a non-interactive shell's '&', keeps ignoring it).
        List<String> command = new ArrayList<>(List.of("setsid", "-w", "perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV"));
        command.addAll(hostJvm(outcome, script));
        Process jvm = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(trials.resolveSibling(trials.getFileName() + "-host.log").toFile()).start();
        try {
            long program = awaitPid(trials.resolve("0/pid.txt"), 60);
            // What a terminal does on Ctrl-C: SIGINT to every process of the foreground group.
            Process kill = new ProcessBuilder("/bin/sh", "-c", "kill -INT -" + jvm.pid()).start();
            assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
            assertEquals(0, kill.exitValue(), "the JVM leads its group");
            assertTrue(jvm.waitFor(30, TimeUnit.SECONDS), "the JVM exits on SIGINT");
            assertTrue(Files.exists(outcome), Files.readString(trials.resolveSibling(trials.getFileName() + "-host.log")));
            assertEquals("INTERRUPTED trial 0 was stopped with the JVM", Files.readString(outcome));
            assertTrue(goneWithin(program, 5));
            assertFalse(Files.readString(trials.resolve("0/stderr.log")).contains("KeyboardInterrupt"),
                    "the program, in its own session, never got the terminal's SIGINT");
        } finally {
            jvm.destroyForcibly();
        }
    }

    @Test
    void aMissingProgramIsTheEnvironmentsFailure() throws Exception {
        EnvironmentFailureException e = assertThrows(EnvironmentFailureException.class, () -> GuardedTrial.run(
                new CommandTrial(List.of("no-such-program-fg14", "--fast"), 10, trials.toString()), candidate(7)));
        assertTrue(e.getMessage().startsWith("the trial program 'no-such-program-fg14' was not found on " + Hosts.name() + " (PATH="),
                e.getMessage());
        assertTrue(e.retryable());

        e = assertThrows(EnvironmentFailureException.class, () -> GuardedTrial.run(
                new CommandTrial(List.of("/no/such/program"), 10, trials.toString()), candidate(7)));
        assertEquals("the trial program /no/such/program does not exist on " + Hosts.name() + " (trial.command)", e.getMessage());

        Path script = trials.resolveSibling(trials.getFileName() + "-train.sh");
        Files.writeString(script, "#!/bin/sh\necho '{}'\n");
        e = assertThrows(EnvironmentFailureException.class, () -> GuardedTrial.run(
                new CommandTrial(List.of(script.toString()), 10, trials.toString()), candidate(7)));
        assertTrue(e.getMessage().contains("is not an executable file"), e.getMessage());
    }

    @Test
    void aTrialFolderThatCannotBeMadeIsTheEnvironmentsFailure() throws Exception {
        Path file = trials.resolve("not-a-folder");
        Files.writeString(file, "x");
        EnvironmentFailureException e = assertThrows(EnvironmentFailureException.class, () -> GuardedTrial.run(
                new CommandTrial(List.of("/bin/true"), 10, file.toString()), candidate(8)));
        assertTrue(e.getMessage().startsWith("cannot prepare the trial's folder " + file.resolve("8") + " on " + Hosts.name() + ": "),
                e.getMessage());
        assertEquals("x", Files.readString(file));
    }
}
