package io.finegrained.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --resume} refuses a journal with a conflicting, foreign or damaged row when it starts
 * (issue #14): exit 2, one message naming {@code trials.jsonl:LINE}, and the journal left byte
 * for byte as it was. Each case edits a copy of one real finished run.
 */
class JournalResumeCheckTest {
    private static final String JOB = "search_algorithm: {type: RandomSearch, samples: 3, seed: 1}\n"
            + "search_space:\n  hyper_parameters:\n    x: {type: FLOAT, range: [0.0, 1.0]}\n"
            + "    n: {type: INT, range: [1, 4]}\n"
            + "trial: {type: command, command: [/bin/sh, -c, 'echo {\\\"f\\\": 1}'], timeout_s: 30}\n"
            + "objectives: {f: min}\n";
    private static final String SUFFIX = ". The journal was edited, damaged or written by another run; nothing was changed."
            + " Repair or remove that line (a trial without a row runs again), or start a new run in another directory with --output";

    @TempDir
    static Path shared;
    static Path job;
    static Path finished;
    static List<String> rows;

    @TempDir
    Path tmp;
    private int copies;
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();
    private final ByteArrayOutputStream err = console.err();

    @BeforeAll
    static void oneRealRun() throws Exception {
        job = shared.resolve("job.yml");
        Files.writeString(job, JOB);
        finished = shared.resolve("run");
        java.io.PrintStream stdout = System.out;
        try {
            System.setOut(new java.io.PrintStream(new ByteArrayOutputStream(), true));
            assertEquals(0, Main.run("search", job.toString(), "--output", finished.toString(), "--master", "local[1]"));
        } finally {
            System.setOut(stdout);
        }
        // By id: rows.get(i) is trial i's row (the journal holds them in the order they finished).
        rows = Files.readAllLines(finished.resolve("trials.jsonl")).stream()
                .sorted(java.util.Comparator.comparing(r -> r.substring(0, r.indexOf(',')))).toList();
        assertEquals(3, rows.size());
        for (int i = 0; i < 3; i++) {
            assertTrue(rows.get(i).startsWith("{\"id\":" + i + ",\"generation\":0,"), rows.get(i));
        }
    }

    /** A copy of the finished run whose journal is {@code journal}. */
    private Path runWith(String journal) throws Exception {
        Path copy = tmp.resolve("run" + copies++);
        try (Stream<Path> files = Files.walk(finished)) {
            for (Path p : files.toList()) {
                Path target = copy.resolve(finished.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        Files.writeString(copy.resolve("trials.jsonl"), journal, StandardCharsets.UTF_8);
        return copy;
    }

    /** Every file's bytes but the lock's (which a start rewrites under its own rules). */
    private static Map<String, byte[]> snapshot(Path dir) throws Exception {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                if (!p.getFileName().toString().equals("run.lock")) {
                    files.put(dir.relativize(p).toString(), Files.readAllBytes(p));
                }
            }
        }
        return files;
    }

    /** Resumes {@code journal}: exit 2, exactly {@code message} after the path, nothing changed. */
    private void refused(String journal, String message) throws Exception {
        Path run = runWith(journal);
        byte[] before = Files.readAllBytes(run.resolve("trials.jsonl"));
        Map<String, byte[]> all = snapshot(run);
        assertEquals(2, Main.run("search", job.toString(), "--output", run.toString(), "--resume", "--master", "local[1]"));
        assertEquals("finegrained: cannot resume: " + run.resolve("trials.jsonl") + ":" + message + SUFFIX + "\n", err.toString());
        assertArrayEquals(before, Files.readAllBytes(run.resolve("trials.jsonl")), "the journal is byte for byte as it was");
        Map<String, byte[]> after = snapshot(run);
        assertEquals(all.keySet(), after.keySet(), "no file created or deleted");
        all.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name));
    }

    private static String lines(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    @Test
    void aConflictingDuplicateIsRefusedNamingBothLines() throws Exception {
        String conflicting = rows.get(1).replace("\"status\":\"OK\"", "\"status\":\"FAILED\"")
                .replace("\"error\":null", "\"error\":\"boom\"");
        assertFalse(conflicting.equals(rows.get(1)));
        refused(lines(rows.get(0), rows.get(1), rows.get(2), conflicting),
                "4: a second row for trial 1, different from the one at line 2 (they differ in status OK there, FAILED here, error);"
                        + " a trial has one verdict");
    }

    @Test
    void aValueForAParameterTheSpaceDoesNotHaveIsForeign() throws Exception {
        String foreign = rows.get(2).replace("\"hyperparameters\":{", "\"hyperparameters\":{\"depth\":3,");
        refused(lines(rows.get(0), rows.get(1), foreign),
                "3: trial 2 has a value for 'depth', which is not a parameter of this run's search space (x, n)");
    }

    @Test
    void aValueOutsideItsDomainIsForeign() throws Exception {
        String foreign = rows.get(0).replaceFirst("\"n\":\\d+", "\"n\":9");
        refused(lines(foreign, rows.get(1), rows.get(2)),
                "1: trial 0's value for 'n' is not in this run's search space: expected an integer in [1, 4], got 9");
    }

    @Test
    void aMissingParameterIsForeign() throws Exception {
        String foreign = rows.get(1).replaceFirst(",?\"n\":\\d+", "");
        refused(lines(rows.get(0), foreign), "2: trial 1 has no value for 'n', a parameter of this run's search space");
    }

    @Test
    void aGenerationPastItsIdOrOutOfOrderIsForeign() throws Exception {
        refused(lines(rows.get(0), rows.get(1).replace("\"generation\":0", "\"generation\":2")),
                "2: trial 1 is in generation 2, past its id: ids count from 0 and every generation holds at least one trial");
        err.reset();
        refused(lines(rows.get(0), rows.get(1), rows.get(2).replace("\"id\":2", "\"id\":-1")),
                "3: trial id -1 is negative; ids count from 0");
        err.reset();
        // Trial 2 in generation 1, then trial 1 (written later) in generation 0 is fine; the
        // reverse order of generations is not.
        refused(lines(rows.get(0), rows.get(2).replace("\"generation\":0", "\"generation\":1"),
                        rows.get(1).replace("\"id\":1", "\"id\":3")),
                "3: trial 3 is in generation 0 and trial 2 (line 2) in generation 1: generations follow the order of the trial ids");
    }

    @Test
    void aDamagedLineThatIsNotTheLastIsRefused() throws Exception {
        refused(lines(rows.get(0), "{\"id\": 1, \"generation\": 0, \"sta", rows.get(2)),
                "2: not a journal row (not JSON: Unexpected end-of-input in field name)");
        err.reset();
        refused(lines(rows.get(0), "{\"id\": 1}", rows.get(2)), "2: not a journal row (no field 'generation')");
        err.reset();
        Path run = runWith("");
        byte[] bad = (rows.get(0) + "\n" + "{\"id\": 1, \"x\": \"caf\u00e9\"}\n").getBytes(StandardCharsets.ISO_8859_1);
        Files.write(run.resolve("trials.jsonl"), bad);
        assertEquals(2, Main.run("search", job.toString(), "--output", run.toString(), "--resume"));
        assertEquals("finegrained: cannot resume: " + run.resolve("trials.jsonl")
                + ":2: not a journal row (byte 0xE9 at column 20 is not UTF-8 text)" + SUFFIX + "\n", err.toString());
        assertArrayEquals(bad, Files.readAllBytes(run.resolve("trials.jsonl")));
    }

    @Test
    void anExactDuplicateAndATornLastLineAreTolerated() throws Exception {
        String torn = rows.get(2).substring(0, 20);
        Path run = runWith(lines(rows.get(0), rows.get(1), rows.get(1)) + torn);
        ByteArrayOutputStream out = console.out();
        // Trial 2's row is torn: the resume runs it again, and only it.
        assertEquals(0, Main.run("search", job.toString(), "--output", run.toString(), "--resume", "--master", "local[1]"),
                err.toString());
        assertTrue(out.toString().contains("search finished (ran 1 trials): 3 trials, 0 failed"), out.toString());
        List<String> now = new ArrayList<>(Files.readAllLines(run.resolve("trials.jsonl")));
        assertEquals(List.of(rows.get(0), rows.get(1), rows.get(1)), now.subList(0, 3), "the rows are kept as written");
        assertEquals(4, now.size(), "the torn line is cut and trial 2 journaled again");
        assertTrue(now.get(3).startsWith("{\"id\":2,"), now.get(3));
    }
}
