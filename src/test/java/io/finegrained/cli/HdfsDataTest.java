package io.finegrained.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finegrained.cluster.MiniHdfs;
import io.finegrained.train.SubsetExports;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.security.UserGroupInformation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data on a real HDFS: a {@link MiniHdfs} (one NameNode, one DataNode, on loopback) started
 * for this class. A DJL search on {@code local[1]} reading the embedded subset's IDX files from
 * {@code hdfs://}, and one reading it as a Parquet table there, give every trial the metrics the
 * same search gives from local files; the trial logs show the first trial of the JVM reading the
 * data and the later ones finding it cached (the times go to docs/cluster.md). A folder that is
 * not there and one the user may not read are configuration errors before anything trains.
 */
@Tag("cluster")
class HdfsDataTest {
    private static final Pattern DATA_LINE = Pattern.compile("data: (read|cached) in ([0-9.]+) s");

    @TempDir
    static Path dir;
    private static MiniHdfs cluster;
    private static String hdfs;

    @BeforeAll
    static void startHdfs() throws Exception {
        cluster = MiniHdfs.start(dir);
        hdfs = cluster.uri();
        SubsetExports.idx(hdfs + "/data/idx");
        SubsetExports.parquet(hdfs + "/data/parquet");
        SubsetExports.idx(dir.resolve("idx").toUri().toString());
        FileSystem fs = cluster.fs();
        fs.mkdirs(new org.apache.hadoop.fs.Path("/private"), new FsPermission((short) 0700));
        fs.setPermission(new org.apache.hadoop.fs.Path("/private"), new FsPermission((short) 0700));
    }

    @AfterAll
    static void stopHdfs() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Path job(String name, String dataset) throws Exception {
        Path file = dir.resolve(name + ".yml");
        Files.writeString(file, """
                search_algorithm:
                  type: RandomSearch
                  samples: 3
                  seed: 5
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
                  epochs: 1
                  batch_size: 64
                objectives:
                  accuracy: max
                  params: min
                dataset:
                """ + dataset.indent(2));
        return file;
    }

    /** Runs the search and returns each trial's journal row by id, printing the trial logs' data lines. */
    private static TreeMap<Integer, JsonNode> search(String name, String dataset, List<String> dataLines) throws Exception {
        Path run = dir.resolve("run-" + name);
        long start = System.nanoTime();
        String[] r = ExplainCommandTest.run("search", job(name, dataset).toString(), "--output", run.toString(), "--master",
                "local[1]");
        assertEquals("0", r[0], r[2]);
        System.err.printf(Locale.ROOT, "search %s: %.1f s%n", name, (System.nanoTime() - start) / 1e9);
        TreeMap<Integer, JsonNode> rows = new TreeMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(run.resolve("trials.jsonl"))) {
            JsonNode row = json.readTree(line);
            assertEquals("OK", row.get("status").asText(), line);
            rows.put(row.get("id").asInt(), row);
        }
        for (int id : rows.keySet()) {
            String log = Files.readString(run.resolve("trials").resolve(Integer.toString(id)).resolve("trial.log"));
            Matcher m = DATA_LINE.matcher(log);
            assertTrue(m.find(), log);
            dataLines.add(name + " trial " + id + ": " + m.group());
            System.err.println(name + " trial " + id + ": " + m.group());
        }
        return rows;
    }

    @Test
    void aSearchReadsIdxAndParquetFromHdfsWithTheMetricsOfLocalFiles() throws Exception {
        // A dataset seed of its own: the JVM's cache holds no copy of this dataset yet, so the first trial reads it.
        List<String> local = new ArrayList<>();
        List<String> remote = new ArrayList<>();
        List<String> table = new ArrayList<>();
        TreeMap<Integer, JsonNode> fromLocal = search("local", "source: idx\npath: idx\nseed: 11\n", local);
        TreeMap<Integer, JsonNode> fromHdfs = search("hdfs", "source: idx\npath: " + hdfs + "/data/idx\nseed: 11\n", remote);
        TreeMap<Integer, JsonNode> fromParquet = search("parquet", "source: parquet\npath: " + hdfs + "/data/parquet\nseed: 11\n",
                table);
        // Local files again, now that the JVM has loaded Hadoop's classes: the fair local figure for docs/cluster.md.
        search("local-again", "source: idx\npath: idx\nseed: 12\n", new ArrayList<>());
        assertEquals(3, fromLocal.size());
        for (TreeMap<Integer, JsonNode> other : List.of(fromHdfs, fromParquet)) {
            assertEquals(fromLocal.keySet(), other.keySet());
            for (int id : fromLocal.keySet()) {
                assertEquals(fromLocal.get(id).get("hyperparameters"), other.get(id).get("hyperparameters"));
                assertEquals(fromLocal.get(id).get("metrics").get("accuracy").asDouble(),
                        other.get(id).get("metrics").get("accuracy").asDouble(), other.get(id).toString());
            }
        }
        for (List<String> lines : List.of(local, remote, table)) {
            // One trial of the JVM reads the data (the first; on a session with two slots, whichever loaded first),
            // the others find it cached.
            long reads = lines.stream().filter(l -> l.contains("data: read in")).count();
            assertEquals(1, reads, "read once: " + lines);
            assertEquals(lines.size() - reads, lines.stream().filter(l -> l.contains("data: cached in")).count(),
                    "the others find it cached: " + lines);
            assertTrue(lines.get(lines.size() - 1).contains("data: cached in"), "the last trial finds it cached: " + lines);
        }
    }

    @Test
    void trainExportsToHdfsAndStartsFromTheExportThere() throws Exception {
        String network = """
                search_space:
                  modules: ['init', 'head']
                  init: {type: SmallInputInitialBlock, init_plane: 8}
                  head: {type: LinearClassificationHead, base_channel: 8, num_class: 10}
                trainer: {epochs: 1, seed: 3}
                """;
        Path first = dir.resolve("export.yml");
        Files.writeString(first, network);
        String model = hdfs + "/models/tiny";
        String[] trained = ExplainCommandTest.run("train", first.toString(), "--json", "--output", model);
        assertEquals("0", trained[0], trained[2]);
        FileSystem fs = cluster.fs();
        assertTrue(fs.isFile(new org.apache.hadoop.fs.Path("/models/tiny/model-0000.params")));
        assertTrue(fs.isFile(new org.apache.hadoop.fs.Path("/models/tiny/network.yml")));
        // A learning rate near zero: the test accuracy is the loaded parameters'.
        Path again = dir.resolve("again.yml");
        Files.writeString(again, network.replace("seed: 3}", "seed: 3, lr: 1.0E-12, momentum: 0.0, weight_decay: 0.0}"));
        String[] resumed = ExplainCommandTest.run("train", again.toString(), "--json", "--init-from", model);
        assertEquals("0", resumed[0], resumed[2]);
        double before = ExplainCommandTest.lastJson(trained[1]).get("metrics").get("accuracy").asDouble();
        double after = ExplainCommandTest.lastJson(resumed[1]).get("metrics").get("accuracy").asDouble();
        assertEquals(before, after, 0.03, "started from the parameters on HDFS");
        String[] fresh = ExplainCommandTest.run("train", again.toString(), "--json");
        double untrained = ExplainCommandTest.lastJson(fresh[1]).get("metrics").get("accuracy").asDouble();
        assertTrue(before - untrained > 0.05, "the check can fail: untrained " + untrained + ", trained " + before);

        String[] missing = ExplainCommandTest.run("train", again.toString(), "--init-from", hdfs + "/models/none");
        assertEquals("2", missing[0], missing[2]);
        assertTrue(missing[2].contains("--init-from " + hdfs + "/models/none: no such folder; expected a model exported"),
                missing[2]);
    }

    @Test
    void aFolderThatIsNotThereIsAConfigurationError() throws Exception {
        String[] r = ExplainCommandTest.run("train", job("nowhere", "source: idx\npath: " + hdfs + "/data/nowhere\n").toString());
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("nowhere.yml:24:9: dataset.path: " + hdfs + "/data/nowhere: no such folder; expected the"
                + " folder holding the IDX files"), r[2]);
        assertTrue(!r[2].contains("\tat "), r[2]);
    }

    @Test
    void aFolderTheUserMayNotReadIsAConfigurationError() throws Exception {
        Path job = job("private", "source: idx\npath: " + hdfs + "/private\n");
        String[] r = UserGroupInformation.createRemoteUser("bob").doAs(
                (PrivilegedExceptionAction<String[]>) () -> ExplainCommandTest.run("train", job.toString()));
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("private.yml:24:9: dataset.path: " + hdfs + "/private: permission denied (Permission denied:"
                + " user=bob, access=READ_EXECUTE"), r[2]);
        assertTrue(!r[2].contains("\tat "), r[2]);
        assertTrue(new File(dir.toFile(), "private.yml").isFile());
    }
}
