package io.finegrained.trial;

import io.finegrained.search.Candidate;
import io.finegrained.search.TrialResult;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A trial that runs an external program (ARCHITECTURE.md, "a plain hyper-parameter search with
 * a command trial"). The program is started without a shell, in a working directory of its own
 * ({@code <trials>/<id>/}, emptied first so a retried task starts clean; on an executor that cannot
 * see the run directory a local folder whose files are delivered after the trial,
 * {@link TrialFiles}), in a session of its
 * own ({@link TrialProcess}: nothing it starts outlives the trial, a time-out, a cancellation or
 * a {@code kill -9} of the JVM); it gets the candidate as one JSON object on stdin (the file
 * {@value #CANDIDATE_FILE} in its folder, so a program that never reads it cannot block
 * anything) and reports its metrics as the last line of stdout that parses as a JSON object. Its stdout and stderr are
 * kept beside it ({@code stdout.log}, {@code stderr.log}), each within {@code logLimitBytes}, the
 * end kept ({@link BoundedLog}).
 *
 * <p>Outcomes: a non-zero exit, a time-out or no metrics line is a {@code FAILED} trial whose
 * reason ends with the tail of stderr. The metrics line may hold {@code NaN} or
 * {@code Infinity} (Python's {@code json.dumps} writes them): they are reported as such, and the
 * driver fails a trial whose objective is not finite; the last object line counts even when an
 * earlier one was good. A metrics line is at most {@value #METRICS_LINE_LIMIT} bytes. A missing
 * program, a folder or log that cannot be written is the environment's failure, not the
 * candidate's: {@link EnvironmentFailureException}. A trial stopped because its run stops
 * (Ctrl-C, a cancelled job, the JVM exiting) is {@link TrialInterruptedException}, never
 * {@code FAILED}.
 *
 * @param command the program and its arguments, paths already resolved (see {@link #resolve})
 * @param timeoutSeconds the wall-time limit of one trial
 * @param files where the per-trial working directories go: under the run's output, or, on an
 *              executor that cannot see it, a local folder delivered afterwards ({@link TrialFiles})
 * @param logLimitBytes the most a trial's stdout.log, and its stderr.log, keeps on disk
 */
public record CommandTrial(List<String> command, double timeoutSeconds, TrialFiles.Destination files, long logLimitBytes)
        implements TrialRunner, TrialFiles.Placed {
    /** The default bound of each log: 8 MiB, of which at least the last 4 MiB are kept. */
    public static final long DEFAULT_LOG_LIMIT = 8L << 20;
    /** The candidate as JSON, in the trial's folder: the program's stdin. */
    public static final String CANDIDATE_FILE = "candidate.json";
    /** The longest metrics line read: 1 MiB. */
    public static final int METRICS_LINE_LIMIT = 1 << 20;
    private static final int STDERR_TAIL_LINES = 12;
    private static final int STDERR_TAIL_CHARS = 1500;
    private static final int STDERR_TAIL_BYTES = 64 * 1024;
    /** Programs running in this JVM, ended by a shutdown hook so a stopped job leaves none behind. */
    private static final Set<TrialProcess> RUNNING = ConcurrentHashMap.newKeySet();

    /** Set when the JVM is exiting: a program killed then was interrupted, it did not fail. */
    private static volatile boolean exiting;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            exiting = true;
            RUNNING.forEach(TrialProcess::end);
        }, "finegrained-command-trials"));
    }

    public CommandTrial {
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("a command trial needs a program to run");
        }
        if (!(timeoutSeconds > 0)) {
            throw new IllegalArgumentException("the time-out must be positive, got " + timeoutSeconds);
        }
        java.util.Objects.requireNonNull(files, "files");
        // Both halves of the log must hold a whole metrics line, so the last one is always kept.
        if (logLimitBytes < 2L * (METRICS_LINE_LIMIT + 2)) {
            throw new IllegalArgumentException("a trial log must keep at least " + 2L * (METRICS_LINE_LIMIT + 2)
                    + " bytes, got " + logLimitBytes);
        }
    }

    /** Writing in {@code trialsDirectory} itself, wherever it runs. */
    public CommandTrial(List<String> command, double timeoutSeconds, String trialsDirectory, long logLimitBytes) {
        this(command, timeoutSeconds, TrialFiles.Destination.direct(trialsDirectory), logLimitBytes);
    }

    /** With the default log bound. */
    public CommandTrial(List<String> command, double timeoutSeconds, String trialsDirectory) {
        this(command, timeoutSeconds, trialsDirectory, DEFAULT_LOG_LIMIT);
    }

    /** The run directory's trials folder, as the driver names it. */
    public String trialsDirectory() {
        return files.trialsDirectory();
    }

    /**
     * The command with every element that is a relative path to an existing file or folder in
     * {@code base} (the config file's folder) made absolute. Why only existing ones: {@code python3}
     * or {@code --fast} must stay as written, while {@code train.py} must still be found from the
     * trial's own working directory.
     */
    public static List<String> resolve(List<String> command, Path base) {
        return command.stream().map(part -> {
            if (part.isEmpty() || part.startsWith("-")) {
                return part;
            }
            try {
                Path path = Path.of(part);
                if (path.isAbsolute()) {
                    return part;
                }
                Path candidate = base.resolve(path).normalize();
                return Files.exists(candidate) ? candidate.toAbsolutePath().toString() : part;
            } catch (java.nio.file.InvalidPathException e) {
                return part;
            }
        }).toList();
    }

    /** This trial run in segments, for multi-fidelity search (same program, time-out and folders). */
    public CommandSegmentTrial segments() {
        return new CommandSegmentTrial(command, timeoutSeconds, files);
    }

    @Override
    public TrialResult run(Candidate candidate) {
        long start = System.nanoTime();
        Path workDir = files.folder(candidate.id());
        Path stdout = workDir.resolve("stdout.log");
        Path stderr = workDir.resolve("stderr.log");
        try {
            emptyDirectory(workDir);
        } catch (IOException | UncheckedIOException e) {
            throw new EnvironmentFailureException("cannot prepare the trial's folder " + workDir + " on " + Hosts.name() + ": "
                    + describe(e), e);
        }
        checkProgram(command.get(0), workDir);
        if (exiting) {
            throw new TrialInterruptedException("trial " + candidate.id() + " was not started: the JVM is exiting");
        }
        Path input = workDir.resolve(CANDIDATE_FILE);
        try {
            Files.writeString(input, TrialJson.candidate(candidate) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EnvironmentFailureException("cannot write the candidate to " + input + " on " + Hosts.name() + ": " + describe(e), e);
        }
        TrialProcess process;
        try {
            process = TrialProcess.start(command, workDir, input, stdout, stderr, logLimitBytes, "trial-" + candidate.id());
        } catch (IOException e) {
            throw new EnvironmentFailureException("cannot start the trial program " + command.get(0) + " on " + Hosts.name()
                    + ": " + describe(e), e);
        }
        RUNNING.add(process);
        boolean finished;
        try {
            // The hook sets the flag, then ends what RUNNING holds: checked after adding, so a
            // program started as the JVM exits is ended by one side or the other.
            finished = !exiting && process.waitFor(Math.round(timeoutSeconds * 1000));
            if (!finished) {
                process.end();
            }
        } catch (InterruptedException e) {
            process.end();
            Thread.currentThread().interrupt();
            throw new TrialInterruptedException("trial " + candidate.id() + " was cancelled");
        } finally {
            RUNNING.remove(process);
            process.finish();
        }
        if (exiting) {
            throw new TrialInterruptedException("trial " + candidate.id() + " was stopped with the JVM");
        }
        for (BoundedLog log : List.of(process.stdout(), process.stderr())) {
            if (log.failure() != null) {
                throw new EnvironmentFailureException("cannot write the trial's log " + log.file() + " on " + Hosts.name() + ": "
                        + describe(log.failure()), log.failure());
            }
        }
        double seconds = seconds(start);
        if (!finished) {
            return TrialResult.failed(candidate, "timed out after " + format(timeoutSeconds) + " s (trial.timeout_s)"
                    + tail(stderr), seconds);
        }
        int exit = process.exitValue();
        if (exit != 0) {
            return TrialResult.failed(candidate, "exit code " + exit + tail(stderr), seconds);
        }
        MetricsLine metrics = lastMetrics(stdout);
        if (metrics.metrics() == null) {
            return TrialResult.failed(candidate, metrics.problem() + tail(stderr), seconds);
        }
        return TrialResult.ok(candidate, metrics.metrics(), seconds);
    }

    /**
     * A missing or non-executable program is the environment's failure: the same candidate runs
     * once the program is installed. Checked here because the session wrapper would only report
     * it as the exit status 127, which a program may also return for its own reasons.
     */
    static void checkProgram(String program, Path workDir) {
        if (program.contains("/")) {
            Path path = Path.of(program);
            path = path.isAbsolute() ? path : workDir.resolve(path);
            if (!Files.exists(path)) {
                throw new EnvironmentFailureException("the trial program " + program + " does not exist on " + Hosts.name()
                        + " (trial.command)");
            }
            if (Files.isDirectory(path) || !Files.isExecutable(path)) {
                throw new EnvironmentFailureException("the trial program " + program + " on " + Hosts.name()
                        + " is not an executable file (trial.command; chmod +x, or run it through its interpreter)");
            }
            return;
        }
        String pathVariable = System.getenv().getOrDefault("PATH", "");
        for (String dir : pathVariable.split(File.pathSeparator, -1)) {
            Path candidate = (dir.isEmpty() ? workDir : Path.of(dir)).resolve(program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return;
            }
        }
        throw new EnvironmentFailureException("the trial program '" + program + "' was not found on " + Hosts.name()
                + " (PATH=" + pathVariable + "); install it there or give its full path in trial.command");
    }

    /** The metrics, or why there are none. */
    record MetricsLine(Map<String, Double> metrics, String problem) {
    }

    static MetricsLine lastMetrics(Path stdout) {
        Tail tail = Tail.read(stdout, METRICS_LINE_LIMIT + 2);
        List<String> lines = tail.lines();
        for (int i = lines.size() - 1; i >= 0; i--) {
            Map<String, Double> metrics = TrialJson.metricsLine(lines.get(i));
            if (metrics != null) {
                return new MetricsLine(metrics, null);
            }
        }
        if (tail.cut()) {
            boolean onlyTheLongLine = lines.stream().allMatch(String::isBlank);
            return new MetricsLine(null, onlyTheLongLine
                    ? "the last line of stdout is longer than " + METRICS_LINE_LIMIT + " bytes, the limit of a metrics line"
                    : "the program printed no JSON object on stdout after a line longer than " + METRICS_LINE_LIMIT
                    + " bytes (the limit of a metrics line)");
        }
        return new MetricsLine(null, "the program printed no JSON object on stdout");
    }

    /** ": " and the last lines of stderr, or nothing when it is empty. */
    static String tail(Path stderr) {
        Tail tail = Tail.read(stderr, STDERR_TAIL_BYTES);
        List<String> lines = new ArrayList<>();
        if (tail.cut() && !tail.partial().isBlank()) {
            lines.add("..." + tail.partial()); // a long line without newlines is still the program's last words
        }
        lines.addAll(tail.lines());
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        if (lines.isEmpty()) {
            return "";
        }
        String text = String.join("\n", lines.subList(Math.max(0, lines.size() - STDERR_TAIL_LINES), lines.size()));
        if (text.length() > STDERR_TAIL_CHARS) {
            text = "..." + text.substring(text.length() - STDERR_TAIL_CHARS);
        }
        return "; stderr: " + text;
    }

    /**
     * The end of a file: its last {@code maxBytes} bytes as complete lines, and the cut line
     * before them ({@code cut} when the window began inside a line).
     */
    record Tail(List<String> lines, String partial, boolean cut) {
        static Tail read(Path file, int maxBytes) {
            try (FileChannel channel = FileChannel.open(file)) {
                long size = channel.size();
                long from = Math.max(0, size - maxBytes);
                ByteBuffer buffer = ByteBuffer.allocate((int) (size - from));
                while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) > 0) {
                    // read until full
                }
                byte[] bytes = buffer.array();
                int length = buffer.position();
                int first = 0;
                String partial = "";
                if (from > 0) {
                    while (first < length && bytes[first] != '\n') {
                        first++;
                    }
                    partial = new String(bytes, 0, first, StandardCharsets.UTF_8);
                    first = Math.min(length, first + 1);
                }
                List<String> lines = new String(bytes, first, length - first, StandardCharsets.UTF_8).lines().toList();
                return new Tail(lines, partial, !partial.isEmpty());
            } catch (IOException e) {
                return new Tail(List.of(), "", false);
            }
        }
    }

    private static void emptyDirectory(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(dir)).toList()) {
                    Files.delete(p);
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        Files.createDirectories(dir);
    }

    private static String describe(Exception e) {
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return (f.getFile() == null ? "" : f.getFile() + ": ") + f.getReason();
        }
        if (e instanceof UncheckedIOException u) {
            return describe(u.getCause());
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String format(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
