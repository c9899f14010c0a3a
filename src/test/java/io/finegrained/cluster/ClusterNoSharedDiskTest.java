package io.finegrained.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.search.TrialResult;
import io.finegrained.search.TrialStatus;
import io.finegrained.spark.Journal;
import io.finegrained.trial.TrialFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No shared file system: the run directory is on the driver's local disk, and the executors of
 * a real standalone cluster cannot see it. The worker runs in a mount namespace of its own with
 * an empty tmpfs over the folder that holds the job file and the run directory
 * ({@link StandaloneCluster.Options#withHiddenFolder}), so an executor finds nothing there, and
 * what it would write there stays in its namespace. Each trial writes in a local folder; its
 * logs and model come back with its result and the driver writes them into
 * {@code trials/<id>/}; what is over {@code trial.return_files_max_mb} stays on the executor,
 * and the run says where.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
@Tag("cluster") // a standalone Spark cluster on 127.0.0.1; needs root for unshare --mount
class ClusterNoSharedDiskTest {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    private static final String HIDDEN = "driver-disk";
    private static final int BIG = 2 << 20;

    /**
     * The trial program: reports whether it sees a file the driver wrote beside the run directory
     * (and, as a control, one in the cluster's own folder, which it does see), writes a file of
     * its own, and trial 1 writes {@value #BIG} bytes more than the 1 MB bound.
     */
    private static final String SCRIPT = """
            id=$(sed -n 's/.*"id":\\([0-9]*\\).*/\\1/p' candidate.json)
            seen=0; [ -e %s ] && seen=1
            control=0; [ -e %s ] && control=1
            echo "trial $id" > out.txt
            if [ "$id" = 1 ]; then head -c %d /dev/zero > big.bin; fi
            echo "stderr of $id" >&2
            echo "{\\"f\\": $id, \\"sees_driver_disk\\": $seen, \\"sees_cluster_dir\\": $control}"
            """;

    private static final String SPARK = """
            spark:
              conf:
                spark.executor.cores: 1
                spark.cores.max: 2
                spark.executor.memory: %s
                spark.ui.enabled: false
                spark.scheduler.minRegisteredResourcesRatio: 1.0
                spark.scheduler.maxRegisteredResourcesWaitingTime: 120s
            """;

    private static StandaloneCluster cluster;
    private static Path driverDisk;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = StandaloneCluster.start(StandaloneCluster.Options.named("no-shared-disk").withHiddenFolder(HIDDEN));
        driverDisk = cluster.dir().resolve(HIDDEN);
        Files.writeString(driverDisk.resolve("probe.txt"), "the driver's disk\n");
        Files.writeString(cluster.dir().resolve("probe.txt"), "the cluster's folder\n");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
            assertEquals(List.of(), cluster.aliveProcesses(), "processes left behind");
        }
    }

    /** {@code search CONF --output DIR --master MASTER} in a driver JVM of its own; returns its log. */
    private static String run(Path conf, Path output) throws Exception {
        Path log = cluster.dir().resolve(output.getFileName() + ".log");
        Process run = cluster.startCli(List.of("search", conf.toString(), "--output", output.toString(), "--master",
                cluster.masterUrl()), Map.of(), log);
        cluster.awaitSuccess(run, output.getFileName().toString(), log, RUN_TIMEOUT);
        return Files.readString(log);
    }

    @Test
    void commandTrialsLogsComeBackToTheDriverAndWhatIsOverTheBoundIsNoted() throws Exception {
        String script = SCRIPT.formatted(driverDisk.resolve("probe.txt"), cluster.dir().resolve("probe.txt"), BIG);
        StringBuilder indented = new StringBuilder();
        script.lines().forEach(line -> indented.append("      ").append(line).append('\n'));
        Path conf = driverDisk.resolve("command.yml");
        Files.writeString(conf, """
                search_algorithm: {type: RandomSearch, samples: 4, seed: 1}
                search_space:
                  hyper_parameters:
                    x: {type: FLOAT, range: [0.0, 1.0]}
                trial:
                  type: command
                  timeout_s: 60
                  return_files_max_mb: 1
                  command:
                    - /bin/sh
                    - -c
                    - |
                %sobjectives: {f: min}
                """.formatted(indented) + SPARK.formatted("512m"));
        Path output = driverDisk.resolve("command-run");
        long start = System.nanoTime();
        String log = run(conf, output);
        System.out.printf("no shared disk, command search: %.1f s%n", (System.nanoTime() - start) / 1e9);

        List<TrialResult> rows = Journal.read(output.resolve(Journal.FILE_NAME));
        assertEquals(Set.of(0, 1, 2, 3), rows.stream().map(TrialResult::id).collect(Collectors.toSet()), "the journal: " + rows);
        for (TrialResult r : rows) {
            assertEquals(TrialStatus.OK, r.status(), "trial " + r.id() + ": " + r.error());
            assertTrue(r.executor().startsWith("executor "), "ran on an executor, not in the driver: " + r.executor());
            assertEquals(0.0, r.metrics().get("sees_driver_disk"), "trial " + r.id() + "'s executor cannot see the driver's disk");
            assertEquals(1.0, r.metrics().get("sees_cluster_dir"), "but it sees the cluster's own folder (the probe works)");
        }
        String token = Files.readString(output.resolve("trials").resolve(TrialFiles.TOKEN_FILE)).trim();
        Path staging = Path.of(System.getProperty("java.io.tmpdir"), "finegrained-trials", token);
        try {
            for (TrialResult r : rows) {
                Path trial = output.resolve("trials").resolve(Integer.toString(r.id()));
                assertTrue(Files.readString(trial.resolve("stdout.log")).contains("\"sees_driver_disk\": 0"),
                        "the program's stdout arrived on the driver for trial " + r.id());
                assertEquals("stderr of " + r.id() + "\n", Files.readString(trial.resolve("stderr.log")));
                assertEquals("trial " + r.id() + "\n", Files.readString(trial.resolve("out.txt")), "what the program wrote");
                assertTrue(Files.readString(trial.resolve("candidate.json")).contains("\"id\":" + r.id()));
                assertFalse(Files.exists(trial.resolve("big.bin")), "nothing over the bound came back");
                if (r.id() != 1) {
                    assertFalse(Files.exists(trial.resolve(TrialFiles.STAYED_FILE)), "trial " + r.id() + " returned everything");
                    assertFalse(Files.exists(staging.resolve(Integer.toString(r.id()))),
                            "trial " + r.id() + "'s local folder is gone once everything came back");
                }
            }
            // Trial 1's big file stayed on its executor's machine (here /tmp, visible to the test),
            // and the run says where: a file in its trial folder and a line on the driver's stderr.
            Path stayedIn = staging.resolve("1");
            String stayed = Files.readString(output.resolve("trials/1").resolve(TrialFiles.STAYED_FILE));
            assertTrue(stayed.contains(" in " + stayedIn + ":\n"), stayed);
            assertTrue(stayed.contains("big.bin\t" + BIG + " bytes"), stayed);
            assertTrue(stayed.contains("trial.return_files_max_mb (1 MB"), stayed);
            Matcher note = Pattern.compile("note: trial 1: 1 file\\(s\\), " + BIG + " bytes, over trial.return_files_max_mb stayed on "
                    + "\\d+@\\S+ in " + Pattern.quote(stayedIn.toString())).matcher(log);
            assertTrue(note.find(), "the driver's console names where the files stayed:\n" + log);
            assertEquals(BIG, Files.size(stayedIn.resolve("big.bin")), "the file is where the note says");
        } finally {
            deleteTree(staging); // the test's own leftovers on this machine
        }
    }

    /**
     * A DJL search: each trial's {@code trial.log} and {@code model/} come back to the driver, so
     * the front's models are exported from there, as on one machine.
     */
    @Test
    void djlTrialsLogsAndModelsComeBackToTheDriver() throws Exception {
        Path conf = driverDisk.resolve("djl.yml");
        Files.writeString(conf, """
                search_algorithm: {type: BackboneNas, population: 2, generations: 1, seed: 3}
                search_space:
                  type: FineGrainedSpace
                  hyper_parameters:
                    layer.doublechannel: [0, 1]
                    layer.downsample: [1, 0]
                  modules: ['init', 'layer', 'head']
                  init: {type: SmallInputInitialBlock, init_plane: 4}
                  layer:
                    type: VariantLayer
                    block: {type: BasicBlock}
                    in_plane: 4
                    doublechannel: [0, 1]
                    downsample: [1, 0]
                    expansion: 1
                  head: {type: LinearClassificationHead, num_class: 4}
                dataset: {source: synthetic, classes: 4, shape: [1, 12, 12], train_size: 256, test_size: 32, validation: 0.25}
                trainer: {epochs: 1, batch_size: 32, lr: 0.05, threads: 1}
                """ + SPARK.formatted("1g"));
        Path output = driverDisk.resolve("djl-run");
        long start = System.nanoTime();
        String log = run(conf, output);
        System.out.printf("no shared disk, DJL search: %.1f s%n", (System.nanoTime() - start) / 1e9);

        List<TrialResult> rows = Journal.read(output.resolve(Journal.FILE_NAME));
        assertEquals(2, rows.size(), "the journal: " + rows);
        for (TrialResult r : rows) {
            assertEquals(TrialStatus.OK, r.status(), "trial " + r.id() + ": " + r.error());
            assertTrue(r.executor().startsWith("executor "), r.executor());
            Path trial = output.resolve("trials").resolve(Integer.toString(r.id()));
            String trialLog = Files.readString(trial.resolve("trial.log"));
            assertTrue(trialLog.contains("OK: {"), "the whole log came back: " + trialLog);
            String jvm = r.executor().replaceAll(".*\\((\\S+)\\)$", "$1");
            assertTrue(trialLog.contains("JVM " + jvm + ","), "written by the executor that trained it (" + jvm + "): " + trialLog);
            assertTrue(Files.size(trial.resolve("model/model-0000.params")) > 0, "the trained parameters came back");
            assertTrue(Files.exists(trial.resolve("model/network.yml")), "and the resolved network");
        }
        assertTrue(log.contains("the front's trained models"), "the front's models were exported from the returned files:\n" + log);
        try (Stream<Path> models = Files.list(output.resolve("models"))) {
            for (Path model : models.toList()) {
                assertTrue(Files.size(model.resolve("model-0000.params")) > 0, model.toString());
            }
        }
        assertFalse(log.contains("note: "), "nothing stayed behind:\n" + log);
        String token = Files.readString(output.resolve("trials").resolve(TrialFiles.TOKEN_FILE)).trim();
        Path staging = Path.of(System.getProperty("java.io.tmpdir"), "finegrained-trials", token);
        try (Stream<Path> left = Files.exists(staging) ? Files.walk(staging) : Stream.empty()) {
            assertEquals(List.of(), left.filter(Files::isRegularFile).toList(), "the executors' local folders hold nothing more");
        } finally {
            deleteTree(staging);
        }
    }

    private static void deleteTree(Path root) throws Exception {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
