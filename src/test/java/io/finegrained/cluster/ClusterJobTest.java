package io.finegrained.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Plain Spark jobs on a real standalone cluster (one worker, two cores, two fake GPU addresses
 * from {@code submit/gpu-discovery.sh}), each driven by {@link TaskProbe} in its own JVM: the
 * executors are JVMs the worker started, loading finegrained's classes from the shipped jars,
 * and Spark hands each GPU-holding executor a distinct address, which {@code GpuDevices} then
 * refuses clearly (this machine has no GPU).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@Tag("cluster") // a standalone Spark cluster on 127.0.0.1
class ClusterJobTest {

    private static StandaloneCluster cluster;

    /** One task's report (a {@code PROBE} line of {@link TaskProbe}). */
    record TaskReport(int partition, long pid, long parentPid, List<String> gpus, String device) {
        static TaskReport parse(String line) {
            String[] f = line.split("\t", -1);
            List<String> gpus = f[4].isEmpty() ? List.of() : List.of(f[4].split(","));
            return new TaskReport(Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), gpus, f[5]);
        }
    }

    @BeforeAll
    static void startCluster() {
        cluster = StandaloneCluster.start(StandaloneCluster.Options.named("jobs").withFakeGpus("0", "1"));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
            assertEquals(List.of(), cluster.aliveProcesses(), "processes left behind");
        }
    }

    /** Runs {@link TaskProbe} against the cluster with two one-core executors. */
    private static List<TaskReport> probe(String name, String... settings) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("2", "4"));
        cluster.driverSettings().forEach((k, v) -> args.add(k + "=" + v));
        args.add("spark.jars=" + cluster.appJar() + "," + cluster.testJar());
        args.add("spark.executor.cores=1");
        args.add("spark.cores.max=2");
        args.addAll(List.of(settings));
        Path log = cluster.dir().resolve(name + ".log");
        Process driver = cluster.startTestDriver(TaskProbe.class.getName(), args, log);
        if (!driver.waitFor(3, TimeUnit.MINUTES)) {
            throw new AssertionError("the probe driver did not finish\n" + StandaloneCluster.tail(log, 40) + cluster.logTail());
        }
        assertEquals(0, driver.exitValue(), () -> "the probe driver failed\n" + StandaloneCluster.tail(log, 60) + cluster.logTail());
        return Files.readAllLines(log).stream().filter(l -> l.startsWith("PROBE\t")).map(TaskReport::parse).toList();
    }

    @Test
    void tasksRunInExecutorJvmsOfTheWorkerWithTheShippedClasses() throws Exception {
        List<TaskReport> reports = probe("plain");

        assertEquals(4, reports.size(), "one report per task: " + reports);
        Set<Long> taskPids = reports.stream().map(TaskReport::pid).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(2, taskPids.size(), "two one-core executors shared the tasks: " + reports);
        long workerJvm = StandaloneCluster.javaOf(cluster.workerProcess()).pid();
        for (TaskReport report : reports) {
            assertEquals(workerJvm, report.parentPid(), "the worker started the executor JVM: " + report);
        }
        // Each executor's folder (work/<app>/<executor>/) holds the jars it fetched from the driver.
        try (var folders = Files.list(cluster.dir().resolve("work"))) {
            List<Path> executorFolders = folders.flatMap(app -> {
                try (var list = Files.list(app)) {
                    return list.filter(Files::isDirectory).toList().stream();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
            assertTrue(executorFolders.size() >= 2, "executor folders: " + executorFolders);
            for (Path folder : executorFolders) {
                assertTrue(Files.exists(folder.resolve(cluster.appJar().getFileName())), "application jar in " + folder);
                assertTrue(Files.exists(folder.resolve(cluster.testJar().getFileName())), "test jar in " + folder);
            }
        }
        for (TaskReport report : reports) {
            assertEquals(List.of(), report.gpus(), "no GPU asked, none given");
            assertEquals("cpu()", report.device(), "no GPU resource means the CPU");
        }
    }

    @Test
    void eachGpuExecutorHoldsADistinctAddressAndTheDeviceMappingRefusesIt() throws Exception {
        List<TaskReport> reports = probe("gpu", "spark.executor.resource.gpu.amount=1", "spark.task.resource.gpu.amount=1");

        assertEquals(4, reports.size(), "one report per task: " + reports);
        Map<Long, Set<String>> addressesByExecutor = new TreeMap<>();
        for (TaskReport report : reports) {
            assertEquals(1, report.gpus().size(), "each task holds one GPU: " + report);
            addressesByExecutor.computeIfAbsent(report.pid(), pid -> new TreeSet<>()).addAll(report.gpus());
            String address = report.gpus().get(0);
            assertTrue(report.device().startsWith("refused: this task was given GPU " + address
                    + " but the PyTorch engine here has no CUDA support"), report.device());
        }
        assertEquals(2, addressesByExecutor.size(), "two executors ran the tasks: " + reports);
        List<Set<String>> perExecutor = new ArrayList<>(addressesByExecutor.values());
        assertEquals(1, perExecutor.get(0).size(), "an executor keeps its GPU: " + addressesByExecutor);
        assertEquals(1, perExecutor.get(1).size(), "an executor keeps its GPU: " + addressesByExecutor);
        assertNotEquals(perExecutor.get(0), perExecutor.get(1), "distinct GPUs: " + addressesByExecutor);
        Set<String> all = new TreeSet<>();
        perExecutor.forEach(all::addAll);
        assertEquals(Set.of("0", "1"), all);
    }
}
