package io.finegrained.spark;

import io.finegrained.config.ConfigException;
import io.finegrained.config.Location;
import io.finegrained.train.NativeAllocator;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;

/**
 * The Spark settings a search needs on a cluster, applied and checked before the session
 * starts.
 *
 * <p>DJL trains one model at a time per JVM (its PyTorch gradient collector is JVM-global), so
 * on a cluster each executor JVM must offer exactly one task slot to DJL trials: one GPU per
 * executor and per task, or {@code spark.task.cpus} equal to the executor's cores. A mismatch is
 * refused at start with the setting to change, rather than failing mid-run. Command trials
 * start their own processes and are exempt. {@code local[N]} runs in one JVM; there the driver
 * serializes trainings itself, so nothing is checked.
 *
 * <p>Typical use, in the driver before {@code SparkSession.builder().config(conf)}:
 * <pre>{@code
 * SparkConf conf = new SparkConf();               // picks up spark-submit's settings
 * ClusterResources.applyDefaults(conf, djlTrials);
 * ClusterResources.requireOneTrainingSlot(conf, djlTrials);
 * }</pre>
 */
public final class ClusterResources {

    /** The Java 17 module openings Spark needs, for executor JVMs started by a cluster. */
    public static final List<String> JAVA17_OPENS = List.of(
            "java.base/java.lang", "java.base/java.lang.invoke", "java.base/java.lang.reflect",
            "java.base/java.io", "java.base/java.net", "java.base/java.nio", "java.base/java.util",
            "java.base/java.util.concurrent", "java.base/java.util.concurrent.atomic",
            "java.base/sun.nio.ch", "java.base/sun.nio.cs", "java.base/sun.security.action",
            "java.base/sun.util.calendar");

    private static final Pattern LOCAL_CLUSTER =
            Pattern.compile("local-cluster\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*]");
    private static final String WHERE = "Spark settings";

    private ClusterResources() {
    }

