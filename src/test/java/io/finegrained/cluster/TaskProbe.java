package io.finegrained.cluster;

import io.finegrained.spark.ClusterResources;
import io.finegrained.spark.GpuDevices;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * The driver of {@link ClusterJobTest}'s plain jobs, run in a JVM of its own (a test JVM may
 * already hold a local SparkContext, and Spark allows one per JVM).
 *
 * <p>Arguments: the number of executors to wait for, the number of tasks, then Spark settings as
 * {@code key=value}. Each task sleeps briefly (so one-slot executors are busy at once) and
 * reports, as one line {@code PROBE<tab>partition<tab>pid<tab>parent pid<tab>gpu addresses<tab>device},
 * its executor's process id and that process's parent, the GPU addresses Spark gave it, and what
 * {@link GpuDevices} made of them.
 */
public final class TaskProbe {

    private TaskProbe() {
    }

    public static void main(String[] args) {
        int executors = Integer.parseInt(args[0]);
        int tasks = Integer.parseInt(args[1]);
        SparkConf conf = new SparkConf().setAppName("finegrained task probe");
        for (String setting : List.of(args).subList(2, args.length)) {
            int eq = setting.indexOf('=');
            conf.set(setting.substring(0, eq), setting.substring(eq + 1));
        }
        ClusterResources.applyDefaults(conf, true);
        ClusterResources.requireOneTrainingSlot(conf, true);
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            awaitExecutors(sc, executors);
            List<Integer> partitions = IntStream.range(0, tasks).boxed().toList();
            for (String line : sc.parallelize(partitions, tasks).map(TaskProbe::probe).collect()) {
                System.out.println(line);
            }
        }
    }

    private static String probe(int partition) throws InterruptedException {
        Thread.sleep(1500);
        ResourceInformation gpu = TaskContext.get().resourcesJMap().get(GpuDevices.GPU_RESOURCE);
        List<String> gpus = gpu == null ? List.of() : new ArrayList<>(List.of(gpu.addresses()));
        String device;
        try {
            device = GpuDevices.forCurrentTask().toString();
        } catch (IllegalStateException e) {
            device = "refused: " + e.getMessage();
        }
        return String.join("\t", "PROBE", Integer.toString(partition), Long.toString(ProcessHandle.current().pid()),
                Long.toString(ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L)),
                String.join(",", gpus), device.replace('\n', ' ').replace('\t', ' '));
    }

    private static void awaitExecutors(JavaSparkContext sc, int count) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        // The status tracker lists the driver too.
        while (sc.sc().statusTracker().getExecutorInfos().length < count + 1) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("fewer than " + count + " executors registered within 120 s");
            }
            StandaloneCluster.sleep(200);
        }
    }
}
