package io.finegrained.trial;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.finegrained.search.Candidate;
import io.finegrained.search.Proposal;
import io.finegrained.search.TrialResult;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A command trial run in segments (docs/async-execution.md, "Command trials"). The program gets,
 * on stdin, the command trial's candidate JSON plus three fields:
 * <ul>
 * <li>{@code resource}: the resource to reach in this run (epochs, steps, anything integer), or
 *     null for its whole budget;</li>
 * <li>{@code from_resource}: what its checkpoint holds (0: start from scratch);</li>
 * <li>{@code checkpoint_dir}: an absolute folder, kept between the segments of one trial, to save
 *     its state to and resume from.</li>
 * </ul>
 * It may print a JSON line {@code {"resource": r, ...metrics}} at each rung; the segment's result
 * is the last JSON object line it printed in this run, its {@code resource} the resource reached
 * (not a metric). A program that ignores all this trains its whole budget and prints its metrics
 * without {@code resource}: the segment is then complete, as it is when the resource reached is
 * below the one asked (its budget ended first) or the whole budget was asked.
 *
 * <p>Files under {@code <trials>/<id>/}: {@code stdout.log}, {@code stderr.log} (appended by every
 * segment) and {@code checkpoint/}. A segment from scratch empties the folder first. The time-out
 * is per segment. Process handling mirrors {@link CommandTrial}'s (no shell, the program and its
 * children killed on time-out or cancellation).
 *
 * @param command the program and its arguments, paths already resolved
 * @param timeoutSeconds the wall-time limit of one segment
 * @param files where the per-trial folders go (the run's trials folder, readable by every executor
 *              for checkpoints; else a local folder whose logs are delivered, {@link TrialFiles})
 */
public record CommandSegmentTrial(List<String> command, double timeoutSeconds, TrialFiles.Destination files)
        implements SegmentTrial, TrialFiles.Placed {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The key of the reached resource in a metrics line: not a metric. */
    public static final String RESOURCE = "resource";

    public CommandSegmentTrial {
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("a command trial needs a program to run");
        }
        if (!(timeoutSeconds > 0)) {
            throw new IllegalArgumentException("the time-out must be positive, got " + timeoutSeconds);
        }
    }

    /** Writing in {@code trialsDirectory} itself, wherever it runs. */
    public CommandSegmentTrial(List<String> command, double timeoutSeconds, String trialsDirectory) {
        this(command, timeoutSeconds, TrialFiles.Destination.direct(trialsDirectory));
    }

    /** The folder a trial saves its state to. */
    public Path checkpointDir(int id) {
        return files.folder(id).resolve("checkpoint").toAbsolutePath();
    }

    @Override
    public Outcome runSegment(Candidate candidate, int fromResource, int toResource, byte[] checkpoint) {
        long start = System.nanoTime();
        Path workDir = files.folder(candidate.id());
        Path stdout = workDir.resolve("stdout.log");
        Path stderr = workDir.resolve("stderr.log");
        Process process;
        long outputFrom;
        try {
            if (fromResource == 0) {
                emptyDirectory(workDir); // a segment from scratch (or its retry) starts clean
            }
            Files.createDirectories(checkpointDir(candidate.id()));
            outputFrom = Files.exists(stdout) ? Files.size(stdout) : 0;
            process = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile())).start();
        } catch (IOException e) {
            return failed(candidate, "cannot start " + command.get(0) + ": " + e.getMessage(), start, fromResource);
        }
        try {
            writeInput(process, input(candidate, fromResource, toResource));
            if (!process.waitFor(Math.round(timeoutSeconds * 1000), TimeUnit.MILLISECONDS)) {
                kill(process);
                return failed(candidate, "timed out after " + timeoutSeconds + " s (trial.timeout_s, per segment)"
                        + CommandTrial.tail(stderr), start, fromResource);
            }
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new TrialInterruptedException("trial " + candidate.id() + " was cancelled");
        }
        if (process.exitValue() != 0) {
            return failed(candidate, "exit code " + process.exitValue() + CommandTrial.tail(stderr), start, fromResource);
        }
        Map<String, Double> line = lastMetrics(stdout, outputFrom);
        if (line == null) {
            return failed(candidate, "the program printed no JSON object on stdout" + CommandTrial.tail(stderr), start,
                    fromResource);
        }
        Map<String, Double> metrics = new LinkedHashMap<>(line);
        Double reported = metrics.remove(RESOURCE);
        int reached = reported == null ? 0 : (int) Math.round(reported);
        boolean complete = toResource == Proposal.FULL_BUDGET || reported == null || reached < toResource;
        TrialResult result = TrialResult.ok(candidate, metrics, seconds(start)).ranAt(reached, null, null, null);
        return new Outcome(result, complete, null);
    }

    /** The candidate JSON of {@link CommandTrial} with the segment's fields. */
    String input(Candidate candidate, int fromResource, int toResource) {
        try {
            ObjectNode node = (ObjectNode) MAPPER.readTree(TrialJson.candidate(candidate));
            if (toResource == Proposal.FULL_BUDGET) {
                node.putNull(RESOURCE);
            } else {
                node.put(RESOURCE, toResource);
            }
            node.put("from_resource", fromResource);
            node.put("checkpoint_dir", checkpointDir(candidate.id()).toString());
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the candidate JSON", e);
        }
    }

    private static Outcome failed(Candidate candidate, String reason, long start, int resource) {
        return new Outcome(TrialResult.failed(candidate, reason, seconds(start)).ranAt(resource, null, null, null), true, null);
    }

    private static void writeInput(Process process, String json) {
        try (OutputStream in = process.getOutputStream()) {
            in.write(json.getBytes(StandardCharsets.UTF_8));
            in.write('\n');
        } catch (IOException e) {
            // The program closed its stdin without reading it: that is its business.
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last JSON object line the program printed from {@code offset} on (this segment's output). */
    private static Map<String, Double> lastMetrics(Path stdout, long offset) {
        List<String> lines;
        try (FileChannel channel = FileChannel.open(stdout)) {
            long from = Math.max(offset, channel.size() - 1024 * 1024);
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate((int) (channel.size() - from));
            while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) > 0) {
                // read until full
            }
            lines = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            return null;
        }
        for (int i = lines.size() - 1; i >= 0; i--) {
            Map<String, Double> metrics = TrialJson.metricsLine(lines.get(i));
            if (metrics != null) {
                return metrics;
            }
        }
        return null;
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

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
