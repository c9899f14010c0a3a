package io.finegrained.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.spark.ClusterResources;
import io.finegrained.spark.RunRefusedException;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * In cluster deploy mode the driver's container disk is lost when it ends: a run directory on
 * it is refused before anything is created (ClusterResources.requireDurableOutput), exit 2.
 */
class ClusterDeployModeTest {
    @TempDir
    Path tmp;
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();
    private final ByteArrayOutputStream err = console.err();

    @AfterEach
    void clearDeployMode() {
        System.clearProperty(ClusterResources.DEPLOY_MODE);
    }

    @Test
    void theDeployModeComesFromTheSessionElseFromSparkSubmitsProperties() {
        assertEquals("client", ClusterResources.deployMode(null));
        assertEquals("client", ClusterResources.deployMode(new SparkConf(false)));
        System.setProperty(ClusterResources.DEPLOY_MODE, "cluster");
        assertEquals("cluster", ClusterResources.deployMode(null), "what spark-submit hands the driver JVM");
        assertEquals("client", ClusterResources.deployMode(new SparkConf(false).set(ClusterResources.DEPLOY_MODE, "client")),
                "a given session's own setting wins");
    }

    @Test
    void inClusterModeOnlyARemoteOutputPasses() {
        for (String remote : new String[] {"hdfs://nn:8020/runs/a", "hdfs:/nn/runs/a", "s3a://bucket/runs/a", "gs://b/r"}) {
            ClusterResources.requireDurableOutput("cluster", remote);
        }
        for (String local : new String[] {"/data/runs/a", "runs/a", "file:///data/runs/a", "FILE:/x"}) {
            RunRefusedException e = assertThrows(RunRefusedException.class, () -> ClusterResources.requireDurableOutput("cluster", local));
            assertEquals("the driver runs in the cluster (spark.submit.deployMode=cluster), and its container's disk is lost when "
                    + "the driver ends: --output " + local + " is on it. Give --output a URI of storage that outlives it, e.g. "
                    + "hdfs://namenode:8020/runs/nas1 or s3a://bucket/runs/nas1, or submit with --deploy-mode client", e.getMessage());
        }
        RunRefusedException none = assertThrows(RunRefusedException.class, () -> ClusterResources.requireDurableOutput("cluster", null));
        assertTrue(none.getMessage().contains("no --output was given, so the run directory would be runs/<name>-<time> on it"),
                none.getMessage());
        ClusterResources.requireDurableOutput("client", "/data/runs/a");
        ClusterResources.requireDurableOutput("client", null);
    }

    @Test
    void theSearchCommandRefusesALocalOutputInClusterModeWithExit2() throws Exception {
        Path conf = tmp.resolve("job.yml");
        Files.writeString(conf, "search_algorithm: {type: RandomSearch, samples: 2, seed: 1}\n"
                + "search_space:\n  hyper_parameters:\n    x: {type: FLOAT, range: [0.0, 1.0]}\n"
                + "trial: {type: command, command: [/bin/echo, '{\"f\": 1}']}\nobjectives: {f: min}\n");
        Path run = tmp.resolve("run");
        System.setProperty(ClusterResources.DEPLOY_MODE, "cluster");
        assertEquals(2, Main.run("search", conf.toString(), "--output", run.toString()));
        String text = err.toString();
        assertTrue(text.startsWith("finegrained: the driver runs in the cluster (spark.submit.deployMode=cluster)"), text);
        assertFalse(text.contains("\tat "), "no stack trace: " + text);
        assertFalse(Files.exists(run), "nothing was created");
    }
}