    /** spark-submit's setting for where the driver runs: {@code client} (the default) or {@code cluster}. */
    public static final String DEPLOY_MODE = "spark.submit.deployMode";
    private static final Pattern URI_SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]+):.*");

    /**
     * The deploy mode the driver runs in: the given session's, else the one spark-submit handed
     * this JVM (a system property, as every {@code spark.*} setting it passes), else {@code client}.
     */
    public static String deployMode(SparkConf sessionConf) {
        String mode = sessionConf != null ? sessionConf.get(DEPLOY_MODE, null) : null;
        if (mode == null) {
            mode = System.getProperty(DEPLOY_MODE);
        }
        return mode == null || mode.isBlank() ? "client" : mode.trim();
    }

    /**
     * Refuses a run directory on the driver's own disk when the driver runs in the cluster: its
     * container's disk is lost when the driver ends, and with it the journal, the logs and the
     * models. A URI of a file system other than the local one passes.
     *
     * @param output the run directory as given ({@code --output}, {@code Search.output}), or null
     *               for the default {@code runs/<name>-<time>}
     * @throws RunRefusedException in cluster deploy mode with a local output (exit 2)
     */
    public static void requireDurableOutput(String deployMode, String output) {
        if (!"cluster".equalsIgnoreCase(deployMode)) {
            return;
        }
        Matcher scheme = output == null ? null : URI_SCHEME.matcher(output);
        if (scheme != null && scheme.matches() && !scheme.group(1).equalsIgnoreCase("file")) {
            return;
        }
        String what = output == null ? "no --output was given, so the run directory would be runs/<name>-<time> on it"
                : "--output " + output + " is on it";
        throw new RunRefusedException("the driver runs in the cluster (" + DEPLOY_MODE + "=cluster), and its container's "
                + "disk is lost when the driver ends: " + what + ". Give --output a URI of storage that outlives it, e.g. "
                + "hdfs://namenode:8020/runs/nas1 or s3a://bucket/runs/nas1, or submit with --deploy-mode client");
    }

    /** Whether {@code master} runs every task inside the driver JVM ({@code local}, {@code local[N]}). */
    public static boolean isSingleJvm(String master) {
        return master == null || master.isBlank() || master.equals("local") || master.startsWith("local[");
    }

    /**
     * Fills in what executors started by a cluster need and users should not have to type:
     * the Java 17 {@code --add-opens} flags in {@code spark.executor.extraJavaOptions} (appended
     * to the user's options), {@code DJL_OFFLINE=true} and the malloc settings of {@link NativeAllocator} in the
     * executor environment, the jar
     * holding finegrained and the launcher's {@code --jars} in {@code spark.jars} when the driver
     * runs from that jar outside spark-submit (the launcher), and, with DJL trials, {@code spark.task.cpus = cores} on
     * {@code local-cluster[N,cores,mem]} and PyTorch's thread pool sized to the executor's cores
     * ({@code -Dai.djl.pytorch.num_threads}, interop threads 1) when those are known. Settings
     * the user gave are kept. Does nothing for a single-JVM master.
     */
    /** The launcher's {@code --jars} (plug-ins: algorithms, modules), passed as {@value #USER_JARS_PROPERTY}. */
    public static final String USER_JARS_PROPERTY = "finegrained.jars";

    /** The user's plug-in jars the launcher put on the driver's class path, to ship to executors. */
    static List<Path> userJars() {
        String list = System.getProperty(USER_JARS_PROPERTY, "");
        List<Path> jars = new ArrayList<>();
        for (String entry : list.split(",")) {
            if (!entry.isBlank()) {
                jars.add(Path.of(entry.trim()).toAbsolutePath());
            }
        }
        return jars;
    }

    public static void applyDefaults(SparkConf conf, boolean djlTrials) {
        String master = conf.get("spark.master", "");
        if (isSingleJvm(master)) {
            return;
        }
        conf.set("spark.executor.extraJavaOptions", withOpens(conf.get("spark.executor.extraJavaOptions", "")));
        conf.setIfMissing("spark.executorEnv.DJL_OFFLINE", "true");
        NativeAllocator.ENVIRONMENT.forEach((name, value) -> conf.setIfMissing("spark.executorEnv." + name, value));
        List<Path> shipped = new ArrayList<>();
        ownJar().ifPresent(shipped::add);
        shipped.addAll(userJars());
        for (Path jar : shipped) {
            String jars = conf.get("spark.jars", "");
            if (!listsJar(jars, jar)) {
                conf.set("spark.jars", jars.isBlank() ? jar.toString() : jars + "," + jar);
            }
        }
        Matcher local = LOCAL_CLUSTER.matcher(master.trim());
        if (djlTrials && local.matches()) {
            conf.setIfMissing("spark.task.cpus", local.group(2));
        }
        if (djlTrials) {
            // PyTorch sizes its pool by the machine's cores, not the executor's share: two
            // executors on one node would each take every core. Read once per JVM, at engine load.
            String options = conf.get("spark.executor.extraJavaOptions", "");
            Optional<Integer> cores = executorCores(conf, master.trim());
            if (cores.isPresent() && !options.contains("ai.djl.pytorch.num_threads")) {
                conf.set("spark.executor.extraJavaOptions", options + " -Dai.djl.pytorch.num_threads=" + cores.get()
                        + (options.contains("ai.djl.pytorch.num_interop_threads") ? "" : " -Dai.djl.pytorch.num_interop_threads=1"));
            }
        }
    }

    /**
     * Refuses settings under which two DJL trials could train in one executor JVM at once.
     *
     * @throws ConfigException naming the setting to change, with the values to give it
     */
    public static void requireOneTrainingSlot(SparkConf conf, boolean djlTrials) {
        if (!djlTrials) {
            return;
        }
        trainingSlotProblem(conf).ifPresent(problem -> {
            throw problem;
        });
    }

    /** The reason {@link #requireOneTrainingSlot} would refuse {@code conf}, if any. */
    public static Optional<ConfigException> trainingSlotProblem(SparkConf conf) {
        String master = conf.get("spark.master", "").trim();
        if (isSingleJvm(master)) {
            return Optional.empty();
        }
        double executorGpus = number(conf, "spark.executor.resource.gpu.amount", 0);
        double taskGpus = number(conf, "spark.task.resource.gpu.amount", 0);
        if (executorGpus > 0 || taskGpus > 0) {
            if (executorGpus == 1 && taskGpus == 1) {
                return Optional.empty();
            }
            String setting = executorGpus != 1 ? "spark.executor.resource.gpu.amount" : "spark.task.resource.gpu.amount";
            return Optional.of(problem(setting, "executors hold " + format(executorGpus) + " GPU(s) and each task "
                    + format(taskGpus) + ", so one executor JVM could run several trainings at once, which DJL"
                    + " does not allow: set spark.executor.resource.gpu.amount=1 and spark.task.resource.gpu.amount=1"
                    + " (one GPU and one trial per executor)"));
        }
        double taskCpus = number(conf, "spark.task.cpus", 1);
        Optional<Integer> executorCores = executorCores(conf, master);
        if (executorCores.isEmpty()) {
            return Optional.of(problem("spark.executor.cores", "on a standalone master an executor takes all of"
                    + " its worker's cores unless spark.executor.cores is set, so how many trials would share one"
                    + " executor JVM is unknown: set spark.executor.cores=N and spark.task.cpus=N (one DJL training"
                    + " per executor, with its N cores), or give each executor one GPU"));
        }
        int cores = executorCores.get();
        if (taskCpus != cores) {
            return Optional.of(problem("spark.task.cpus", "executors have " + cores + " core(s) and spark.task.cpus="
                    + format(taskCpus) + ", so up to " + (int) Math.max(1, Math.floor(cores / taskCpus))
                    + " DJL trainings would share one executor JVM, which DJL does not allow: set spark.task.cpus="
                    + cores + " (one training per executor, with all its cores), or give each executor one GPU"
                    + " (spark.executor.resource.gpu.amount=1, spark.task.resource.gpu.amount=1)"));
        }
        return Optional.empty();
    }

    /**
     * The cores of one executor as the settings fix them: from a {@code local-cluster} URL,
     * {@code spark.executor.cores}, or Spark's default of 1 on YARN and Kubernetes. Empty on a
     * standalone master without {@code spark.executor.cores} (the executor takes the worker's).
     */
    static Optional<Integer> executorCores(SparkConf conf, String master) {
        Matcher local = LOCAL_CLUSTER.matcher(master);
        if (local.matches()) {
            return Optional.of(Integer.parseInt(local.group(2)));
        }
        if (conf.contains("spark.executor.cores")) {
            return Optional.of((int) number(conf, "spark.executor.cores", 1));
        }
        if (master.equals("yarn") || master.startsWith("k8s://")) {
            return Optional.of(1);
        }
        return Optional.empty();
    }

    private static String withOpens(String options) {
        List<String> parts = new ArrayList<>();
        if (!options.isBlank()) {
            parts.add(options.trim());
        }
        for (String module : JAVA17_OPENS) {
            String flag = "--add-opens=" + module + "=ALL-UNNAMED";
            if (!options.contains(flag)) {
                parts.add(flag);
            }
        }
        return String.join(" ", parts);
    }

    /** The jar this class was loaded from, when it is one (not a classes folder in tests). */
    private static Optional<Path> ownJar() {
        try {
            var source = ClusterResources.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return Optional.empty();
            }
            Path path = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(path) && path.toString().endsWith(".jar") ? Optional.of(path) : Optional.empty();
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static boolean listsJar(String jars, Path jar) {
        String name = jar.getFileName().toString();
        for (String entry : jars.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.equals(name) || trimmed.endsWith("/" + name)) {
                return true;
            }
        }
        return false;
    }

    private static double number(SparkConf conf, String key, double fallback) {
        String value = conf.get(key, null);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw problem(key, "'" + value + "' is not a number");
        }
    }

    private static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static ConfigException problem(String setting, String text) {
        return new ConfigException(Location.builtIn(WHERE), setting, text);
    }
}
