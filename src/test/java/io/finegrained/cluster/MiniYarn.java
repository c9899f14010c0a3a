package io.finegrained.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.hadoop.yarn.server.nodemanager.NodeManager;

/**
 * A real YARN on loopback for one test class: a {@link MiniHdfs} (the file system of the
 * applications' staging folders and of the runs) and a {@link MiniYARNCluster} with one
 * ResourceManager and one NodeManager in this JVM, from the shaded
 * {@code hadoop-client-minicluster}. The NodeManager starts each container as a process of its
 * own ({@code DefaultContainerExecutor}: {@code bash launch_container.sh}, as the user running
 * the tests), so a Spark executor here is a JVM like on a real cluster and can be killed alone.
 *
 * <p>Sized for a small shared machine: the NodeManager's memory checks are off (libtorch's
 * native memory is outside the JVM's heap and YARN would kill a DJL executor for it; Spark's
 * {@code memoryOverhead} is the real cluster's answer), its disk-health check tolerates a full
 * disk (a NodeManager that finds its disk over 90 % declares itself unhealthy and runs nothing),
 * and containers may be as small as 128 MB. {@link #hadoopConfDir()} is the folder a user's
 * {@code HADOOP_CONF_DIR} would be: {@code core-site.xml}, {@code hdfs-site.xml} and
 * {@code yarn-site.xml} naming this cluster.
 */
