package io.finegrained.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.spark.ClusterResources;
import io.finegrained.spark.GpuDevices;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Plain Spark jobs on a real standalone cluster (one worker, two cores, two fake GPU addresses
 * from {@code submit/gpu-discovery.sh}), driven from this JVM: executors are JVMs of their own
 * that load finegrained's classes from the shipped jars, and Spark hands each GPU-holding
 * executor a distinct address, which {@link GpuDevices} then refuses clearly (no GPU here).
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class ClusterJobTest {

    private static StandaloneCluster cluster;

    /** What one task saw on its executor. */
    record TaskReport(int partition, long pid, List<String> gpus, String device) implements Serializable {
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

    private static SparkConf conf(String name) {
        SparkConf conf = new SparkConf(false).setAppName(name);
        cluster.driverSettings().forEach(conf::set);
        conf.set("spark.jars", cluster.appJar() + "," + cluster.testJar());
        conf.set("spark.executor.cores", "1");
        conf.set("spark.cores.max", "2");
        return conf;
    }

    /** Runs on an executor: who am I, which GPU did Spark give me, which device follows. */
    private static TaskReport probe(int partition) throws InterruptedException {
        // Long enough that both one-slot executors are busy at once.
        Thread.sleep(1500);
        ResourceInformation gpu = TaskContext.get().resourcesJMap().get("gpu");
        List<String> gpus = gpu == null ? List.of() : new ArrayList<>(List.of(gpu.addresses()));
        String device;
        try {
            device = GpuDevices.forCurrentTask().toString();
        } catch (IllegalStateException e) {
            device = "refused: " + e.getMessage();
        }
        return new TaskReport(partition, ProcessHandle.current().pid(), gpus, device);
    }

    private static List<TaskReport> runProbes(SparkConf conf, int tasks) {
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            awaitExecutors(sc, 2);
            List<Integer> partitions = IntStream.range(0, tasks).boxed().toList();
            return sc.parallelize(partitions, tasks).map(ClusterJobTest::probe).collect();
        }
    }

    private static void awaitExecutors(JavaSparkContext sc, int count) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        // The status tracker lists the driver too.
        while (sc.sc().statusTracker().getExecutorInfos().length < count + 1) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("fewer than " + count + " executors registered\n" + cluster.logTail());
            }
            StandaloneCluster.sleep(200);
        }
    }

    @Test
    void tasksRunInExecutorJvmsOfTheWorkerWithTheShippedClasses() {
        SparkConf conf = conf("plain job");
        List<TaskReport> reports = runProbes(conf, 4);

        assertEquals(4, reports.size());
        Set<Long> taskPids = reports.stream().map(TaskReport::pid).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(2, taskPids.size(), "two one-core executors share the tasks: " + reports);
        assertTrue(!taskPids.contains(ProcessHandle.current().pid()), "no task ran in the driver JVM");
        Set<Long> workerChildren = new TreeSet<>();
        ProcessHandle.of(cluster.workerProcess().pid()).orElseThrow()
                .descendants().forEach(p -> workerChildren.add(p.pid()));
        assertTrue(workerChildren.containsAll(taskPids),
                "tasks ran in JVMs the worker started: " + taskPids + " vs " + workerChildren);
        for (TaskReport report : reports) {
            assertEquals(List.of(), report.gpus(), "no GPU asked, none given");
            assertEquals("cpu()", report.device(), "no GPU resource means the CPU");
        }
    }

    @Test
    void eachGpuExecutorHoldsADistinctAddressAndTheDeviceMappingRefusesIt() {
        SparkConf conf = conf("gpu assignment");
        conf.set("spark.executor.resource.gpu.amount", "1");
        conf.set("spark.task.resource.gpu.amount", "1");
        ClusterResources.applyDefaults(conf, true);
        ClusterResources.requireOneTrainingSlot(conf, true);
        List<TaskReport> reports = runProbes(conf, 4);

        assertEquals(4, reports.size());
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
