package io.finegrained.trial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.search.Candidate;
import io.finegrained.search.TrialResult;
import io.finegrained.search.TrialStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a trial program prints, read for what it is and kept within bounds (issue #14). */
class CommandTrialOutputTest {
    @TempDir
    Path trials;

    private TrialResult run(int id, String script, double timeout) {
        return GuardedTrial.run(new CommandTrial(List.of("/bin/sh", "-c", script), timeout, trials.toString()),
                new Candidate(id, 0, Map.of("x", 0.5)));
    }

    @Test
    void yesWritesNoMoreThanTheLogLimit() throws Exception {
        TrialResult r = run(1, "yes", 2);
        assertEquals(TrialStatus.FAILED, r.status());
        assertTrue(r.error().startsWith("timed out after 2 s (trial.timeout_s)"), r.error());
        Path log = trials.resolve("1/stdout.log");
        long size = Files.size(log);
        String head = new String(Files.readAllBytes(log), 0, 200, StandardCharsets.UTF_8);
        assertTrue(head.matches("(?s)\\[finegrained: the first \\d+ of \\d+ bytes of this output were dropped; "
                + "a trial log keeps at most the last 8388608 bytes]\ny\ny\n.*"), head);
        long written = Long.parseLong(head.replaceAll("(?s).* of (\\d+) bytes.*", "$1"));
        assertTrue(written > 3 * CommandTrial.DEFAULT_LOG_LIMIT, "yes wrote " + written + " bytes: more than the log holds");
        assertTrue(size <= CommandTrial.DEFAULT_LOG_LIMIT + 200, "stdout.log holds " + size + " bytes");
        assertTrue(size >= CommandTrial.DEFAULT_LOG_LIMIT / 2, "at least the last half of the limit is kept: " + size);
        assertFalse(Files.exists(trials.resolve("1/stdout.log.1")), "the segments are joined");
    }

    @Test
    void aNanMetricIsReportedAsNan() {
        TrialResult r = run(2, "echo '{\"f1\": NaN, \"f2\": 0.5, \"f3\": -Infinity}'", 30);
        assertEquals(TrialStatus.OK, r.status(), r.error());
        assertTrue(r.metrics().get("f1").isNaN(), r.metrics().toString());
        assertEquals(0.5, r.metrics().get("f2"));
        assertEquals(Double.NEGATIVE_INFINITY, r.metrics().get("f3"));
    }

    @Test
    void aNanLineAfterAGoodOneIsTheResultNotIgnored() {
        TrialResult r = run(3, "echo '{\"f1\": 0.25}'; echo '{\"f1\": NaN}'", 30);
        assertEquals(TrialStatus.OK, r.status(), r.error());
        assertEquals(List.of("f1"), List.copyOf(r.metrics().keySet()));
        assertTrue(r.metrics().get("f1").isNaN(), "the last object line counts: " + r.metrics());
    }

    @Test
    void aMetricsLineOverOneMebibyteIsReportedAsTooLong() {
        String longLine = "printf '{\"f1\": 1, \"pad\": \"'; head -c 1100000 /dev/zero | tr '\\0' a; printf '\"}\\n'";
        TrialResult r = run(4, "echo '{\"f1\": 0.5}'; " + longLine, 30);
        assertEquals(TrialStatus.FAILED, r.status());
        assertEquals("the last line of stdout is longer than 1048576 bytes, the limit of a metrics line", r.error());

        r = run(5, longLine + "; echo 'done, no metrics'", 30);
        assertEquals("the program printed no JSON object on stdout after a line longer than 1048576 bytes "
                + "(the limit of a metrics line)", r.error());

        r = run(6, longLine + "; echo '{\"f1\": 0.75}'", 30);
        assertEquals(Map.of("f1", 0.75), r.metrics(), "a good line after a long one is read");
    }

    @Test
    void aMetricsLineOfExactlyTheLimitIsRead() {
        // {"f1": 1, "pad": "aaa..."} padded to exactly 1 MiB before its newline.
        int pad = CommandTrial.METRICS_LINE_LIMIT - "{\"f1\": 1, \"pad\": \"\"}".length();
        TrialResult r = run(7, "printf '{\"f1\": 1, \"pad\": \"'; head -c " + pad + " /dev/zero | tr '\\0' a; printf '\"}\\n'", 30);
        assertEquals(TrialStatus.OK, r.status(), r.error());
        assertEquals(Map.of("f1", 1.0), r.metrics());
    }

    @Test
    void aStderrTailWithoutNewlinesIsStillQuoted() {
        TrialResult r = run(8, "head -c 100000 /dev/zero | tr '\\0' e >&2; printf 'Fatal: out of patience' >&2; exit 3", 30);
        assertEquals(TrialStatus.FAILED, r.status());
        assertTrue(r.error().startsWith("exit code 3; stderr: ...eeee"), r.error());
        assertTrue(r.error().endsWith("eeeFatal: out of patience"), r.error());
        assertTrue(r.error().length() < 1600, "the tail is bounded: " + r.error().length());
    }

    @Test
    void aShortStderrIsQuotedWhole() {
        TrialResult r = run(9, "printf 'no newline at all' >&2; exit 1", 30);
        assertEquals("exit code 1; stderr: no newline at all", r.error());
    }

    @Test
    void aBoundedLogKeepsTheEndAndSaysWhatItDropped() throws Exception {
        Path file = trials.resolve("out.log");
        BoundedLog log = new BoundedLog(file, 10);
        byte[] text = "0123456789abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < text.length; i += 7) {
            log.write(text, i, Math.min(7, text.length - i));
            assertTrue(Files.size(file) + (Files.exists(trials.resolve("out.log.1")) ? Files.size(trials.resolve("out.log.1")) : 0) <= 10);
        }
        log.close();
        // Segments of 5 bytes: "uvwxy" (full, the previous one) and "z" (the current one) are kept.
        assertEquals("[finegrained: the first 30 of 36 bytes of this output were dropped; a trial log keeps at most the last 10 bytes]\n"
                + "uvwxyz", Files.readString(file));
        assertEquals(30, log.dropped());
        assertEquals(36, log.total());
        assertNull(log.failure());
        assertFalse(Files.exists(trials.resolve("out.log.1")));

        BoundedLog small = new BoundedLog(trials.resolve("small.log"), 10);
        small.write(text, 0, 4);
        small.close();
        assertEquals("0123", Files.readString(trials.resolve("small.log")), "under the limit: as written, no note");
        assertEquals(0, small.dropped());
    }

    @Test
    void aFullDiskIsKeptAsTheLogsFailureAndTheProgramIsStillDrained() throws Exception {
        Path full = Path.of("/dev/full");
        Path input = Files.writeString(trials.resolve("candidate.json"), "{}\n");
        TrialProcess process = TrialProcess.start(List.of("/bin/sh", "-c", "head -c 300000 /dev/zero; echo done"), trials,
                input, full, trials.resolve("stderr.log"), CommandTrial.DEFAULT_LOG_LIMIT, "full-disk");
        assertTrue(process.waitFor(10_000), "the program was not blocked by the unwritable log");
        process.finish();
        assertEquals(0, process.exitValue());
        assertNotNull(process.stdout().failure());
        assertEquals("No space left on device", process.stdout().failure().getMessage());
        assertEquals(300_005, process.stdout().total(), "every byte was read from the pipe");
    }
}