public final class MiniYarn implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final MiniHdfs hdfs;
    private final MiniYARNCluster yarn;
    private final Path confDir;

    private MiniYarn(MiniHdfs hdfs, MiniYARNCluster yarn, Path confDir) {
        this.hdfs = hdfs;
        this.yarn = yarn;
        this.confDir = confDir;
    }

    /**
     * Starts HDFS and YARN: HDFS's storage and {@code hadoop-conf/} under {@code dir}, the
     * NodeManager's folders (containers' work and logs) under Hadoop's test folder,
     * {@code target/test/data/<dir's name>-<random>/}.
     *
     * @param memoryMb the NodeManager's memory for containers (YARN's accounting, not a limit)
     * @param vcores   the NodeManager's virtual cores (not enforced without cgroups)
     */
    public static MiniYarn start(Path dir, int memoryMb, int vcores) throws Exception {
        long begin = System.nanoTime();
        MiniHdfs hdfs = MiniHdfs.start(dir);
        MiniYARNCluster yarn = null;
        try {
            YarnConfiguration conf = new YarnConfiguration();
            conf.set("fs.defaultFS", hdfs.uri());
            conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
            conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
            conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 99.0f);
            conf.setLong(YarnConfiguration.NM_MIN_PER_DISK_FREE_SPACE_MB, 64);
            conf.setInt(YarnConfiguration.NM_PMEM_MB, memoryMb);
            conf.setInt(YarnConfiguration.NM_VCORES, vcores);
            conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 128);
            conf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, memoryMb);
            conf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_VCORES, vcores);
            // The capacity scheduler's one queue (the shaded jar has no capacity-scheduler.xml), on a
            // small node whose application masters may take all of it (default 10 %).
            conf.set("yarn.scheduler.capacity.root.queues", "default");
            conf.setFloat("yarn.scheduler.capacity.root.default.capacity", 100f);
            conf.setFloat("yarn.scheduler.capacity.root.default.maximum-capacity", 100f);
            conf.setFloat("yarn.scheduler.capacity.maximum-am-resource-percent", 1.0f);
            // What a real cluster's yarn-env.sh gives every container: the JDK (the tests' own), as
            // the JVM running the tests may have no JAVA_HOME in its environment; and YARN's default.
            conf.set(YarnConfiguration.NM_ADMIN_USER_ENV, YarnConfiguration.DEFAULT_NM_ADMIN_USER_ENV
                    + ",JAVA_HOME=" + System.getProperty("java.home"));
            // Its folders (containers' work and logs) go to target/test/data/<name>-<random>/ (Hadoop's test folder).
            yarn = new MiniYARNCluster(dir.getFileName().toString(), 1, 1, 1);
            yarn.init(conf);
            yarn.start();
            awaitAddresses(yarn.getConfig());
            if (!yarn.waitForNodeManagersToConnect(START_TIMEOUT.toMillis())) {
                throw new IllegalStateException("the NodeManager did not register within " + START_TIMEOUT.toSeconds() + " s");
            }
            Path confDir = writeClientConf(dir.resolve("hadoop-conf"), hdfs.uri(), yarn.getConfig());
            System.err.printf(Locale.ROOT, "MiniYARNCluster (ResourceManager %s) with HDFS in %.1f s%n",
                    yarn.getConfig().get(YarnConfiguration.RM_ADDRESS), (System.nanoTime() - begin) / 1e9);
            return new MiniYarn(hdfs, yarn, confDir);
        } catch (Exception | Error e) {
            if (yarn != null) {
                yarn.stop();
            }
            hdfs.close();
            throw e;
        }
    }

    /** MiniYARNCluster publishes the ResourceManager's real ports in its configuration once bound. */
    private static void awaitAddresses(Configuration conf) {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (conf.get(YarnConfiguration.RM_ADDRESS, ":0").endsWith(":0")
                || conf.get(YarnConfiguration.RM_SCHEDULER_ADDRESS, ":0").endsWith(":0")) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the ResourceManager's address is not known: " + conf.get(YarnConfiguration.RM_ADDRESS));
            }
            StandaloneCluster.sleep(100);
        }
    }

    /** What a client of this cluster needs, and only that: the file system and the ResourceManager's addresses. */
    private static Path writeClientConf(Path confDir, String hdfsUri, Configuration live) throws IOException {
        Files.createDirectories(confDir);
        Configuration core = new Configuration(false);
        core.set("fs.defaultFS", hdfsUri);
        write(core, confDir.resolve("core-site.xml"));
        Configuration hdfsSite = new Configuration(false);
        // One DataNode: one replica, and an append's pipeline is not offered a DataNode that does not exist.
        hdfsSite.set("dfs.replication", "1");
        hdfsSite.set("dfs.client.block.write.replace-datanode-on-failure.policy", "NEVER");
        write(hdfsSite, confDir.resolve("hdfs-site.xml"));
        Configuration yarnSite = new Configuration(false);
        for (String key : List.of(YarnConfiguration.RM_ADDRESS, YarnConfiguration.RM_SCHEDULER_ADDRESS,
                YarnConfiguration.RM_RESOURCE_TRACKER_ADDRESS, YarnConfiguration.RM_ADMIN_ADDRESS,
                YarnConfiguration.RM_WEBAPP_ADDRESS)) {
            yarnSite.set(key, live.get(key));
        }
        write(yarnSite, confDir.resolve("yarn-site.xml"));
        return confDir;
    }

    private static void write(Configuration conf, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            conf.writeXml(out);
        }
    }

    /** {@code hdfs://127.0.0.1:<port>}. */
    public String hdfsUri() {
        return hdfs.uri();
    }

    public MiniHdfs hdfs() {
        return hdfs;
    }

    /** The folder to give spark-submit as {@code HADOOP_CONF_DIR}. */
    public Path hadoopConfDir() {
        return confDir;
    }

    /** The containers the NodeManager runs now, by container id ({@code container_<cluster>_<app>_<attempt>_<n>}). */
    public Set<String> runningContainers() {
        NodeManager nm = yarn.getNodeManager(0);
        return nm.getNMContext().getContainers().keySet().stream().map(Object::toString)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    /**
     * The JVMs of the containers running now, by container id: the Java processes under this
     * JVM (the NodeManager's children's children) whose command line names the container's
     * log folder, which the NodeManager puts in each container's command.
     */
    public Map<String, ProcessHandle> containerJvms() {
        Set<String> running = runningContainers();
        Map<String, ProcessHandle> jvms = new LinkedHashMap<>();
        ProcessHandle.current().descendants()
                .filter(p -> p.info().command().orElse("").endsWith("/java"))
                .forEach(p -> {
                    String commandLine = p.info().commandLine().orElse("");
                    running.stream().filter(id -> commandLine.contains("/" + id)).findFirst()
                            .ifPresent(id -> jvms.put(id, p));
                });
        return jvms;
    }

    /** The container (by id) whose JVM is {@code jvm}, if it is one of the running containers. */
    public Optional<String> containerOf(ProcessHandle jvm) {
        return containerJvms().entrySet().stream().filter(e -> e.getValue().equals(jvm)).map(Map.Entry::getKey).findFirst();
    }

    /** The folder of a container's {@code stdout} and {@code stderr} (it stays after the container ends). */
    public Optional<Path> containerLogs(String containerId) {
        try (Stream<Path> files = Files.walk(yarn.getTestWorkDir().toPath())) {
            return files.filter(p -> p.getFileName().toString().equals(containerId) && Files.isDirectory(p)
                    && p.getParent().getParent().getFileName().toString().contains("logDir")).findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last lines of every container's stderr and stdout, for failure messages. */
    public String logTail() {
        List<Path> logs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(yarn.getTestWorkDir().toPath())) {
            files.filter(p -> Set.of("stderr", "stdout").contains(p.getFileName().toString())).sorted().forEach(logs::add);
        } catch (IOException | UncheckedIOException e) {
            return "(cannot list the container logs: " + e.getMessage() + ")\n";
        }
        StringBuilder out = new StringBuilder();
        for (Path log : logs) {
            out.append(StandaloneCluster.tail(log, 25));
        }
        return out.toString();
    }

    /** Stops YARN (its NodeManager ends the containers still running), then HDFS; fails if a container's JVM is left. */
    @Override
    public void close() {
        String work = yarn.getTestWorkDir().getAbsolutePath();
        try {
            yarn.stop();
        } finally {
            hdfs.close();
        }
        Instant deadline = Instant.now().plusSeconds(30);
        List<ProcessHandle> left = leftBehind(work);
        while (!left.isEmpty() && Instant.now().isBefore(deadline)) {
            StandaloneCluster.sleep(200);
            left = leftBehind(work);
        }
        if (!left.isEmpty()) {
            left.forEach(ProcessHandle::destroyForcibly);
            throw new IllegalStateException("container processes left after YARN stopped: "
                    + left.stream().map(ProcessHandle::pid).toList());
        }
    }

    private static List<ProcessHandle> leftBehind(String work) {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(work)).toList();
    }
}
