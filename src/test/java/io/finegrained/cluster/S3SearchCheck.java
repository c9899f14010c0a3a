package io.finegrained.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finegrained.config.JobConfig;
import io.finegrained.search.Candidate;
import io.finegrained.search.TrialResult;
import io.finegrained.spark.ClusterResources;
import io.finegrained.spark.RunDirectory;
import io.finegrained.train.HadoopConf;
import io.finegrained.train.SubsetExports;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search whose data, job file and run directory are on a real S3-compatible server
 * ({@link S3Server}: s3rver on loopback, reached through {@code hadoop-aws}'s S3A): the journal
 * mirrored from the driver's disk (S3A refuses append), the run held by {@code run.lock}, a driver
 * killed with {@code kill -9} and resumed from the store without re-running a journaled trial;
 * bad S3 locations refused at the start; the mirror's cost per result.
 *
 * <p>Not in {@code mvn test}: the name does not match Surefire's test patterns, since the server
 * needs Node.js and an npm package, and the README's test command needs Java and Maven alone.
 * {@code bash .ci/s3-check.sh} (a step of {@code .ci/run}) installs the server and runs this class
 * with {@code -Ps3}, the profile that brings {@code hadoop-aws}.
 */
@Tag("s3")
class S3SearchCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "finegrained";
    @TempDir
    static Path dir;
    private static S3Server s3;
    private static FileSystem fs;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3Server.start(dir, BUCKET);
        HadoopConf.useSparkSettings(s3.sparkSettings());
        fs = FileSystem.get(new URI(s3.uri() + "/"), HadoopConf.get());
        long start = System.nanoTime();
        SubsetExports.idx(s3.uri() + "/data/idx");
        System.err.printf(Locale.ROOT, "the embedded subset copied to %s/data/idx in %.1f s%n", s3.uri(), (System.nanoTime() - start) / 1e9);
    }

    @AfterAll
    static void stopS3() throws Exception {
        if (s3 != null) {
            s3.close();
        }
    }

    /** An asynchronous DJL search (ASHA over 1 and 2 epochs: checkpoints and events) reading the subset from S3. */
    private static String job(String name, int samples) throws IOException {
        String text = """
                search_algorithm:
                  type: AsyncRandomSearch
                  samples: %d
                  seed: 5
                  scheduler: {type: ASHA, eta: 2, min_resource: 1, max_resource: 2}
                search_space:
                  modules: ['init', 'head']
                  init:
                    type: SmallInputInitialBlock
                    init_plane: 4
                  head:
                    type: LinearClassificationHead
                    num_class: 10
                  hyper_parameters:
                    init.init_plane: {type: CATEGORY, range: [2, 4, 8]}
                    trainer.lr: {type: FLOAT_EXP, range: [0.01, 0.2]}
                trainer:
                  epochs: 2
                  batch_size: 64
                  threads: 1
                objectives:
                  accuracy: max
                dataset:
                  source: idx
                  path: %s/data/idx
                  seed: 11
                """.formatted(samples, s3.uri());
        String uri = s3.uri() + "/jobs/" + name + ".yml";
        try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(uri), true)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return uri;
    }

    private static org.apache.hadoop.fs.Path path(String relative) {
        return new org.apache.hadoop.fs.Path(s3.uri() + "/" + relative);
    }

    /**
     * The object's content. While a driver replaces it (the mirrored journal, after every result),
     * S3A may see the ETag change between its HEAD and its GET and refuse the read: read it again.
     */
    private static String text(String relative) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try (InputStream in = fs.open(path(relative))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                // By name: hadoop-aws is on the class path only with -Ps3.
                if (attempt == 5 || !e.getClass().getSimpleName().equals("RemoteFileChangedException")) {
                    throw e;
                }
            }
        }
    }

    private static boolean exists(String relative) throws IOException {
        return fs.exists(path(relative));
    }

    /** The complete rows of a JSON-lines object (a torn last line is left out). */
    private static List<JsonNode> rows(String relative) throws IOException {
        if (!exists(relative)) {
            return List.of();
        }
        String text = text(relative);
        List<JsonNode> rows = new ArrayList<>();
        int end = text.lastIndexOf('\n');
        for (String line : end < 0 ? List.<String>of() : text.substring(0, end).lines().toList()) {
            rows.add(JSON.readTree(line));
        }
        return rows;
    }

    private static Set<Integer> ids(List<JsonNode> rows) {
        Set<Integer> ids = new TreeSet<>();
        for (JsonNode row : rows) {
            assertTrue(ids.add(row.get("id").asInt()), "one row per trial: " + rows);
        }
        return ids;
    }

    @Test
    void aDjlSearchOnS3KeepsItsJournalThereAndResumesAfterAKilledDriver() throws Exception {
        int samples = 3;
        String job = job("killed", samples);
        String run = s3.uri() + "/runs/killed";
        Path log = dir.resolve("killed-driver.log");
        long start = System.nanoTime();
        Process driver = childSearch(log, "search", job, "--output", run, "--master", "local[1]");
        try {
            Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
            while (rows("runs/killed/trials.jsonl").isEmpty()) {
                assertTrue(driver.isAlive(), "the driver ended early:\n" + Files.readString(log));
                assertTrue(Instant.now().isBefore(deadline), "no journaled trial in time:\n" + Files.readString(log));
                Thread.sleep(300);
            }
            System.err.printf(Locale.ROOT, "first trial journaled on S3 %.1f s after the driver started%n", (System.nanoTime() - start) / 1e9);
            // No lease on S3: run.lock holds the run, and a second search is refused before anything runs.
            assertTrue(exists("runs/killed/run.lock"), "held by run.lock");
            String[] second = run("search", job, "--output", run, "--master", "local[1]");
            assertEquals("2", second[0], second[2]);
            assertTrue(second[2].contains("is in use by another search (host="), second[2]);
            assertFalse(second[2].contains("\tat "), second[2]);
            assertTrue(driver.toHandle().destroyForcibly(), "kill -9 the driver");
            assertTrue(driver.waitFor(30, TimeUnit.SECONDS));
        } finally {
            driver.destroyForcibly();
        }
        List<JsonNode> before = rows("runs/killed/trials.jsonl");
        int eventsBefore = rows("runs/killed/events.jsonl").size();
        assertTrue(before.size() >= 1 && before.size() < samples, "killed mid-run: " + before.size() + " journaled");
        assertTrue(exists("runs/killed/run.lock"), "a driver killed with -9 leaves run.lock");

        start = System.nanoTime();
        Path resumedLog = dir.resolve("resumed-driver.log");
        Process resumed = childSearch(resumedLog, "search", job, "--output", run, "--resume", "--master", "local[1]");
        assertTrue(resumed.waitFor(4, TimeUnit.MINUTES), "the resumed search did not end in time:\n" + Files.readString(resumedLog));
        String out = Files.readString(resumedLog);
        System.err.println("the resumed driver's output:\n" + out);
        assertEquals(0, resumed.exitValue(), out);
        System.err.printf(Locale.ROOT, "resume from S3 after kill -9: %.1f s for %d trials%n", (System.nanoTime() - start) / 1e9,
                samples - before.size());

        List<JsonNode> after = rows("runs/killed/trials.jsonl");
        assertEquals(samples, ids(after).size(), after.toString());
        assertEquals(before, after.subList(0, before.size()), "the journaled rows stay as they were, first");
        assertTrue(after.stream().allMatch(j -> Set.of("OK", "STOPPED").contains(j.get("status").asText())), after.toString());
        Set<Integer> journaled = ids(before);
        List<JsonNode> events = rows("runs/killed/events.jsonl");
        assertTrue(events.size() > eventsBefore, "the resumed run added its events");
        for (JsonNode e : events.subList(eventsBefore, events.size())) {
            assertFalse(e.get("event").asText().equals("started") && journaled.contains(e.get("id").asInt()),
                    "a journaled trial ran again: " + e);
        }
        assertTrue(out.contains("ran " + (samples - before.size()) + " trials"), out);
        assertTrue(out.contains("in " + run), out);
        assertFalse(exists("runs/killed/run.lock"), "released when the run ends");

        assertEquals(text("jobs/killed.yml"), text("runs/killed/config.yml"));
        assertEquals(RunDirectory.sha256(text("jobs/killed.yml")) + "  config.yml\n", text("runs/killed/config.sha256"));
        assertTrue(exists("runs/killed/best.csv"), "the front table");
        for (int id : ids(after)) {
            String trialLog = "runs/killed/trials/" + id + "/trial.log";
            assertTrue(exists(trialLog), "trial " + id + "'s log on S3");
            assertTrue(text(trialLog).contains("trial " + id + " "), text(trialLog));
        }
        JsonNode best = after.stream().filter(j -> j.get("status").asText().equals("OK"))
                .max((a, b) -> Double.compare(a.get("metrics").get("accuracy").asDouble(), b.get("metrics").get("accuracy").asDouble()))
                .orElseThrow();
        String model = "runs/killed/models/" + best.get("id").asInt();
        assertTrue(fs.listStatus(path(model)).length >= 2, "the best trial's model on S3");
        assertTrue(text(model + "/network.yml").contains("init"), "its resolved YAML");

        // A finished run reported again from S3: nothing runs, the journal stays as it is.
        String journal = text("runs/killed/trials.jsonl");
        String[] again = run("search", job, "--output", run, "--resume", "--master", "local[1]");
        assertEquals("0", again[0], again[2]);
        assertTrue(again[1].contains("nothing was run"), again[1]);
        assertEquals(journal, text("runs/killed/trials.jsonl"));
    }

    @Test
    void badS3LocationsAreExit2BeforeAnythingRuns() throws Exception {
        String job = job("bad", 2);
        List<String[]> refusals = new ArrayList<>();
        String[] r = run("search", s3.uri() + "/jobs/missing.yml", "--output", s3.uri() + "/runs/never");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains(s3.uri() + "/jobs/missing.yml"), r[2]);
        refusals.add(r);

        r = run("search", job, "--output", "s3a://no-such-bucket/runs/x");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("cannot read the run directory s3a://no-such-bucket/runs/x")
                && r[2].contains("The specified bucket does not exist"), r[2]);
        refusals.add(r);

        // A wrong secret key (S3A's per-bucket setting, for a bucket of its own): the server checks the
        // signature and refuses, and the run is refused at the start as permission denied.
        HadoopConf.useSparkSettings(Map.of("spark.hadoop.fs.s3a.bucket.locked.secret.key", "not-" + S3Server.SECRET_KEY));
        r = run("search", job, "--output", "s3a://locked/runs/x");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("the run directory s3a://locked/runs/x: permission denied") && r[2].contains("Status Code: 403"), r[2]);
        refusals.add(r);

        try (OutputStream o = fs.create(path("users/notes.txt"), true)) {
            o.write("keep me\n".getBytes(StandardCharsets.UTF_8));
        }
        r = run("search", job, "--output", s3.uri() + "/users");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("is not empty and is not a run of finegrained: it holds 1 entry (notes.txt)"), r[2]);
        refusals.add(r);
        assertEquals("keep me\n", text("users/notes.txt"));
        assertEquals(1, fs.listStatus(path("users")).length, "nothing added");
        assertFalse(exists("runs/never"));
        for (String[] each : refusals) {
            System.err.println("refused: " + each[2].strip());
            assertFalse(each[2].contains("\tat "), "no stack trace: " + each[2]);
            assertFalse(each[2].contains("starting Spark"), "refused before Spark starts: " + each[2]);
        }
    }

    @Test
    void theMirroredJournalsCostPerResultOnS3() throws Exception {
        JobConfig config = JobConfig.parse("search_space:\n  hyper_parameters:\n    x: {type: FLOAT, range: [0.0, 1.0]}\n",
                dir.resolve("cost.yml"));
        int rows = 200;
        long[] nanos = new long[rows];
        String location = s3.uri() + "/cost";
        try (RunDirectory run = RunDirectory.open(location, config, false, null)) {
            assertTrue(run.journal().mirrored(), "S3A refuses append: the journal is mirrored");
            for (int i = 0; i < rows; i++) {
                TrialResult result = TrialResult.failed(new Candidate(i, 0, Map.of("x", 0.5)), "a row of typical size", 1.5);
                long start = System.nanoTime();
                run.journal().append(result);
                nanos[i] = System.nanoTime() - start;
                if (i % 50 == 0 || i == rows - 1) {
                    assertEquals(i + 1, rows("cost/trials.jsonl").size(), "in the store when append returns");
                }
            }
        }
        long size = fs.getFileStatus(path("cost/trials.jsonl")).getLen();
        System.err.printf(Locale.ROOT, "mirrored journal on S3, ms per result: first 20 rows %.1f, last 20 rows %.1f, all %d rows %.1f"
                + " (journal %d bytes)%n", mean(nanos, 0, 20), mean(nanos, rows - 20, rows), rows, mean(nanos, 0, rows), size);
    }

    private static double mean(long[] nanos, int from, int to) {
        long sum = 0;
        for (int i = from; i < to; i++) {
            sum += nanos[i];
        }
        return sum / 1e6 / (to - from);
    }

    /** The CLI in this JVM (its S3A settings from {@link HadoopConf}): exit code, stdout, stderr. */
    private static String[] run(String... args) {
        return io.finegrained.cli.CliInJvm.run(args);
    }

    /** The CLI in a JVM of its own, as the launcher runs it, the S3A settings as {@code -Dspark.hadoop.*}. */
    private static Process childSearch(Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true"));
        s3.sparkSettings().forEach((k, v) -> command.add("-D" + k + "=" + v));
        for (String module : ClusterResources.JAVA17_OPENS) {
            command.add("--add-opens=" + module + "=ALL-UNNAMED");
        }
        command.addAll(List.of("-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "io.finegrained.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("DJL_OFFLINE", "true");
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return builder.start();
    }
}
