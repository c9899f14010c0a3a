package io.finegrained.trial;

import io.finegrained.search.Candidate;
import io.finegrained.search.TrialResult;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A trial that runs an external program (ARCHITECTURE.md, "a plain hyper-parameter search with
 * a command trial"). The program is started without a shell, in a working directory of its own
 * ({@code <trials>/<id>/}, emptied first so a retried task starts clean), gets the candidate as
 * one JSON object on stdin and reports its metrics as the last line of stdout that parses as a
 * JSON object. Its stdout and stderr are kept beside it ({@code stdout.log}, {@code stderr.log}).
 * A non-zero exit, a time-out or no metrics line is a {@code FAILED} trial whose reason ends with
 * the tail of stderr.
 *
 * @param command the program and its arguments, paths already resolved (see {@link #resolve})
 * @param timeoutSeconds the wall-time limit of one trial
 * @param trialsDirectory where the per-trial working directories go (under the run's output)
 */
public record CommandTrial(List<String> command, double timeoutSeconds, String trialsDirectory) implements TrialRunner {
    private static final int STDERR_TAIL_LINES = 12;
    private static final int STDERR_TAIL_CHARS = 1500;
    private static final int STDERR_TAIL_BYTES = 64 * 1024;
    /** Where the metrics line is looked for: the end of stdout. */
    private static final int STDOUT_TAIL_BYTES = 1024 * 1024;
    /** Programs running in this JVM, ended by a shutdown hook so a stopped job leaves none behind. */
    private static final java.util.Set<Process> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Set when the JVM is exiting: a program killed then was interrupted, it did not fail. */
    private static volatile boolean exiting;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            exiting = true;
            RUNNING.forEach(CommandTrial::kill);
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
        return new CommandSegmentTrial(command, timeoutSeconds, trialsDirectory);
    }

    @Override
    public TrialResult run(Candidate candidate) {
        long start = System.nanoTime();
        Path workDir = Path.of(trialsDirectory, Integer.toString(candidate.id()));
        Path stdout = workDir.resolve("stdout.log");
        Path stderr = workDir.resolve("stderr.log");
        Process process;
        try {
            emptyDirectory(workDir);
            process = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        } catch (IOException e) {
            return TrialResult.failed(candidate, "cannot start " + command.get(0) + ": " + e.getMessage(), seconds(start));
        }
        RUNNING.add(process);
        try {
            writeInput(process, TrialJson.candidate(candidate));
            boolean finished = process.waitFor(Math.round(timeoutSeconds * 1000), TimeUnit.MILLISECONDS);
            if (!finished) {
                kill(process);
                return TrialResult.failed(candidate, "timed out after " + format(timeoutSeconds) + " s (trial.timeout_s)"
                        + tail(stderr), seconds(start));
            }
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new TrialInterruptedException("trial " + candidate.id() + " was cancelled");
        } finally {
            RUNNING.remove(process);
        }
        if (exiting) {
            throw new TrialInterruptedException("trial " + candidate.id() + " was stopped with the JVM");
        }
        double seconds = seconds(start);
        int exit = process.exitValue();
        if (exit != 0) {
            return TrialResult.failed(candidate, "exit code " + exit + tail(stderr), seconds);
        }
        Map<String, Double> metrics = lastMetrics(stdout);
        if (metrics == null) {
            return TrialResult.failed(candidate, "the program printed no JSON object on stdout" + tail(stderr), seconds);
        }
        return TrialResult.ok(candidate, metrics, seconds);
    }

    private static void writeInput(Process process, String json) {
        try (OutputStream in = process.getOutputStream()) {
            in.write(json.getBytes(StandardCharsets.UTF_8));
            in.write('\n');
        } catch (IOException e) {
            // The program closed its stdin without reading it: that is its business.
        }
    }

    /** Ends the program and anything it started (a shell script's children). */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, Double> lastMetrics(Path stdout) {
        List<String> lines = readLines(stdout, STDOUT_TAIL_BYTES);
        for (int i = lines.size() - 1; i >= 0; i--) {
            Map<String, Double> metrics = TrialJson.metricsLine(lines.get(i));
            if (metrics != null) {
                return metrics;
            }
        }
        return null;
    }

    /** ": " and the last lines of stderr, or nothing when it is empty. */
    static String tail(Path stderr) {
        List<String> lines = readLines(stderr, STDERR_TAIL_BYTES);
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines = lines.subList(0, lines.size() - 1);
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
     * The lines of the file's last {@code maxBytes} (a chatty program's log may be large; only
     * its end matters), the first partial line left out.
     */
    private static List<String> readLines(Path file, int maxBytes) {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
            long size = channel.size();
            long from = Math.max(0, size - maxBytes);
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate((int) (size - from));
            while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) > 0) {
                // read until full
            }
            List<String> lines = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).lines().toList();
            return from > 0 && !lines.isEmpty() ? lines.subList(1, lines.size()) : lines;
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void emptyDirectory(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(dir)).map(Path::toFile).forEach(File::delete);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        Files.createDirectories(dir);
    }

    private static String format(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
