package io.finegrained.trial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.cluster.MiniHdfs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run directory at an {@code hdfs://} URI (a MiniDFSCluster on loopback): a trial that reads
 * the run's token there writes locally and its files are copied there after it; one that does
 * not (another token) sends them back to the driver instead.
 */
@Tag("cluster") // a MiniDFSCluster
class TrialFilesHdfsTest {
    @TempDir
    static Path dir;
    private static MiniHdfs cluster;
    private static FileSystem fs;
    private static String hdfs;

    @BeforeAll
    static void startHdfs() throws Exception {
        cluster = MiniHdfs.start(dir);
        hdfs = cluster.uri();
        fs = cluster.fs();
    }

    @AfterAll
    static void stopHdfs() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static void write(String path, String text) throws Exception {
        try (FSDataOutputStream out = fs.create(new org.apache.hadoop.fs.Path(path), true)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String read(String path) throws Exception {
        try (FSDataInputStream in = fs.open(new org.apache.hadoop.fs.Path(path))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aReachableRemoteRunDirectoryGetsTheFilesCopiedThere() throws Exception {
        String trials = hdfs + "/runs/a/trials";
        write(trials + "/" + TrialFiles.TOKEN_FILE, "tokenA\n");
        TrialFiles.Destination files = new TrialFiles.Destination(trials, "tokenA", 0);
        assertTrue(files.remote());
        assertTrue(files.reachable());
        assertFalse(files.inPlace(), "DJL saves to local folders only: the trial writes locally first");
        Path local = files.folder(2);
        Files.createDirectories(local.resolve("model"));
        Files.writeString(local.resolve("trial.log"), "segment 1\n");
        Files.writeString(local.resolve("model/network.yml"), "net: 1\n");
        Files.createDirectories(local.resolve("checkpoint"));
        Files.writeString(local.resolve("checkpoint/state.bin"), "state");

        assertNull(files.deliver(2, false, Map.of()), "nothing travels to the driver: the files are copied");
        assertEquals("segment 1\n", read(trials + "/2/trial.log"));
        assertEquals("net: 1\n", read(trials + "/2/model/network.yml"));
        assertFalse(fs.exists(new org.apache.hadoop.fs.Path(trials + "/2/checkpoint")), "checkpoints travel as bytes");
        assertFalse(Files.exists(local.resolve("trial.log")), "the local copy is gone");

        // A later segment, on a machine whose local folder has no earlier log: appended there.
        Map<String, Long> before = files.sizes(2);
        Files.writeString(local.resolve("trial.log"), "segment 2\n");
        assertNull(files.deliver(2, true, before));
        assertEquals("segment 1\nsegment 2\n", read(trials + "/2/trial.log"));
        deleteTree(local.getParent());
    }

    @Test
    void aRemoteRunDirectoryWithAnotherTokenIsNotReachableAndTheFilesGoToTheDriver() throws Exception {
        String trials = hdfs + "/runs/b/trials";
        write(trials + "/" + TrialFiles.TOKEN_FILE, "tokenB\n");
        TrialFiles.Destination files = new TrialFiles.Destination(trials, "not-tokenB", 1 << 20);
        assertFalse(files.reachable());
        Path local = files.folder(3);
        Files.createDirectories(local);
        Files.writeString(local.resolve("trial.log"), "hello\n");
        TrialFiles.Returned returned = files.deliver(3, false, Map.of());
        assertNotNull(returned);
        assertEquals("hello\n", new String(returned.files().get(0).bytes(), StandardCharsets.UTF_8));
        assertFalse(fs.exists(new org.apache.hadoop.fs.Path(trials + "/3")), "not written on HDFS");
        assertFalse(new TrialFiles.Destination(hdfs + "/runs/none/trials", "t", 0).reachable(), "no such folder");
        deleteTree(local.getParent());
    }

    private static void deleteTree(Path root) throws Exception {
        if (Files.exists(root)) {
            try (var walk = Files.walk(root)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
