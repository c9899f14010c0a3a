package io.finegrained.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster on 127.0.0.1 for tests: one master and one worker, each its
 * own JVM started from the Maven jars (the recipe of ARCHITECTURE.md: a {@code SPARK_HOME}
 * whose {@code jars/} links every dependency jar, an empty {@code RELEASE} file,
 * {@code SPARK_SCALA_VERSION=2.12}); the worker starts executors as JVMs of their own.
 * Ports are chosen by the daemons (port 0) and read back from their logs.
 *
 * <p>Nothing outlives the tests: every process runs under a small watchdog that ends it when
 * the test JVM closes the watchdog's stdin or dies (the pipe closes either way), and
 * {@link #close()} waits for every descendant, killing what remains after a grace period.
 *
 * <p>Files live under {@code target/cluster-tests/<name>-<time>/}: {@code spark-home/},
 * the daemons' logs, the worker's {@code work/} folder (executor logs) and the jars built
 * from {@code target/classes} (the application, as the launcher ships it) and
 * {@code target/test-classes}.
 */
public final class StandaloneCluster implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern MASTER_URL = Pattern.compile("Starting Spark master at (spark://\\S+)");
    private static final String WATCHDOG = """
            #!/usr/bin/env bash
            # Runs "$@" and ends it when this script's stdin closes: the test JVM closed it or died.
            "$@" </dev/null &
            child=$!
            (
              while read -r _; do :; done
              kill -TERM "$child" 2>/dev/null
              for _ in $(seq 100); do kill -0 "$child" 2>/dev/null || exit 0; sleep 0.1; done
              kill -KILL "$child" 2>/dev/null
            ) <&0 &
            watcher=$!
            wait "$child"; rc=$?
            kill "$watcher" 2>/dev/null
            exit $rc
            """;

    /**
     * {@code bin/spark-submit} of a Spark distribution, rebuilt on the Maven jars: Spark's
     * launcher library prints the driver's command, NUL-separated, this script appends the
     * launcher's exit status (as {@code bin/spark-class} does) and runs the command.
     */
    private static final String SPARK_SUBMIT = """
            #!/usr/bin/env bash
            set -euo pipefail
            export SPARK_HOME=$(cd "$(dirname "$0")/.." && pwd)
            parts=()
            while IFS= read -r -d '' part; do parts+=("$part"); done < <(
              java=${JAVA_HOME:-%s}/bin/java
              "$java" -Xmx128m -cp "$SPARK_HOME/jars/*" org.apache.spark.launcher.Main org.apache.spark.deploy.SparkSubmit "$@"
              printf '%%d\\0' $?)
            status=${parts[${#parts[@]}-1]}
            unset 'parts[${#parts[@]}-1]'
            [[ $status == 0 ]] || exit "$status"
            # The launcher prints a NUL and a newline before the command (spark-class skips them).
            parts=("${parts[@]:1}")
            parts[0]=${parts[0]#$'\\n'}
            exec "${parts[@]}"
            """.formatted(System.getProperty("java.home"));

    private final Path dir;
    private final Path sparkHome;
    private final Path appJar;
    private final Path testJar;
    private final List<Path> dependencyJars;
    private final List<Process> processes = new ArrayList<>();
    private Process master;
    private Process worker;
    private String masterUrl;

    /**
     * Settings of the one worker.
     *
     * @param hiddenFolder a folder of the cluster's directory that the worker and its executors
     *                     cannot see (see {@link #withHiddenFolder}), or null
     */
    public record Options(String name, int cores, int memoryMb, List<String> fakeGpus, String hiddenFolder) {
        public Options {
            fakeGpus = List.copyOf(fakeGpus);
        }

        public Options(String name, int cores, int memoryMb, List<String> fakeGpus) {
            this(name, cores, memoryMb, fakeGpus, null);
        }

        public static Options named(String name) {
            return new Options(name, 2, 2048, List.of());
        }

        public Options withFakeGpus(String... addresses) {
            return new Options(name, cores, memoryMb, Arrays.asList(addresses), hiddenFolder);
        }

        /**
         * The worker runs in a mount namespace of its own ({@code unshare --mount}, as root) in
         * which {@code <cluster dir>/<folder>} is an empty tmpfs: what the test (the driver's
         * machine) writes there, its executors cannot see, and what they write there stays in
         * their namespace, as on another machine with the same folder layout.
         */
        public Options withHiddenFolder(String folder) {
            return new Options(name, cores, memoryMb, fakeGpus, folder);
        }
    }

    private StandaloneCluster(Path dir, List<Path> dependencyJars) throws IOException {
        this.dir = dir;
        this.sparkHome = dir.resolve("spark-home");
        this.dependencyJars = dependencyJars;
        Files.createDirectories(sparkHome.resolve("jars"));
        Files.createFile(sparkHome.resolve("RELEASE"));
        for (Path jar : dependencyJars) {
            Path link = sparkHome.resolve("jars").resolve(jar.getFileName());
            if (!Files.exists(link)) {
                Files.createSymbolicLink(link, jar);
            }
        }
        this.appJar = jarOf(projectRoot().resolve("target/classes"), dir.resolve("finegrained.jar"));
        this.testJar = jarOf(projectRoot().resolve("target/test-classes"), dir.resolve("finegrained-tests.jar"));
        Files.createDirectories(sparkHome.resolve("bin"));
        Files.writeString(sparkHome.resolve("bin/spark-submit"), SPARK_SUBMIT);
        sparkHome.resolve("bin/spark-submit").toFile().setExecutable(true);
        Files.writeString(dir.resolve("watchdog.sh"), WATCHDOG);
        dir.resolve("watchdog.sh").toFile().setExecutable(true);
    }

    /** Starts a master and a worker and waits until the worker has registered. */
    public static StandaloneCluster start(Options options) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
        Path dir = projectRoot().resolve("target/cluster-tests").resolve(options.name() + "-" + stamp);
        StandaloneCluster cluster = null;
        try {
            Files.createDirectories(dir);
            cluster = new StandaloneCluster(dir, dependencyJarsOfThisJvm());
            cluster.startDaemons(options);
            return cluster;
        } catch (IOException | RuntimeException | Error e) {
            if (cluster != null) {
                String logs = cluster.logTail();
                cluster.close();
                throw new IllegalStateException("the standalone cluster did not start: " + e.getMessage() + "\n" + logs, e);
            }
            throw new IllegalStateException("the standalone cluster did not start: " + e.getMessage(), e);
        }
    }

    /**
     * This class's {@code SPARK_HOME}, jars and watchdog without a master or a worker: a user's
     * machine for {@link #startSparkSubmit} against another cluster manager ({@link MiniYarn}).
     */
    public static StandaloneCluster clientOnly(String name) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
        Path dir = projectRoot().resolve("target/cluster-tests").resolve(name + "-" + stamp);
        try {
            Files.createDirectories(dir);
            return new StandaloneCluster(dir, dependencyJarsOfThisJvm());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
    }

    /** The folder whose {@code jars/} holds every jar of this JVM's class path (linked). */
    public Path sparkHome() {
        return sparkHome;
    }

    private void startDaemons(Options options) throws IOException {
        master = startJava(List.of("-Xmx256m"), "org.apache.spark.deploy.master.Master",
                List.of("--host", "127.0.0.1", "--port", "0", "--webui-port", "0"), Map.of(), dir.resolve("master.log"));
        masterUrl = awaitLog(dir.resolve("master.log"), MASTER_URL, master, "the master's URL").group(1);

        List<String> workerJvm = new ArrayList<>(List.of("-Xmx256m"));
        Map<String, String> workerEnv = new LinkedHashMap<>();
        if (!options.fakeGpus().isEmpty()) {
            // The worker asks submit/gpu-discovery.sh, which prints the fake addresses from the
            // environment: Spark's own scheduling of GPU addresses, without a GPU.
            workerJvm.add("-Dspark.worker.resource.gpu.amount=" + options.fakeGpus().size());
            workerJvm.add("-Dspark.worker.resource.gpu.discoveryScript="
                    + projectRoot().resolve("submit/gpu-discovery.sh"));
            workerEnv.put("FINEGRAINED_FAKE_GPUS", String.join(",", options.fakeGpus()));
        }
        List<String> prefix = List.of();
        if (options.hiddenFolder() != null) {
            Path hidden = Files.createDirectories(hiddenFolder(options));
            // A private copy of the mount table with a tmpfs over the folder, then the worker
            // itself (exec: the watchdog's child stays the worker's JVM).
            prefix = List.of("unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c",
                    "mount -t tmpfs -o size=64m finegrained-hidden \"$0\" && exec \"$@\"", hidden.toString());
        }
        worker = startJava(prefix, workerJvm, "org.apache.spark.deploy.worker.Worker",
                List.of("--host", "127.0.0.1", "--port", "0", "--webui-port", "0",
                        "--cores", Integer.toString(options.cores()), "--memory", options.memoryMb() + "m",
                        "--work-dir", dir.resolve("work").toString(), masterUrl),
                workerEnv, dir.resolve("worker.log"));
        awaitLog(dir.resolve("worker.log"), Pattern.compile("Successfully registered with master"), worker,
                "the worker's registration");
    }

    private Path hiddenFolder(Options options) {
        return dir.resolve(options.hiddenFolder());
    }

    /** {@code spark://127.0.0.1:PORT}. */
    public String masterUrl() {
        return masterUrl;
    }

    /** This cluster's folder under {@code target/cluster-tests}. */
    public Path dir() {
        return dir;
    }

    /** The application jar: {@code target/classes} packed as the launcher's {@code finegrained.jar}. */
    public Path appJar() {
        return appJar;
    }

    /** {@code target/test-classes} as a jar, for jobs whose functions live in tests. */
    public Path testJar() {
        return testJar;
    }

    /** The worker's JVM, to tell its executors from other Java processes. */
    public ProcessHandle workerProcess() {
        return worker.toHandle();
    }

    /** The executor JVMs the worker runs now (any application). */
    public List<ProcessHandle> executors() {
        return worker.descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
                .collect(Collectors.toList());
    }

    /** Waits until the worker runs {@code count} executors; returns them. */
    public List<ProcessHandle> awaitExecutors(int count, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        List<ProcessHandle> found = executors();
        while (found.size() < count && Instant.now().isBefore(deadline)) {
            sleep(200);
            found = executors();
        }
        if (found.size() < count) {
            throw new AssertionError("expected " + count + " executor JVMs, found " + found.size() + "\n" + logTail());
        }
        return found;
    }

    /**
     * Starts the CLI in its own JVM as {@code submit/finegrained} would: the application jar and
     * the dependency jars on the class path, the launcher's JVM flags, loopback networking.
     * Output goes to {@code log}.
     */
    public Process startCli(List<String> args, Map<String, String> env, Path log) {
        return startJava(driverJvm(), "io.finegrained.cli.Main", args, env, log, appJar.toString());
    }

    /**
     * Starts a driver program of the tests ({@code mainClass} in {@code target/test-classes})
     * in its own JVM, with both jars and the dependency jars on its class path.
     */
    public Process startTestDriver(String mainClass, List<String> args, Path log) {
        return startJava(driverJvm(), mainClass, args, Map.of(), log,
                testJar + java.io.File.pathSeparator + appJar);
    }

    private static List<String> driverJvm() {
        List<String> jvm = new ArrayList<>(List.of("-Xmx1g", "-Dai.djl.offline=true"));
        for (String module : io.finegrained.spark.ClusterResources.JAVA17_OPENS) {
            jvm.add("--add-opens=" + module + "=ALL-UNNAMED");
        }
        return jvm;
    }

    /**
     * Runs {@code submit/spark-submit.sh} as a user of this cluster would, with this cluster's
     * {@code SPARK_HOME} (its {@code bin/spark-submit}) and the application jar built from
     * {@code target/classes} instead of the shaded one (its dependencies are on the workers'
     * class path already). {@code args} are the script's: spark-submit options, then the command.
     */
    public Process startSparkSubmit(List<String> args, Map<String, String> env, Path log) {
        List<String> command = new ArrayList<>();
        command.add(dir.resolve("watchdog.sh").toString());
        command.add(projectRoot().resolve("submit/spark-submit.sh").toString());
        command.addAll(args);
        Map<String, String> environment = new LinkedHashMap<>(env);
        environment.put("FINEGRAINED_CLUSTER_JAR", appJar.toString());
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        return start(command, environment, log, "spark-submit.sh");
    }

    /** The Java process running under {@code process}'s watchdog (to kill -9 it). */
    public static ProcessHandle javaOf(Process process) {
        return javaOf(process.toHandle());
    }

    /** The Java process running under a watchdog's handle. */
    public static ProcessHandle javaOf(ProcessHandle watchdog) {
        return watchdog.children().filter(p -> p.info().command().orElse("").endsWith("java")).findFirst()
                .orElseThrow(() -> new AssertionError("no Java process under " + watchdog.pid()));
    }

    /** A Spark setting map for a driver of this cluster: loopback, no UI, small executors. */
    public Map<String, String> driverSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("spark.master", masterUrl);
        settings.put("spark.driver.host", "127.0.0.1");
        settings.put("spark.driver.bindAddress", "127.0.0.1");
        settings.put("spark.ui.enabled", "false");
        settings.put("spark.executor.memory", "512m");
        return settings;
    }

    private Process startJava(List<String> jvmArgs, String mainClass, List<String> args, Map<String, String> env,
                              Path log) {
        return startJava(List.of(), jvmArgs, mainClass, args, env, log, null);
    }

    private Process startJava(List<String> prefix, List<String> jvmArgs, String mainClass, List<String> args,
                              Map<String, String> env, Path log) {
        return startJava(prefix, jvmArgs, mainClass, args, env, log, null);
    }

    private Process startJava(List<String> jvmArgs, String mainClass, List<String> args, Map<String, String> env,
                              Path log, String firstOnClasspath) {
        return startJava(List.of(), jvmArgs, mainClass, args, env, log, firstOnClasspath);
    }

    /** @param prefix what runs the JVM (e.g. {@code unshare ...}), under the watchdog; exec'ing into it */
    private Process startJava(List<String> prefix, List<String> jvmArgs, String mainClass, List<String> args,
                              Map<String, String> env, Path log, String firstOnClasspath) {
        List<String> command = new ArrayList<>();
        command.add(dir.resolve("watchdog.sh").toString());
        command.addAll(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        String jars = sparkHome.resolve("jars").resolve("*").toString();
        command.add(firstOnClasspath == null ? jars : firstOnClasspath + java.io.File.pathSeparator + jars);
        command.add(mainClass);
        command.addAll(args);
        return start(command, env, log, mainClass);
    }

    private Process start(List<String> command, Map<String, String> env, Path log, String what) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.remove("SPARK_CONF_DIR");
        environment.put("SPARK_HOME", sparkHome.toString());
        environment.put("SPARK_SCALA_VERSION", "2.12");
        environment.put("SPARK_LOCAL_IP", "127.0.0.1");
        environment.put("DJL_OFFLINE", "true");
        environment.remove("SPARK_SUBMIT");
        environment.putAll(env);
        try {
            Process process = builder.start();
            synchronized (processes) {
                processes.add(process);
            }
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + what, e);
        }
    }

    private Matcher awaitLog(Path log, Pattern pattern, Process process, String what) {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            Optional<Matcher> found = find(log, pattern);
            if (found.isPresent()) {
                return found.get();
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(what + ": the process exited with " + process.exitValue());
            }
            sleep(200);
        }
        throw new IllegalStateException(what + ": not seen in " + log + " within " + START_TIMEOUT.toSeconds() + " s");
    }

    private static Optional<Matcher> find(Path log, Pattern pattern) {
        try {
            if (!Files.exists(log)) {
                return Optional.empty();
            }
            Matcher matcher = pattern.matcher(Files.readString(log, StandardCharsets.ISO_8859_1));
            return matcher.find() ? Optional.of(matcher) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Waits for a run this cluster started ({@link #startCli}, {@link #startSparkSubmit}) to end
     * with exit status 0; otherwise fails with the tail of its log and of the cluster's logs.
     */
    public void awaitSuccess(Process run, String name, Path log, Duration timeout) throws InterruptedException {
        if (!run.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the " + name + " run did not finish within " + timeout.toSeconds() + " s\n"
                    + tail(log, 40) + logTail());
        }
        if (run.exitValue() != 0) {
            throw new AssertionError("the " + name + " run failed with exit status " + run.exitValue() + "\n"
                    + tail(log, 60) + logTail());
        }
    }

    /** The last lines of the daemons' and executors' logs, for failure messages. */
    public String logTail() {
        StringBuilder out = new StringBuilder();
        List<Path> logs = new ArrayList<>(List.of(dir.resolve("master.log"), dir.resolve("worker.log")));
        try (Stream<Path> work = Files.exists(dir.resolve("work")) ? Files.walk(dir.resolve("work")) : Stream.empty()) {
            work.filter(p -> p.getFileName().toString().equals("stderr")).sorted().forEach(logs::add);
        } catch (IOException | UncheckedIOException e) {
            out.append("(cannot list executor logs: ").append(e.getMessage()).append(")\n");
        }
        for (Path log : logs) {
            out.append(tail(log, 25));
        }
        return out.toString();
    }

    /** The last {@code lines} lines of a file, headed by its name. */
    public static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return "--- " + file + " (missing)\n";
            }
            List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return "--- " + file + "\n" + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
        } catch (IOException e) {
            return "--- " + file + " (unreadable: " + e.getMessage() + ")\n";
        }
    }

    /**
     * Stops everything: closes each watchdog's stdin (the worker's shutdown stops its
     * executors), waits up to 30 s, then kills what is left, descendants included.
     */
    @Override
    public void close() {
        List<Process> started;
        synchronized (processes) {
            started = new ArrayList<>(processes);
        }
        // Drivers and the worker before the master, so executors end with their worker.
        java.util.Collections.reverse(started);
        Set<ProcessHandle> all = new LinkedHashSet<>();
        for (Process process : started) {
            all.add(process.toHandle());
            process.descendants().forEach(all::add);
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.flush();
            } catch (IOException e) {
                // already gone
            }
        }
        Instant deadline = Instant.now().plusSeconds(30);
        while (all.stream().anyMatch(ProcessHandle::isAlive) && Instant.now().isBefore(deadline)) {
            sleep(200);
        }
        for (ProcessHandle handle : all) {
            if (handle.isAlive()) {
                handle.descendants().forEach(ProcessHandle::destroyForcibly);
                handle.destroyForcibly();
            }
        }
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                // reported below
            }
        }
        List<Long> left = all.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList();
        if (!left.isEmpty()) {
            throw new IllegalStateException("cluster processes still alive after kill: " + left);
        }
    }

    /** Every process this cluster started that still runs (the watchdogs and their descendants). */
    public List<ProcessHandle> aliveProcesses() {
        List<ProcessHandle> alive = new ArrayList<>();
        synchronized (processes) {
            for (Process process : processes) {
                if (process.isAlive()) {
                    alive.add(process.toHandle());
                }
                process.descendants().filter(ProcessHandle::isAlive).forEach(alive::add);
            }
        }
        return alive;
    }

    static Path projectRoot() {
        return Path.of(System.getProperty("project.root", ".")).toAbsolutePath().normalize();
    }

    /**
     * The jars on this JVM's class path: surefire hides them behind a manifest-only jar and
     * names them in {@code surefire.test.class.path}; a plain JVM has them in
     * {@code java.class.path}.
     */
    private static List<Path> dependencyJarsOfThisJvm() {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<Path> jars = new ArrayList<>();
        for (String entry : classpath.split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(path) && !path.getFileName().toString().startsWith("surefire")) {
                jars.add(path.toAbsolutePath());
            }
        }
        if (jars.stream().noneMatch(p -> p.getFileName().toString().startsWith("spark-core"))) {
            throw new IllegalStateException("no spark-core jar on this JVM's class path: " + classpath);
        }
        return jars;
    }

    private static Path jarOf(Path classes, Path jar) throws IOException {
        if (!Files.isDirectory(classes)) {
            throw new IOException("no compiled classes at " + classes);
        }
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
