package io.finegrained.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.search.TrialStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The search job on a real YARN ({@link MiniYarn}: HDFS and a ResourceManager with one
 * NodeManager on loopback), submitted as a user would: {@code submit/spark-submit.sh --master
 * yarn} with {@code HADOOP_CONF_DIR} naming the cluster, the job file and the run directory on
 * {@code hdfs://}. The executors are YARN containers (JVMs the NodeManager starts), their
 * classes {@code spark.yarn.jars=local:…} (the jars are on every node already, nothing big is
 * uploaded per application). The trial is a deterministic command (bash: f1 = x,
 * f2 = (1 - x)^2 + y, one second of "work").
 *
 * <p>A client deploy mode run is the reference; a cluster deploy mode run (the driver in the
 * application master's container) and a client mode run that loses an executor container to
 * {@code kill -9} mid-generation must end with the reference's journal and front. A DJL search
 * of one trial then trains in an executor container on IDX files it reads from HDFS.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@Tag("cluster") // HDFS and YARN on 127.0.0.1
@Tag("slow")
class YarnSearchTest {

    private static final int POPULATION = 4;
    private static final int GENERATIONS = 2;
    private static final int TRIALS = POPULATION * GENERATIONS;
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

    /**
     * $1: a log on this machine (all containers run here) where each trial notes its start: id,
     * generation, its pid, the JVM that ran the task (the parent of its session's wrapper) and
     * the container YARN started that JVM in ({@code CONTAINER_ID}, set by the NodeManager) and
     * the {@code MALLOC_ARENA_MAX} the executor got (spark-submit.sh asks for 1, for libtorch) and
     * the arena limit glibc makes of it (its dynamic loader lists the tunables as this process has them).
     */
    private static final String TRIAL = """
            #!/usr/bin/env bash
            set -eu
            input=$(cat)
            value() { sed -n "s/.*\\"$1\\" *: *\\(-\\{0,1\\}[0-9][0-9.eE+-]*\\).*/\\1/p" <<<"$input" | head -n 1; }
            id=$(value id); generation=$(value generation); x=$(value x); y=$(value y)
            read -r -a wrapper < /proc/$PPID/stat
            arenas=$(/lib64/ld-linux-x86-64.so.2 --list-tunables 2>/dev/null | sed -n 's/^glibc.malloc.arena_max: *\\([0-9a-fx]*\\).*/\\1/p')
            echo "started $id $generation $$ ${wrapper[3]} ${CONTAINER_ID:-none} ${MALLOC_ARENA_MAX:-unset} ${arenas:-unknown}" >> "$1"
            sleep 1
            awk -v x="$x" -v y="$y" 'BEGIN { printf "{\\"f1\\": %.17g, \\"f2\\": %.17g}\\n", x, (1 - x) * (1 - x) + y }'
            """;

    /** The job file, on HDFS: its command names the trial program by absolute path (a remote job file has no folder to resolve against). */
    private static final String CONFIG = """
            search_algorithm:
              type: NSGA2
              population: %d
              generations: %d
              seed: 7
            search_space:
              hyper_parameters:
                x: {type: FLOAT, range: [0.0, 1.0]}
                y: {type: FLOAT, range: [0.0, 1.0]}
            trial:
              type: command
              command: [bash, %s, %s]
              timeout_s: 60
            objectives:
              f1: min
              f2: min
            """;

    private static StandaloneCluster client;
    private static MiniYarn yarn;
    private static Path started;
    private static String job;
    private static String reference;
    private static Path referenceCopy;

    @BeforeAll
    static void startYarnAndRunTheReference() throws Exception {
        long begin = System.nanoTime();
        client = StandaloneCluster.clientOnly("yarn");
        yarn = MiniYarn.start(client.dir(), 4096, 8);
        Path jobFolder = Files.createDirectories(client.dir().resolve("job"));
        Path trial = jobFolder.resolve("trial.sh");
        Files.writeString(trial, TRIAL);
        started = client.dir().resolve("started.log");
        Path local = jobFolder.resolve("search.yml");
        Files.writeString(local, CONFIG.formatted(POPULATION, GENERATIONS, trial, started));
        yarn.hdfs().fs().copyFromLocalFile(new org.apache.hadoop.fs.Path(local.toUri()),
                new org.apache.hadoop.fs.Path("/jobs/search.yml"));
        job = yarn.hdfsUri() + "/jobs/search.yml";

        reference = yarn.hdfsUri() + "/runs/client";
        long submitted = System.nanoTime();
        Process run = submit("client", "client", reference);
        awaitSuccess(run, "client");
        System.err.printf(Locale.ROOT, "YARN: cluster up in %.1f s, the client mode search in %.1f s%n",
                (submitted - begin) / 1e9, (System.nanoTime() - submitted) / 1e9);
        referenceCopy = copyToLocal(reference, "client");
    }

    @AfterAll
    static void stopYarn() {
        try {
            if (yarn != null) {
                yarn.close();
            }
        } finally {
            if (client != null) {
                client.close();
                assertEquals(List.of(), client.aliveProcesses(), "processes left behind");
            }
        }
    }

    /**
     * {@code HADOOP_CONF_DIR=… submit/spark-submit.sh --master yarn --deploy-mode MODE
     * --num-executors 2 --trial-cores 1 … search hdfs://…/jobs/search.yml --output RUN}.
     */
    private static Process submit(String name, String deployMode, String run) {
        return submit(name, deployMode, job, run, 2);
    }

    private static Process submit(String name, String deployMode, String job, String run, int executors) {
        List<String> args = new ArrayList<>(List.of("--master", "yarn", "--deploy-mode", deployMode,
                "--num-executors", Integer.toString(executors), "--trial-cores", "1",
                "--conf", "spark.executor.memory=512m", "--conf", "spark.driver.memory=512m",
                "--conf", "spark.yarn.am.memory=256m",
                // Spark, DJL and libtorch are on every node (here: the jars of the tests' class path),
                // and the Hadoop classes are among them: nothing of that is uploaded per application.
                "--conf", "spark.yarn.jars=local:" + client.sparkHome().resolve("jars") + "/*",
                "--conf", "spark.yarn.populateHadoopClasspath=false",
                // A failed driver is a failed test, not a second attempt.
                "--conf", "spark.yarn.maxAppAttempts=1",
                "--conf", "spark.ui.enabled=false",
                // Driver (in cluster mode) and executors listen on loopback, as the daemons do.
                "--conf", "spark.yarn.appMasterEnv.SPARK_LOCAL_IP=127.0.0.1",
                "--conf", "spark.executorEnv.SPARK_LOCAL_IP=127.0.0.1",
                // Both executors registered before the first task: a loaded machine starts them slowly.
                "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0",
                "--conf", "spark.scheduler.maxRegisteredResourcesWaitingTime=120s"));
        if (deployMode.equals("client")) {
            args.addAll(List.of("--conf", "spark.driver.host=127.0.0.1"));
        }
        args.addAll(List.of("search", job, "--output", run));
        return client.startSparkSubmit(args, Map.of("HADOOP_CONF_DIR", yarn.hadoopConfDir().toString()), log(name));
    }

    private static Path log(String name) {
        return client.dir().resolve(name + ".log");
    }

    private static void awaitSuccess(Process run, String name) throws InterruptedException {
        try {
            client.awaitSuccess(run, name, log(name), RUN_TIMEOUT);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + yarn.logTail(), e);
        }
    }

    /** A run directory on HDFS copied here, to read it as the other cluster tests do. */
    private static Path copyToLocal(String run, String name) throws IOException {
        Path local = client.dir().resolve("copies").resolve(name);
        Files.createDirectories(local.getParent());
        yarn.hdfs().fs().copyToLocalFile(false, new org.apache.hadoop.fs.Path(run), new org.apache.hadoop.fs.Path(local.toUri()), true);
        return local;
    }

    /** One line of started.log: trial {@code id} of {@code generation} ran as {@code pid} in the JVM {@code jvm}, in {@code container}. */
    private record Start(int id, int generation, long pid, long jvm, String container, String mallocArenaMax, String arenaMax) {
        static Start parse(String line) {
            String[] f = line.split(" ");
            return new Start(Integer.parseInt(f[1]), Integer.parseInt(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]), f[5], f[6], f[7]);
        }
    }

    /** The trials started so far (every application's); a line being written is left out. */
    private static List<Start> starts() throws IOException {
        if (!Files.exists(started)) {
            return List.of();
        }
        String text = Files.readString(started);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : text.substring(0, end).lines().map(Start::parse).toList();
    }

    /** The ids in an HDFS journal now (complete lines only). */
    private static Set<Integer> journaled(String run) throws IOException {
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(run + "/trials.jsonl");
        if (!yarn.hdfs().fs().exists(file)) {
            return Set.of();
        }
        String text;
        try (InputStream in = yarn.hdfs().fs().open(file)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int end = text.lastIndexOf('\n');
        Set<Integer> ids = new TreeSet<>();
        Matcher id = Pattern.compile("^\\{\"id\":\\s*(\\d+)", Pattern.MULTILINE).matcher(end < 0 ? "" : text.substring(0, end));
        while (id.find()) {
            ids.add(Integer.parseInt(id.group(1)));
        }
        return ids;
    }

    private static Map<Integer, List<Object>> outcomes(Path run) {
        return RunOutputs.outcomes(run, List.of());
    }

    private static List<List<String>> front(Path run) {
        return RunOutputs.front(run, List.of("seconds"));
    }

    private static void assertTheReferenceRun(Path run) {
        Map<Integer, List<Object>> expected = outcomes(referenceCopy);
        assertEquals(IntStream.range(0, TRIALS).boxed().toList(), List.copyOf(expected.keySet()),
                "the reference ran every candidate once");
        assertTrue(expected.values().stream().allMatch(o -> o.get(1) == TrialStatus.OK), "reference trials OK: " + expected);
        assertEquals(expected, outcomes(run), "same candidates, same results as the client mode run");
        assertEquals(front(referenceCopy), front(run), "same front as the client mode run");
    }

    /** The application (by YARN's id) a container belongs to: {@code container_<cluster>_<app>_<attempt>_<n>}. */
    private static String application(String container) {
        String[] f = container.split("_");
        return f[1] + "_" + f[2];
    }

    @Test
    void aClientModeSearchRunsItsTrialsInYarnContainersAndWritesToHdfs() throws Exception {
        assertTheReferenceRun(referenceCopy); // every candidate once, all OK
        String out = Files.readString(log("client"));
        assertTrue(out.contains("search finished (ran " + TRIALS + " trials): " + TRIALS + " trials, 0 failed, in " + reference),
                StandaloneCluster.tail(log("client"), 30));

        List<Start> runs = starts().stream().filter(s -> s.id() < TRIALS).toList();
        Map<String, Set<Long>> jvmsByContainer = new TreeMap<>();
        for (Start s : runs.subList(0, TRIALS)) {
            jvmsByContainer.computeIfAbsent(s.container(), c -> new TreeSet<>()).add(s.jvm());
        }
        // The first application's trials: two executor containers (not the application master's, _000001).
        assertEquals(2, jvmsByContainer.size(), "two executor containers ran the trials: " + jvmsByContainer);
        assertTrue(jvmsByContainer.keySet().stream().allMatch(c -> c.startsWith("container_") && !c.endsWith("_000001")),
                "executor containers, not the application master's: " + jvmsByContainer);
        assertEquals(1, jvmsByContainer.keySet().stream().map(YarnSearchTest::application).distinct().count(), jvmsByContainer.toString());
        assertTrue(jvmsByContainer.values().stream().allMatch(j -> j.size() == 1), "one JVM per container: " + jvmsByContainer);
        // The NodeManager appends its admin environment (yarn.nodemanager.admin-env, by default
        // MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX) to what Spark asked for, "1" + ":" + its own value;
        // glibc reads the leading number, so libtorch's executors still get one arena.
        assertTrue(runs.stream().allMatch(r -> r.mallocArenaMax().equals("1") || r.mallocArenaMax().startsWith("1:")),
                runs.toString());
        assertEquals(Set.of("0x1"), runs.stream().map(Start::arenaMax).collect(Collectors.toSet()), runs.toString());

        // The executors wrote each trial's files to the run directory on HDFS.
        for (int id = 0; id < TRIALS; id++) {
            assertTrue(Files.isDirectory(referenceCopy.resolve("trials").resolve(Integer.toString(id))),
                    "trial " + id + "'s folder in the HDFS run directory");
        }
        assertTrue(Files.exists(referenceCopy.resolve("config.yml")));
    }

    @Test
    void aClusterModeSearchRunsItsDriverInTheApplicationMasterAndSaysWhereItsOutputsAre() throws Exception {
        String run = yarn.hdfsUri() + "/runs/cluster";
        long begin = System.nanoTime();
        Process submitted = submit("cluster", "cluster", run);
        awaitSuccess(submitted, "cluster");
        System.err.printf(Locale.ROOT, "YARN: the cluster mode search in %.1f s%n", (System.nanoTime() - begin) / 1e9);

        assertTheReferenceRun(copyToLocal(run, "cluster"));
        // The driver's own report went to its container's stdout: the user's terminal shows the script's line.
        String out = Files.readString(log("cluster"));
        assertTrue(out.contains("finegrained: the run's outputs are in " + run), StandaloneCluster.tail(log("cluster"), 30));
        assertFalse(out.contains("search finished"), "the driver did not run here: " + StandaloneCluster.tail(log("cluster"), 30));
        Matcher app = Pattern.compile("(application_\\d+_\\d+)").matcher(out);
        assertTrue(app.find(), "spark-submit names its application: " + StandaloneCluster.tail(log("cluster"), 30));
        String amContainer = "container_" + app.group(1).substring("application_".length()) + "_01_000001";
        Path amLogs = yarn.containerLogs(amContainer).orElseThrow(() -> new AssertionError("no logs of " + amContainer));
        String driverOut = Files.readString(amLogs.resolve("stdout"));
        assertTrue(driverOut.contains("search finished (ran " + TRIALS + " trials): " + TRIALS + " trials, 0 failed, in " + run),
                "the driver ran in the application master's container: " + driverOut);
    }

    @Test
    void anExecutorContainerKilledMidGenerationLosesNoTrialAndDuplicatesNone() throws Exception {
        String run = yarn.hdfsUri() + "/runs/kill";
        int before = starts().size();
        Process submitted = submit("kill", "client", run);

        // A trial of the second generation that has started and not finished: kill -9 its executor's JVM,
        // found among the NodeManager's running containers.
        record Victim(Start start, String container, ProcessHandle jvm) {
        }
        Instant deadline = Instant.now().plus(RUN_TIMEOUT);
        Victim found = null;
        while (found == null && Instant.now().isBefore(deadline) && submitted.isAlive()) {
            List<Start> now = starts();
            Set<Integer> done = journaled(run);
            Map<String, ProcessHandle> containers = yarn.containerJvms();
            for (Start s : now.subList(Math.min(before, now.size()), now.size())) {
                Optional<ProcessHandle> jvm = ProcessHandle.of(s.jvm());
                if (s.generation() == 1 && !done.contains(s.id()) && ProcessHandle.of(s.pid()).isPresent() && jvm.isPresent()
                        && jvm.get().equals(containers.get(s.container()))) {
                    found = new Victim(s, s.container(), jvm.get());
                    break;
                }
            }
            StandaloneCluster.sleep(50);
        }
        Victim victim = found;
        assertTrue(victim != null, "a running trial of generation 1 in an executor container\n"
                + StandaloneCluster.tail(log("kill"), 30) + yarn.logTail());
        assertTrue(victim.jvm().info().commandLine().orElse("").contains("YarnCoarseGrainedExecutorBackend"),
                "an executor: " + victim.jvm().info());
        List<ProcessHandle> trialProcesses = new ArrayList<>();
        ProcessHandle.of(victim.start().pid()).ifPresent(p -> {
            trialProcesses.add(p);
            trialProcesses.addAll(p.descendants().toList());
        });
        assertTrue(victim.jvm().destroyForcibly(), "kill -9 the executor");
        trialProcesses.forEach(ProcessHandle::destroyForcibly); // its orphaned trial program, for tidiness
        victim.jvm().onExit().get(30, TimeUnit.SECONDS);
        int atKill = starts().size();
        assertFalse(journaled(run).contains(victim.start().id()), "killed before trial " + victim.start().id() + " finished");

        awaitSuccess(submitted, "kill");
        assertTheReferenceRun(copyToLocal(run, "kill"));
        List<Start> mine = starts().subList(before, starts().size());
        Map<Integer, Long> startsById = mine.stream().collect(Collectors.groupingBy(Start::id, TreeMap::new, Collectors.counting()));
        assertTrue(startsById.get(victim.start().id()) >= 2, "trial " + victim.start().id() + " ran again: " + startsById);
        List<Start> afterKill = starts().subList(atKill, starts().size());
        assertTrue(afterKill.stream().noneMatch(s -> s.container().equals(victim.container())),
                "nothing ran in the killed container afterwards: " + afterKill);
        assertTrue(Files.readString(log("kill")).contains(TRIALS + " trials, 0 failed"), StandaloneCluster.tail(log("kill"), 20));
    }

    /** A DJL search (the trainer, libtorch in the executor) whose IDX data, job file and run directory are on HDFS. */
    private static final String DJL_CONFIG = """
            search_algorithm:
              type: RandomSearch
              samples: 1
              seed: 3
            search_space:
              modules: ['init', 'head']
              init:
                type: SmallInputInitialBlock
                init_plane: 4
              head:
                type: LinearClassificationHead
                num_class: 10
              hyper_parameters:
                trainer.lr: {type: FLOAT_EXP, range: [0.01, 0.2]}
            trainer:
              epochs: 1
              batch_size: 64
            objectives:
              accuracy: max
            dataset:
              source: idx
              path: %s/data/idx
              seed: 11
            """;

    @Test
    void aDjlTrialInAnExecutorContainerTrainsOnDataFromHdfs() throws Exception {
        io.finegrained.train.SubsetExports.idx(yarn.hdfsUri() + "/data/idx");
        Path local = client.dir().resolve("job").resolve("djl.yml");
        Files.writeString(local, DJL_CONFIG.formatted(yarn.hdfsUri()));
        yarn.hdfs().fs().copyFromLocalFile(new org.apache.hadoop.fs.Path(local.toUri()), new org.apache.hadoop.fs.Path("/jobs/djl.yml"));
        String run = yarn.hdfsUri() + "/runs/djl";
        long begin = System.nanoTime();
        Process submitted = submit("djl", "client", yarn.hdfsUri() + "/jobs/djl.yml", run, 1);
        awaitSuccess(submitted, "djl");
        System.err.printf(Locale.ROOT, "YARN: the DJL search (1 trial, one executor) in %.1f s%n", (System.nanoTime() - begin) / 1e9);

        Path copy = copyToLocal(run, "djl");
        Map<Integer, List<Object>> outcomes = RunOutputs.outcomes(copy, List.of("latency_ms", "latency_ms_b32", "latency_spread",
                "train_seconds"));
        assertEquals(List.of(0), List.copyOf(outcomes.keySet()), outcomes.toString());
        assertEquals(TrialStatus.OK, outcomes.get(0).get(1), outcomes.toString());
        @SuppressWarnings("unchecked")
        double accuracy = ((Map<String, Double>) outcomes.get(0).get(3)).get("accuracy");
        assertTrue(accuracy >= 0 && accuracy <= 1, outcomes.toString());
        String journal = Files.readString(copy.resolve("trials.jsonl"));
        Matcher executor = Pattern.compile("\"executor\":\"executor 1 \\((\\d+)@").matcher(journal);
        assertTrue(executor.find(), "ran in the one executor: " + journal);
        // Its log, copied to the run directory on HDFS: the executor's JVM read the IDX files from HDFS.
        String trialLog = Files.readString(copy.resolve("trials/0/trial.log"));
        assertTrue(Pattern.compile("IDX files in " + Pattern.quote(yarn.hdfsUri() + "/data/idx") + ": [1-9]\\d* train").matcher(trialLog).find(),
                trialLog);
        assertTrue(trialLog.contains("JVM " + executor.group(1) + "@"), "trained in the executor's JVM: " + trialLog);
        assertTrue(Files.exists(copy.resolve("best.csv")), "the best trial's table on HDFS");
        assertTrue(Files.isDirectory(copy.resolve("models")), "the best trial's model on HDFS");
    }
}
