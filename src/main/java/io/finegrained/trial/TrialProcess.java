package io.finegrained.trial;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A trial program running in a session of its own, so that nothing it starts outlives it.
 *
 * <p>Java's {@code ProcessBuilder} cannot give a child its own process group, so the program is
 * started as {@code setsid -w /bin/sh -c WRAPPER finegrained-trial CANDIDATE_FILE PROGRAM ARGS...}.
 * A child of the JVM is never a process-group leader, so {@code setsid} makes the new session in
 * place and {@code exec}s the wrapper: the pid Java sees is the session's, and its process
 * group's id. The wrapper ({@link #WRAPPER}):
 * <ul>
 *   <li>runs the program in the foreground with the candidate file as its stdin: the JVM wrote
 *       the file before the start, so no write to a pipe can block the time-out;</li>
 *   <li>keeps its own stdin, a pipe the JVM holds open and never writes, as a lifeline: a
 *       watcher in the group blocks reading it and kills the whole group when it ends, which
 *       is when the JVM dies, even by {@code kill -9} (the kernel closes the JVM's end). No
 *       polling, no pid that could be recycled;</li>
 *   <li>survives a TERM to the group long enough to reap its program and its watcher, then
 *       exits with the program's status, so none of our own processes is left a zombie for
 *       init to collect.</li>
 * </ul>
 * In its own session the program gets no terminal signal: Ctrl-C reaches the search, which
 * ends its trials, instead of each program dying of SIGINT and the trial being mistaken for a
 * failure.
 *
 * <p>The JVM ends a trial by signalling the group ({@code kill -SIG -PGID}): TERM then KILL at a
 * time-out or a cancellation, KILL once the wrapper has exited (what the program left running in
 * the background). Stdout and stderr are pumped into {@link BoundedLog}s.
 *
 * <p>Where {@code setsid} does not exist (not Linux), the program runs as a plain child with the
 * candidate file as its stdin, and is ended with the descendants the JVM can see: a background
 * child that was re-parented escapes.
 */
final class TrialProcess {
    /** The POSIX-sh wrapper; $1 is the candidate file, the rest the program and its arguments. */
    static final String WRAPPER = String.join("\n",
            "input=$1; shift",
            // fd 3: the lifeline; fd 4: the real stderr, for the program (the shell's own notes, such as
            // "Terminated" for a program ended by TERM, must not land in the trial's stderr)
            "exec 3<&0 4>&2 2>/dev/null",
            // the watcher: its stdin is the lifeline; EOF (the JVM is gone, or done) ends the group
            "( exec 0<&3 3<&- 4>&-; read -r line; kill -KILL 0 ) >/dev/null &",
            "watcher=$!",
            // a TERM to the group ends the program; the wrapper stays to reap and report
            "trap : TERM",
            // in a subshell (which execs the program): the shell reports a signal's death only on its own stderr
            "( \"$@\" <\"$input\" 2>&4 3<&- 4>&- )",
            "status=$?",
            "kill -KILL \"$watcher\" 2>/dev/null",
            "wait \"$watcher\" 2>/dev/null",
            "exit $status");
    /** How long a TERMed program may take to end before the group gets KILL. */
    private static final long TERM_GRACE_MS = 1000;
    /** How long the output pumps may take to see the end of their pipes once the group is gone. */
    private static final long PUMP_JOIN_MS = 5000;
    private static final String SETSID = findSetsid();

    private final Process process;
    private final boolean ownSession;
    private final BoundedLog stdout;
    private final BoundedLog stderr;
    private final List<Thread> pumps;
    private volatile boolean ended;

    private TrialProcess(Process process, boolean ownSession, BoundedLog stdout, BoundedLog stderr, List<Thread> pumps) {
        this.process = process;
        this.ownSession = ownSession;
        this.stdout = stdout;
        this.stderr = stderr;
        this.pumps = pumps;
    }

    /** True where trials get a session of their own (Linux with util-linux's setsid). */
    static boolean sessionsAvailable() {
        return SETSID != null;
    }

    /**
     * Starts the program in {@code workDir} with {@code input} (a file) as its stdin, and keeps
     * its stdout and stderr in the two files within {@code logLimit} bytes each.
     */
    static TrialProcess start(List<String> command, Path workDir, Path input, Path stdoutFile, Path stderrFile,
                              long logLimit, String name) throws IOException {
        List<String> full = new ArrayList<>();
        if (SETSID != null) {
            full.addAll(List.of(SETSID, "-w", "/bin/sh", "-c", WRAPPER, "finegrained-trial", input.toAbsolutePath().toString()));
        }
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).directory(workDir.toFile());
        if (SETSID == null) {
            builder.redirectInput(input.toFile());
        }
        BoundedLog out = new BoundedLog(stdoutFile, logLimit);
        BoundedLog err;
        try {
            err = new BoundedLog(stderrFile, logLimit);
        } catch (IOException e) {
            out.close();
            throw e;
        }
        Process process;
        try {
            process = builder.start(); // with setsid its stdin is the lifeline: held open, never written
        } catch (IOException e) {
            out.close();
            err.close();
            throw e;
        }
        List<Thread> pumps = List.of(
                daemon(name + "-stdout", () -> out.drain(process.getInputStream())),
                daemon(name + "-stderr", () -> err.drain(process.getErrorStream())));
        return new TrialProcess(process, SETSID != null, out, err, pumps);
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    long pid() {
        return process.pid();
    }

    /** Waits for the program itself (not its children) to exit. */
    boolean waitFor(long millis) throws InterruptedException {
        return process.waitFor(millis, TimeUnit.MILLISECONDS);
    }

    int exitValue() {
        return process.exitValue();
    }

    /**
     * Ends the program and everything in its group: TERM, up to {@link #TERM_GRACE_MS} for the
     * program to go, then KILL. Safe from any thread (the shutdown hook) and more than once.
     */
    void end() {
        if (process.isAlive()) {
            signal("TERM");
            boolean gone = false;
            try {
                gone = process.waitFor(TERM_GRACE_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!gone) {
                process.destroyForcibly();
            }
        }
        signal("KILL");
        ended = true;
    }

    /**
     * After the program exited or was ended: kills what is left of its group, lets the pumps
     * reach the end of their pipes, and closes the logs. Not interruptible (a cancelled trial
     * still leaves complete logs and no process), and bounded in time.
     */
    void finish() {
        if (!ended) {
            signal("KILL");
            ended = true;
        }
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PUMP_JOIN_MS);
        for (Thread pump : pumps) {
            while (pump.isAlive()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    break; // a process outside the group still holds the pipe: the log ends here
                }
                try {
                    pump.join(left);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        stdout.close();
        stderr.close();
        try {
            process.getOutputStream().close(); // the lifeline: its watcher is gone already
        } catch (IOException e) {
            // nothing left to tell
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    BoundedLog stdout() {
        return stdout;
    }

    BoundedLog stderr() {
        return stderr;
    }

    /** Signals the program's whole group (its own session), or the descendants Java can see. */
    private void signal(String signal) {
        if (!ownSession) {
            process.descendants().forEach(signal.equals("KILL") ? ProcessHandle::destroyForcibly : ProcessHandle::destroy);
            if (signal.equals("KILL")) {
                process.destroyForcibly();
            } else {
                process.destroy();
            }
            return;
        }
        // Descendants first: one that made a group of its own is still the program's child.
        if (signal.equals("KILL")) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
        }
        boolean interrupted = Thread.interrupted(); // a cancelled trial must still end its group
        try {
            Process kill = new ProcessBuilder("/bin/sh", "-c", "kill -" + signal + " -" + process.pid() + " 2>/dev/null")
                    .redirectErrorStream(true).start();
            kill.getOutputStream().close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (kill.isAlive() && System.nanoTime() < deadline) {
                try {
                    kill.waitFor(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            kill.destroyForcibly();
        } catch (IOException e) {
            process.destroyForcibly(); // cannot fork a kill: at least the program itself
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String findSetsid() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return null;
        }
        for (String dir : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
            Path p = Path.of(dir, "setsid");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }
}
