package io.finegrained.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.spark.ClusterResources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole search whose run directory fills up (issue #14: "a Spark stack trace on a full disk").
 * The run directory is a 256 KB tmpfs, mounted in a private mount namespace of the search's own
 * JVM ({@code unshare --mount}, as root), so nothing outside the test sees it. Each trial writes
 * 300 KB to stdout: its log cannot be kept, which is the environment's failure, not the
 * candidate's. The run must stop with one line per trial and no stack trace, journal no row, and
 * exit 1.
 */
@Tag("slow")
class FullDiskCliTest {
    @TempDir
    Path tmp;

    @Test
    void aRunDirectoryThatFillsUpStopsTheRunWithoutAStackTraceAndJournalsNoRow() throws Exception {
        Path job = tmp.resolve("job.yml");
        Files.writeString(job, "search_algorithm: {type: RandomSearch, samples: 2, seed: 1}\n"
                + "search_space:\n  hyper_parameters:\n    x: {type: FLOAT, range: [0.0, 1.0]}\n"
                + "trial: {type: command, command: [/bin/sh, -c, 'head -c 300000 /dev/zero | tr \"\\\\0\" x; echo;"
                + " echo {\\\"f\\\": 1}'], timeout_s: 60}\n"
                + "objectives: {f: min}\n");
        Path mount = Files.createDirectory(tmp.resolve("small-disk"));
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true"));
        for (String module : ClusterResources.JAVA17_OPENS) {
            java.add("--add-opens=" + module + "=ALL-UNNAMED");
        }
        java.addAll(List.of("-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "io.finegrained.cli.Main", "search", job.toString(), "--output", mount.resolve("run").toString(),
                "--master", "local[1]"));
        // In the private namespace: mount the small disk, run the search, then show its journal before the mount goes.
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
                "mount -t tmpfs -o size=256k finegrained-full \"$1\" || exit 90; shift; \"$@\"; rc=$?;"
                        + " echo '== journal'; cat \"$0\"/run/trials.jsonl; echo '== end'; exit $rc",
                mount.toString(), mount.toString()));
        command.addAll(java);
        Path log = tmp.resolve("search.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("DJL_OFFLINE", "true");
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process search = builder.start();
        assertTrue(search.waitFor(5, TimeUnit.MINUTES), "the search ended");
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(search.exitValue() != 90, "unshare and mount need root: " + out);
        assertEquals(1, search.exitValue(), out);
        assertTrue(out.contains("No space left on device"), "the reason is named: " + out);
        assertTrue(out.contains("could not run because of their environment, not their candidate"), out);
        assertFalse(out.contains("\tat "), "no stack trace: " + out);
        assertFalse(out.contains("Exception in thread"), out);
        String journal = out.substring(out.indexOf("== journal") + "== journal".length(), out.indexOf("== end")).trim();
        assertEquals("", journal, "a full disk is not a verdict: no trial row");
    }
}
