package io.finegrained.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.search.TrialResult;
import io.finegrained.search.TrialStatus;
import io.finegrained.spark.Journal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A DJL search (real networks trained on real arrays) on a real standalone cluster gives the
 * journal of the same search on one machine, row for row: DJL training on CPU is repeatable for
 * a seed and a thread count, so a cluster changes where trials run, not what they find. Both
 * sides train with one intra-op thread (the trainer's {@code threads: 1}; on the cluster, the
 * executors' single core). docs/cluster.md records the same comparison by hand for
 * conf/backbone_nas.yml.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClusterDjlSearchTest {
    private static final int TRIALS = 4;
    private static final List<String> TIMES = List.of("latency_ms", "train_seconds", "seconds");

    /** Four small networks (init width x learning rate) on synthetic 1x12x12 images, one epoch each. */
    private static final String CONFIG = """
            search_algorithm:
              type: RandomSearch
              samples: %d
              seed: 5
            search_space:
              type: FineGrainedSpace
              modules: ['init', 'head']
              init:
                type: SmallInputInitialBlock
                init_plane: 8
              head:
                type: LinearClassificationHead
                num_class: 4
              hyper_parameters:
                init.init_plane: {type: CATEGORY, range: [4, 8]}
                trainer.lr: {type: CATEGORY, range: [0.02, 0.1]}
            dataset:
              source: synthetic
              classes: 4
              shape: [1, 12, 12]
              train_size: 512
              test_size: 64
            trainer:
              epochs: 1
              batch_size: 32
              threads: 1
            objectives:
              accuracy: max
              macs: min
            spark:
              conf:
                spark.executor.cores: 1
                spark.cores.max: 2
                spark.executor.memory: 1g
                spark.ui.enabled: false
                spark.scheduler.minRegisteredResourcesRatio: 1.0
                spark.scheduler.maxRegisteredResourcesWaitingTime: 120s
            """.formatted(TRIALS);

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

    private static Path run(String name, String master) throws Exception {
        Path output = cluster.dir().resolve(name);
        Path log = cluster.dir().resolve(name + ".log");
        Process run = cluster.startCli(List.of("search", conf.toString(), "--output", output.toString(), "--master", master),
                Map.of(), log);
        assertTrue(run.waitFor(4, TimeUnit.MINUTES), "the " + name + " run finished\n" + StandaloneCluster.tail(log, 40)
                + cluster.logTail());
        assertEquals(0, run.exitValue(), () -> "the " + name + " run failed\n" + StandaloneCluster.tail(log, 60)
                + cluster.logTail());
        return output;
    }

    /** id → generation, status, values and every metric that is not a time. */
    private static Map<Integer, List<Object>> outcomes(Path run) {
        Map<Integer, List<Object>> byId = new TreeMap<>();
        for (TrialResult r : Journal.read(run.resolve(Journal.FILE_NAME))) {
            Map<String, Double> metrics = new LinkedHashMap<>(r.metrics());
            metrics.keySet().removeAll(TIMES);
            assertEquals(null, byId.put(r.id(), List.of(r.generation(), r.status(), r.hyperparameters(), metrics)),
                    "trial " + r.id() + " is journaled once");
        }
        return byId;
    }

    @Test
    void theClusterRunEqualsTheOneMachineRunRowForRow() throws Exception {
        Path onCluster = run("cluster", cluster.masterUrl());
        Path local = run("local", "local[1]");

        Map<Integer, List<Object>> expected = outcomes(local);
        assertEquals(TRIALS, expected.size(), "every candidate ran once: " + expected);
        Set<Object> accuracies = new java.util.HashSet<>();
        for (List<Object> outcome : expected.values()) {
            assertEquals(TrialStatus.OK, outcome.get(1), "trained: " + outcome);
            Map<?, ?> metrics = (Map<?, ?>) outcome.get(3);
            assertTrue(metrics.keySet().containsAll(List.of("accuracy", "loss", "params", "macs")), metrics.toString());
            accuracies.add(metrics.get("accuracy"));
        }
        assertTrue(accuracies.size() >= 2, "the candidates differ, so the equality below means something: " + expected);
        assertEquals(expected, outcomes(onCluster), "the same accuracies, losses and counts, bit for bit");
        assertEquals(withoutTimes(Files.readAllLines(local.resolve("pareto.csv"))),
                withoutTimes(Files.readAllLines(onCluster.resolve("pareto.csv"))), "the same front");

        // The cluster's trials trained in the two executor JVMs, each with one libtorch thread.
        List<Path> trainedIn = executorLogs().stream().filter(log -> {
            try {
                return Files.readString(log).contains("PtEngine: Number of intra-op threads is 1");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
        assertEquals(2, trainedIn.size(), "executors that loaded the engine: " + trainedIn + "\n" + cluster.logTail());
    }

    /** The stderr of every executor the worker started (work/<app>/<executor>/stderr). */
    private static List<Path> executorLogs() throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(cluster.dir().resolve("work"))) {
            return files.filter(p -> p.getFileName().toString().equals("stderr")).sorted().toList();
        }
    }

    /** pareto.csv without its time columns (latency_ms, train_seconds, seconds), which differ between runs. */
    private static List<List<String>> withoutTimes(List<String> csv) {
        List<String> header = List.of(csv.get(0).split(","));
        assertTrue(header.containsAll(TIMES), header.toString());
        return csv.stream().map(line -> {
            String[] cells = line.split(",");
            List<String> kept = new java.util.ArrayList<>();
            for (int i = 0; i < cells.length; i++) {
                if (!TIMES.contains(header.get(i))) {
                    kept.add(cells[i]);
                }
            }
            return kept;
        }).toList();
    }
}
