package io.finegrained.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.search.TrialStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A DJL search (real residual networks trained on real arrays) on a real standalone cluster gives
 * the journal of the same search on one machine, row for row: DJL training on CPU is repeatable
 * for a seed and a thread count, so a cluster changes where trials run, not what they find. The
 * job is a small BackboneNas search over two generations, so the second generation's candidates
 * depend on the first generation's metrics: a difference there would show as other candidates.
 * Both sides train with one intra-op thread (the trainer's {@code threads: 1}; on the cluster
 * also the executors' single core). docs/cluster.md records the same comparison by hand for
 * conf/backbone_nas.yml.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@Tag("cluster") // a standalone Spark cluster on 127.0.0.1
class ClusterDjlSearchTest {
    private static final int POPULATION = 4;
    private static final int GENERATIONS = 2;
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    /** What measures time: the only parts of a trial allowed to differ between the runs. */
    private static final List<String> TIMES = List.of("latency_ms", "latency_ms_b32", "latency_spread", "train_seconds", "seconds");

    /**
     * A stem, four basic blocks whose widening and downsampling BackboneNas places, a linear
     * head; synthetic 1x12x12 images of 4 classes, one epoch.
     */
    private static final String CONFIG = """
            search_algorithm:
              type: BackboneNas
              population: %d
              generations: %d
              seed: 3
            search_space:
              type: FineGrainedSpace
              hyper_parameters:
                layer.doublechannel: [0, 1, 1, 0]
                layer.downsample: [1, 0, 0, 0]
              modules: ['init', 'layer', 'head']
              init:
                type: SmallInputInitialBlock
                init_plane: 4
              layer:
                type: VariantLayer
                block:
                  type: BasicBlock
                in_plane: 4
                doublechannel: [0, 1, 1, 0]
                downsample: [1, 0, 0, 0]
                expansion: 1
              head:
                type: LinearClassificationHead
                num_class: 4
            dataset:
              source: synthetic
              classes: 4
              shape: [1, 12, 12]
              train_size: 512
              test_size: 64
              validation: 0.25
            trainer:
              epochs: 1
              batch_size: 32
              lr: 0.05
              threads: 1
            spark:
              conf:
                spark.executor.cores: 1
                spark.cores.max: 2
                spark.executor.memory: 1g
                spark.ui.enabled: false
                spark.scheduler.minRegisteredResourcesRatio: 1.0
                spark.scheduler.maxRegisteredResourcesWaitingTime: 120s
            """.formatted(POPULATION, GENERATIONS);

    /** How a trial's log names the JVM that trained it (DjlTrial). */
    private static final Pattern TRIAL_JVM = Pattern.compile("(?m)^JVM (\\S+), intra-op threads: (\\d+)$");
    /** How an executor's log names its JVM (Spark's CoarseGrainedExecutorBackend, pid@host). */
    private static final Pattern EXECUTOR_JVM = Pattern.compile("Started daemon with process name: (\\S+)");

    private static StandaloneCluster cluster;
    private static Path conf;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = StandaloneCluster.start(StandaloneCluster.Options.named("djl"));
        conf = Files.createDirectories(cluster.dir().resolve("job")).resolve("djl.yml");
        Files.writeString(conf, CONFIG);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
            assertEquals(List.of(), cluster.aliveProcesses(), "processes left behind");
        }
    }

    /** {@code search CONF --output DIR --master MASTER} in a driver JVM of its own, as the launcher runs it. */
    private static Path run(String name, String master) throws Exception {
        Path output = cluster.dir().resolve(name);
        Path log = cluster.dir().resolve(name + ".log");
        Process run = cluster.startCli(List.of("search", conf.toString(), "--output", output.toString(), "--master", master),
                Map.of(), log);
        cluster.awaitSuccess(run, name, log, RUN_TIMEOUT);
        return output;
    }

    @Test
    void theClusterRunEqualsTheOneMachineRunRowForRow() throws Exception {
        Path onCluster = run("cluster", cluster.masterUrl());
        Path local = run("local", "local[1]");

        Map<Integer, List<Object>> expected = RunOutputs.outcomes(local, TIMES);
        Set<Object> generations = new TreeSet<>();
        Set<Object> accuracies = new TreeSet<>();
        for (List<Object> outcome : expected.values()) {
            generations.add(outcome.get(0));
            assertEquals(TrialStatus.OK, outcome.get(1), "trained: " + outcome);
            Map<?, ?> metrics = (Map<?, ?>) outcome.get(3);
            assertEquals(Set.of("accuracy", "loss", "params", "macs"), metrics.keySet(), "every metric but the times: " + outcome);
            accuracies.add(metrics.get("accuracy"));
        }
        assertEquals(Set.of(0, 1), generations, "both generations ran: " + expected);
        assertTrue(expected.size() > POPULATION, "the second generation asked new candidates: " + expected);
        assertTrue(accuracies.size() >= 2, "the candidates differ, so the equality below means something: " + expected);

        assertEquals(expected, RunOutputs.outcomes(onCluster, TIMES),
                "the same candidates, statuses, accuracies, losses and counts, bit for bit");
        assertEquals(RunOutputs.front(local, TIMES), RunOutputs.front(onCluster, TIMES), "the same front");

        // Where each trial trained: on the cluster in the two executor JVMs (so not in the
        // driver), on local[1] in one JVM that is no executor; always with one libtorch thread.
        Set<String> executors = executorJvms();
        assertEquals(2, executors.size(), "the worker started two executors\n" + cluster.logTail());
        Map<Integer, String> clusterJvms = trialJvms(onCluster, expected.keySet());
        assertTrue(executors.containsAll(clusterJvms.values()), "each cluster trial trained in an executor "
                + executors + ": " + clusterJvms);
        assertEquals(executors, Set.copyOf(clusterJvms.values()), "both executors trained: " + clusterJvms);
        Map<Integer, String> localJvms = trialJvms(local, expected.keySet());
        assertEquals(1, Set.copyOf(localJvms.values()).size(), "the local trials trained in one JVM: " + localJvms);
        assertTrue(Collections.disjoint(executors, localJvms.values()), "the local JVM is no executor: " + localJvms);
    }

    /**
     * id → the JVM (pid@host) each trial's log names; fails unless every id has a log and each
     * trained with one intra-op thread.
     */
    private static Map<Integer, String> trialJvms(Path run, Set<Integer> ids) throws IOException {
        Map<Integer, String> jvms = new TreeMap<>();
        for (int id : ids) {
            String log = Files.readString(run.resolve("trials").resolve(Integer.toString(id)).resolve("trial.log"));
            Matcher jvm = TRIAL_JVM.matcher(log);
            assertTrue(jvm.find(), "trial " + id + "'s log names its JVM: " + log);
            assertEquals("1", jvm.group(2), "trial " + id + " trained with one intra-op thread: " + log);
            jvms.put(id, jvm.group(1));
        }
        return jvms;
    }

    /** The JVMs (pid@host) of the executors the worker started, from their logs (work/<app>/<executor>/stderr). */
    private static Set<String> executorJvms() throws IOException {
        Set<String> jvms = new TreeSet<>();
        try (Stream<Path> files = Files.walk(cluster.dir().resolve("work"))) {
            for (Path stderr : files.filter(p -> p.getFileName().toString().equals("stderr")).toList()) {
                Matcher name = EXECUTOR_JVM.matcher(read(stderr));
                assertTrue(name.find(), "executor log " + stderr + " names its JVM");
                jvms.add(name.group(1));
            }
        }
        return jvms;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
