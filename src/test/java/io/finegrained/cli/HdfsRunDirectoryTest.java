package io.finegrained.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finegrained.config.JobConfig;
import io.finegrained.search.Candidate;
import io.finegrained.search.TrialResult;
import io.finegrained.cluster.MiniHdfs;
import io.finegrained.spark.ClusterResources;
import io.finegrained.spark.RunDirectory;
import io.finegrained.train.HadoopConf;
import io.finegrained.train.SubsetExports;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.security.UserGroupInformation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run directory on a real HDFS ({@link MiniHdfs}, one per class): a DJL search whose data,
 * journal, events, configuration, checkpoints and front models are on {@code hdfs://}; a second
 * run refused while the first holds the journal's lease; a driver killed with {@code kill -9}
 * and resumed from HDFS without re-running a journaled trial; bad locations refused at the start
 * with exit 2; and the journal's append cost per result, HDFS against the local disk.
 */
@Tag("cluster")
class HdfsRunDirectoryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    private static MiniHdfs hdfs;

    /**
     * One DataNode: files keep one replica, and an append's pipeline is not offered a replacement
     * DataNode that does not exist (Hadoop's default asks for one on a file of replication 3).
     */
    private static final Map<String, String> ONE_DATANODE = Map.of("spark.hadoop.dfs.replication", "1",
            "spark.hadoop.dfs.client.block.write.replace-datanode-on-failure.policy", "NEVER");

    @BeforeAll
    static void startHdfs() throws Exception {
        HadoopConf.useSparkSettings(ONE_DATANODE);
        hdfs = MiniHdfs.start(dir);
        SubsetExports.idx(hdfs.uri() + "/data/idx");
        FileSystem fs = hdfs.fs();
        fs.mkdirs(new org.apache.hadoop.fs.Path("/private"));
        fs.setPermission(new org.apache.hadoop.fs.Path("/private"), new FsPermission((short) 0700));
        try (var out = fs.create(new org.apache.hadoop.fs.Path("/afile"))) {
            out.write("not a folder\n".getBytes(StandardCharsets.UTF_8));
        }
        fs.mkdirs(new org.apache.hadoop.fs.Path("/users"));
        try (var out = fs.create(new org.apache.hadoop.fs.Path("/users/notes.txt"))) {
            out.write("keep me\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    @AfterAll
    static void stopHdfs() {
        HadoopConf.useSparkSettings(Map.of("spark.hadoop." + "finegrained.journal.lease_wait_s", "120",
                "spark.hadoop.finegrained.journal.sync", "hsync"));
        if (hdfs != null) {
            hdfs.close();
        }
    }

    /** An asynchronous DJL search (ASHA over 1 and 2 epochs: checkpoints and events) reading the subset from HDFS. */
    private static Path job(String name, int samples) throws IOException {
        Path file = dir.resolve(name + ".yml");
        Files.writeString(file, """
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
                objectives:
                  accuracy: max
                dataset:
                  source: idx
                  path: %s/data/idx
                  seed: 11
                """.formatted(samples, hdfs.uri()));
        return file;
    }

    private static String text(String path) throws IOException {
        try (InputStream in = hdfs.fs().open(new org.apache.hadoop.fs.Path(path))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static boolean exists(String path) throws IOException {
        return hdfs.fs().exists(new org.apache.hadoop.fs.Path(path));
    }

    /** The complete rows of a JSON-lines file on HDFS (a line being written is left out). */
    private static List<JsonNode> rows(String path) throws IOException {
        if (!exists(path)) {
            return List.of();
        }
        String text = text(path);
        List<JsonNode> rows = new ArrayList<>();
        int end = text.lastIndexOf('\n');
        for (String line : end < 0 ? List.<String>of() : text.substring(0, end).lines().toList()) {
            rows.add(JSON.readTree(line));
        }
        return rows;
    }

    @Test
    void trainAndExplainReadTheirJobFileFromHdfs() throws Exception {
        Path job = job("trainme", 1);
        hdfs.fs().copyFromLocalFile(new org.apache.hadoop.fs.Path(job.toUri()), new org.apache.hadoop.fs.Path("/jobs/trainme.yml"));
        String jobUri = hdfs.uri() + "/jobs/trainme.yml";

        String[] explained = ExplainCommandTest.run("explain", jobUri);
        assertEquals("0", explained[0], explained[2]);
        assertEquals(ExplainCommandTest.run("explain", job.toString())[1], explained[1], "the same table as the local copy gives");

        String[] trained = ExplainCommandTest.run("train", jobUri, "--epochs", "1", "--json", "--output", hdfs.uri() + "/models/trainme");
        assertEquals("0", trained[0], trained[2]);
        assertTrue(trained[2].startsWith("train: trainme.yml, "), trained[2]);
        assertTrue(exists("/models/trainme/model-0000.params"), "the model exported to HDFS");

        String[] missing = ExplainCommandTest.run("train", hdfs.uri() + "/jobs/none.yml");
        assertEquals("2", missing[0], missing[2]);
        assertTrue(missing[2].contains("cannot read the job file: ") && missing[2].contains("/jobs/none.yml"), missing[2]);
        assertFalse(missing[2].contains("\tat "), "no stack trace: " + missing[2]);

        // An error in a job file on HDFS names the URI, line and column, as a local file's does.
        try (var out = hdfs.fs().create(new org.apache.hadoop.fs.Path("/jobs/typo.yml"))) {
            out.write("search_space: {hyper_parameters: {x: {type: FLOAT, range: [0.0, 1.0]}}}\ntrainr: {epochs: 1}\n"
                    .getBytes(StandardCharsets.UTF_8));
        }
        String[] typo = ExplainCommandTest.run("explain", hdfs.uri() + "/jobs/typo.yml");
        assertEquals("2", typo[0], typo[2]);
        assertTrue(typo[2].contains(hdfs.uri() + "/jobs/typo.yml:2:1: "), typo[2]);
        assertTrue(typo[2].contains("trainr"), typo[2]);
    }

    @Test
    void aRelativeCommandInARemoteJobFileIsNamed() throws Exception {
        Path job = dir.resolve("relative.yml");
        Files.writeString(job, """
                search_algorithm: {type: RandomSearch, samples: 1, seed: 1}
                search_space:
                  hyper_parameters:
                    x: {type: FLOAT, range: [0.0, 1.0]}
                trial: {type: command, command: [/bin/sh, scripts/work.sh, '{x}'], timeout_s: 30}
                objectives: {f: min}
                """);
        hdfs.fs().copyFromLocalFile(new org.apache.hadoop.fs.Path(job.toUri()), new org.apache.hadoop.fs.Path("/jobs/relative.yml"));
        String jobUri = hdfs.uri() + "/jobs/relative.yml";
        String[] r = ExplainCommandTest.run("search", jobUri, "--output", dir.resolve("relative-run").toString(), "--master", "local[1]");
        assertTrue(r[2].startsWith("warning: trial.command[1] 'scripts/work.sh' is a relative path in a job file read from " + jobUri
                + ": it cannot resolve against the job file's folder"), r[2]);
        assertFalse(r[2].contains("trial.command[0]") || r[2].contains("trial.command[2]"), "only the relative path is named: " + r[2]);
        // The same job read locally resolves against its folder: no warning.
        String[] local = ExplainCommandTest.run("search", job.toString(), "--output", dir.resolve("relative-local").toString(),
                "--master", "local[1]");
        assertFalse(local[2].contains("warning: trial.command"), local[2]);
    }

    @Test
    void aDjlSearchKeepsItsJournalEventsConfigAndModelsOnHdfs() throws Exception {
        Path job = job("onhdfs", 3);
        // The job file on HDFS too, as in cluster deploy mode, where the driver has no local copy.
        hdfs.fs().copyFromLocalFile(new org.apache.hadoop.fs.Path(job.toUri()), new org.apache.hadoop.fs.Path("/jobs/onhdfs.yml"));
        String jobUri = hdfs.uri() + "/jobs/onhdfs.yml";
        String run = hdfs.uri() + "/runs/onhdfs";
        long start = System.nanoTime();
        String[] r = ExplainCommandTest.run("search", jobUri, "--output", run, "--master", "local[1]");
        assertEquals("0", r[0], r[2]);
        System.err.printf(Locale.ROOT, "DJL search with its run directory on HDFS: %.1f s%n", (System.nanoTime() - start) / 1e9);
        assertFalse(Files.exists(Path.of("hdfs:")), "no local folder named after the scheme");
        assertTrue(r[1].contains("in " + run), r[1]);

        List<JsonNode> journal = rows("/runs/onhdfs/trials.jsonl");
        assertEquals(Set.of(0, 1, 2), ids(journal), journal.toString());
        assertTrue(journal.stream().allMatch(j -> Set.of("OK", "STOPPED").contains(j.get("status").asText())), journal.toString());
        String config = Files.readString(job);
        assertEquals(config, text("/runs/onhdfs/config.yml"));
        assertEquals(RunDirectory.sha256(config) + "  config.yml\n", text("/runs/onhdfs/config.sha256"));
        assertTrue(exists("/runs/onhdfs/" + RunDirectory.MARKER_FILE));
        List<JsonNode> events = rows("/runs/onhdfs/events.jsonl");
        assertTrue(events.stream().anyMatch(e -> e.get("event").asText().equals("started")), events.toString());
        assertTrue(events.stream().anyMatch(e -> e.get("event").asText().equals("rung")), events.toString());
        assertTrue(events.stream().anyMatch(e -> e.get("event").asText().equals("checkpoint")), "DJL segments checkpoint: " + events);
        assertTrue(exists("/runs/onhdfs/best.csv"), "the front table");
        for (int id : ids(journal)) {
            // Each trial wrote in a local staging folder and copied its files to the run directory (TrialFiles).
            String log = "/runs/onhdfs/trials/" + id + "/trial.log";
            assertTrue(exists(log), "trial " + id + "'s log on HDFS");
            assertTrue(text(log).contains("trial " + id + " "), text(log));
        }
        JsonNode best = journal.stream().filter(j -> j.get("status").asText().equals("OK"))
                .max((a, b) -> Double.compare(a.get("metrics").get("accuracy").asDouble(), b.get("metrics").get("accuracy").asDouble()))
                .orElseThrow();
        String model = "/runs/onhdfs/models/" + best.get("id").asInt();
        assertTrue(hdfs.fs().listStatus(new org.apache.hadoop.fs.Path(model)).length >= 2, "the best trial's model on HDFS");
        assertTrue(text(model + "/network.yml").contains("init"), "its resolved YAML");

        // A finished run reported again from HDFS: nothing runs, nothing changes in the journal.
        String before = text("/runs/onhdfs/trials.jsonl");
        String[] again = ExplainCommandTest.run("search", jobUri, "--output", run, "--resume", "--master", "local[1]");
        assertEquals("0", again[0], again[2]);
        assertTrue(again[1].contains("nothing was run"), again[1]);
        assertEquals(before, text("/runs/onhdfs/trials.jsonl"));
    }

    private static Set<Integer> ids(List<JsonNode> rows) {
        Set<Integer> ids = new TreeSet<>();
        for (JsonNode row : rows) {
            assertTrue(ids.add(row.get("id").asInt()), "one row per trial: " + rows);
        }
        return ids;
    }

    @Test
    void aBadOutputLocationIsExit2BeforeAnythingRuns() throws Exception {
        String job = job("bad", 2).toString();
        String[] r = ExplainCommandTest.run("search", job, "--output", "nope://somewhere/runs/x");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("the run directory nope://somewhere/runs/x: no file system for the scheme 'nope'"), r[2]);

        r = ExplainCommandTest.run("search", job, "--output", hdfs.uri() + "/afile");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("the run directory " + hdfs.uri() + "/afile is a file, not a folder; nothing was changed"), r[2]);

        r = ExplainCommandTest.run("search", job, "--output", hdfs.uri() + "/afile/run");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("cannot create the run directory " + hdfs.uri() + "/afile/run: a file is in the way"), r[2]);

        String[] denied = UserGroupInformation.createRemoteUser("bob").doAs((PrivilegedExceptionAction<String[]>)
                () -> ExplainCommandTest.run("search", job, "--output", hdfs.uri() + "/private/run"));
        assertEquals("2", denied[0], denied[2]);
        assertTrue(denied[2].contains("run directory " + hdfs.uri() + "/private/run: permission denied"), denied[2]);

        r = ExplainCommandTest.run("search", job, "--output", hdfs.uri() + "/users");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("is not empty and is not a run of finegrained: it holds 1 entry (notes.txt)"), r[2]);
        assertEquals(1, hdfs.fs().listStatus(new org.apache.hadoop.fs.Path("/users")).length, "nothing added");
        assertEquals("keep me\n", text("/users/notes.txt"));
        for (String[] each : List.of(r, denied)) {
            assertFalse(each[2].contains("\tat "), each[2]);
            assertFalse(each[2].contains("starting Spark"), "refused before Spark starts: " + each[2]);
        }
        assertFalse(exists("/afile/run"));
        assertFalse(exists("/private/run"));
    }

    @Test
    void theLeaseRefusesASecondRunAndResumeAfterAKilledDriverRecoversIt() throws Exception {
        int samples = 8;
        Path job = job("killed", samples);
        String run = hdfs.uri() + "/runs/killed";
        Path log = dir.resolve("killed-driver.log");
        Process driver = childSearch(job, run, log);
        try {
            Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
            while (rows("/runs/killed/trials.jsonl").size() < 2) {
                assertTrue(driver.isAlive(), "the driver ended early:\n" + Files.readString(log));
                assertTrue(Instant.now().isBefore(deadline), "no two journaled trials in time:\n" + Files.readString(log));
                Thread.sleep(200);
            }
            // The first run holds the journal's lease: a second one is refused at once, with or without --resume.
            String[] second = ExplainCommandTest.run("search", job.toString(), "--output", run, "--master", "local[1]");
            assertEquals("2", second[0], second[2]);
            assertTrue(second[2].contains("the run directory " + run + " is in use by another search (the journal " + run
                    + "/trials.jsonl is held open for writing"), second[2]);
            HadoopConf.useSparkSettings(Map.of("spark.hadoop.finegrained.journal.lease_wait_s", "3"));
            String[] resumed = ExplainCommandTest.run("search", job.toString(), "--output", run, "--resume", "--master", "local[1]");
            assertEquals("2", resumed[0], resumed[2]);
            assertTrue(resumed[2].contains("was still held open for writing after 3 s"), resumed[2]);
            assertTrue(driver.isAlive(), "the first run goes on:\n" + Files.readString(log));

            // The NameNode lets a lease go a second after its last renewal (a minute by default), then: kill -9.
            hdfs.leasePeriod(1000, 1_200_000);
            assertTrue(driver.toHandle().destroyForcibly(), "kill -9 the driver");
            assertTrue(driver.waitFor(30, TimeUnit.SECONDS));
        } finally {
            driver.destroyForcibly();
        }
        List<JsonNode> before = rows("/runs/killed/trials.jsonl");
        int eventsBefore = rows("/runs/killed/events.jsonl").size();
        assertTrue(before.size() >= 2 && before.size() < samples, "killed mid-run: " + before.size() + " journaled");

        HadoopConf.useSparkSettings(Map.of("spark.hadoop.finegrained.journal.lease_wait_s", "60"));
        long start = System.nanoTime();
        String[] resumed;
        try {
            resumed = ExplainCommandTest.run("search", job.toString(), "--output", run, "--resume", "--master", "local[1]");
        } finally {
            hdfs.leasePeriod(60_000, 1_200_000);
        }
        assertEquals("0", resumed[0], resumed[2]);
        System.err.printf(Locale.ROOT, "resume from HDFS after kill -9 (lease recovery included): %.1f s%n",
                (System.nanoTime() - start) / 1e9);

        List<JsonNode> after = rows("/runs/killed/trials.jsonl");
        assertEquals(samples, ids(after).size(), after.toString());
        assertEquals(before, after.subList(0, before.size()), "the journaled rows stay as they were, first");
        Set<Integer> journaled = ids(before);
        List<JsonNode> events = rows("/runs/killed/events.jsonl");
        for (JsonNode e : events.subList(eventsBefore, events.size())) {
            assertFalse(e.get("event").asText().equals("started") && journaled.contains(e.get("id").asInt()),
                    "a journaled trial ran again: " + e);
        }
        assertTrue(resumed[1].contains("ran " + (samples - before.size()) + " trials"), resumed[1]);
    }

    /** {@code finegrained search} in a JVM of its own, as the launcher runs it. */
    private static Process childSearch(Path job, String run, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true"));
        ONE_DATANODE.forEach((k, v) -> command.add("-D" + k + "=" + v));
        for (String module : ClusterResources.JAVA17_OPENS) {
            command.add("--add-opens=" + module + "=ALL-UNNAMED");
        }
        command.addAll(List.of("-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "io.finegrained.cli.Main", "search", job.toString(), "--output", run, "--master", "local[1]"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("DJL_OFFLINE", "true");
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return builder.start();
    }

    @Test
    void theJournalsAppendCostPerResultOnHdfsAndOnTheLocalDisk() throws Exception {
        JobConfig config = JobConfig.parse("search_space:\n  hyper_parameters:\n    x: {type: FLOAT, range: [0.0, 1.0]}\n",
                dir.resolve("cost.yml"));
        int rows = 200;
        Map<String, Double> millis = new TreeMap<>();
        for (String sync : List.of("hsync", "hflush")) {
            HadoopConf.useSparkSettings(Map.of("spark.hadoop.finegrained.journal.sync", sync));
            millis.put("hdfs " + sync, appendCost(hdfs.uri() + "/cost/" + sync, config, rows, true));
        }
        HadoopConf.useSparkSettings(Map.of("spark.hadoop.finegrained.journal.sync", "hsync"));
        millis.put("local force", appendCost(dir.resolve("cost-local").toString(), config, rows, false));
        System.err.println("journal append per result, ms (" + rows + " rows): " + millis);
    }

    /** Appends {@code rows} results, checking each is visible to another reader as soon as append returns; ms per row. */
    private static double appendCost(String location, JobConfig config, int rows, boolean onHdfs) throws Exception {
        long total = 0;
        try (RunDirectory run = RunDirectory.open(location, config, false, null)) {
            for (int i = 0; i < rows; i++) {
                TrialResult result = TrialResult.failed(new Candidate(i, 0, Map.of("x", 0.5)), "a row of typical size", 1.5);
                long start = System.nanoTime();
                run.journal().append(result);
                total += System.nanoTime() - start;
                if (i % 50 == 0 || i == rows - 1) {
                    int seen = onHdfs ? rows(location.substring(hdfs.uri().length()) + "/trials.jsonl").size()
                            : Files.readAllLines(Path.of(location, "trials.jsonl")).size();
                    assertEquals(i + 1, seen, "durable and visible when append returns");
                }
            }
        }
        return total / 1e6 / rows;
    }
}
