package io.finegrained.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.search.TrialStatus;
import io.finegrained.spark.Journal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The search job on a real standalone cluster (one worker, two one-core executors), submitted
 * as a user would: through {@code submit/spark-submit.sh}, or the launcher's way
 * ({@code java -cp finegrained.jar:… search CONF --master spark://…}, the executor settings in
 * the job file's spark section), with a deterministic command trial (bash: f1 = x,
 * f2 = (1 - x)^2 + y, one second of "work"). An uninterrupted spark-submit run is the reference;
 * the same job on {@code local[2]}, a spark-submit run that loses an executor mid-generation, and
 * a launcher run whose driver is killed and then resumed must all end with the reference's
 * journal and front.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@Tag("cluster") // a standalone Spark cluster on 127.0.0.1
class ClusterSearchTest {

    private static final int POPULATION = 4;
    private static final int GENERATIONS = 3;
    private static final int TRIALS = POPULATION * GENERATIONS;
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

    private static final String TRIAL = """
            #!/usr/bin/env bash
            # Deterministic command trial: f1 = x, f2 = (1 - x)^2 + y. Logs its start (id, generation,
            # its pid and the JVM that ran the task: the parent of its session's wrapper, its own
            # parent) to the run's started.log (the working folder is <run>/trials/<id>), then works
            # for a second.
            set -eu
            input=$(cat)
            value() { sed -n "s/.*\\"$1\\" *: *\\(-\\{0,1\\}[0-9][0-9.eE+-]*\\).*/\\1/p" <<<"$input" | head -n 1; }
            id=$(value id); generation=$(value generation); x=$(value x); y=$(value y)
            read -r -a wrapper < /proc/$PPID/stat
            echo "started $id $generation $$ ${wrapper[3]}" >> ../../started.log
            sleep 1
            awk -v x="$x" -v y="$y" 'BEGIN { printf "{\\"f1\\": %.17g, \\"f2\\": %.17g}\\n", x, (1 - x) * (1 - x) + y }'
            """;
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
              command: [bash, trial.sh]
              timeout_s: 60
            objectives:
              f1: min
              f2: min
            """.formatted(POPULATION, GENERATIONS);

    /** The same job for the launcher way (no spark-submit): executor settings from the spark section. */
    private static final String LAUNCHER_CONFIG = CONFIG + """
            spark:
              conf:
                spark.executor.cores: 1
                spark.cores.max: 2
                spark.executor.memory: 512m
                spark.ui.enabled: false
                spark.scheduler.minRegisteredResourcesRatio: 1.0
                spark.scheduler.maxRegisteredResourcesWaitingTime: 120s
            """;

    /** The driver's main class: the CLI itself, as a user runs it. */
    private static final String SEARCH_MAIN = "io.finegrained.cli.Main";

    private static StandaloneCluster cluster;
    private static Path conf;
    private static Path launcherConf;
    private static Path reference;

    @BeforeAll
    static void startClusterAndRunTheReference() throws Exception {
        cluster = StandaloneCluster.start(StandaloneCluster.Options.named("search"));
        Path jobFolder = Files.createDirectories(cluster.dir().resolve("job"));
        Files.writeString(jobFolder.resolve("trial.sh"), TRIAL);
        conf = jobFolder.resolve("search.yml");
        Files.writeString(conf, CONFIG);
        launcherConf = jobFolder.resolve("search-launcher.yml");
        Files.writeString(launcherConf, LAUNCHER_CONFIG);
        reference = cluster.dir().resolve("reference");
        Process run = submit("reference", reference, false);
        awaitSuccess(run, "reference");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
            assertEquals(List.of(), cluster.aliveProcesses(), "processes left behind");
        }
    }

    /** {@code submit/spark-submit.sh --master spark://… --trial-cores 1 … search CONF --output DIR}. */
    private static Process submit(String name, Path output, boolean resume) {
        List<String> args = new ArrayList<>(List.of("--master", cluster.masterUrl(), "--trial-cores", "1",
                "--conf", "spark.cores.max=2", "--conf", "spark.executor.memory=512m",
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.ui.enabled=false",
                // Both executors registered before the first task: a loaded machine starts them slowly.
                "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0",
                "--conf", "spark.scheduler.maxRegisteredResourcesWaitingTime=120s",
                "--jars", cluster.testJar().toString(),
                "search", conf.toString(), "--output", output.toString()));
        if (resume) {
            args.add("--resume");
        }
        return cluster.startSparkSubmit(args, Map.of("FINEGRAINED_MAIN", SEARCH_MAIN), log(name));
    }

    /**
     * The launcher's way: {@code java -cp finegrained.jar:<jars> … search CONF --master spark://…}
     * The driver ships the finegrained jar itself.
     */
    private static Process launch(String name, Path output, boolean resume) {
        List<String> args = new ArrayList<>(List.of("search", launcherConf.toString(), "--output", output.toString(),
                "--master", cluster.masterUrl()));
        if (resume) {
            args.add("--resume");
        }
        return driver(args, log(name));
    }

    /** A driver JVM as the launcher starts it. */
    private static Process driver(List<String> args, Path log) {
        return cluster.startCli(args, Map.of(), log);
    }

    private static Path log(String name) {
        return cluster.dir().resolve(name + ".log");
    }

    private static void awaitSuccess(Process run, String name) throws InterruptedException {
        cluster.awaitSuccess(run, name, log(name), RUN_TIMEOUT);
    }

    /** id → what a trial is and gave (generation, status, values, metrics), seconds left out. */
    private static Map<Integer, List<Object>> outcomes(Path run) {
        return RunOutputs.outcomes(run, List.of());
    }

    /** pareto.csv without its seconds column (which differs between runs). */
    private static List<List<String>> front(Path run) {
        return RunOutputs.front(run, List.of("seconds"));
    }

    /** id → how many times the trial program started, from the run's started.log. */
    private static Map<Integer, Integer> starts(Path run) throws IOException {
        Path log = run.resolve("started.log");
        if (!Files.exists(log)) {
            return Map.of();
        }
        return Files.readAllLines(log).stream().filter(l -> l.startsWith("started "))
                .collect(Collectors.toMap(l -> Integer.parseInt(l.split(" ")[1]), l -> 1, Integer::sum, TreeMap::new));
    }

    private static void assertTheReferenceRun(Path run) throws IOException {
        Map<Integer, List<Object>> expected = outcomes(reference);
        assertEquals(IntStream.range(0, TRIALS).boxed().toList(), List.copyOf(expected.keySet()),
                "the reference ran every candidate once");
        assertTrue(expected.values().stream().allMatch(o -> o.get(1) == TrialStatus.OK), "reference trials OK: " + expected);
        assertEquals(expected, outcomes(run), "same candidates, same results as the uninterrupted cluster run");
        assertEquals(front(reference), front(run), "same front as the uninterrupted cluster run");
    }

    private static <T> T await(Supplier<Optional<T>> probe, Duration timeout, String what) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Optional<T> found = probe.get();
            if (found.isPresent()) {
                return found.get();
            }
            StandaloneCluster.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what + "\n" + cluster.logTail());
    }

    @Test
    void theSameSearchOnLocalSparkGivesTheClusterResults() throws Exception {
        Path local = cluster.dir().resolve("local");
        Process run = driver(List.of("search", conf.toString(), "--output", local.toString(), "--master", "local[2]"),
                log("local"));
        awaitSuccess(run, "local");

        assertTheReferenceRun(local);
        assertEquals(2, taskJvms(reference).size(), "the reference's trials ran in the two executor JVMs");
        assertEquals(1, taskJvms(local).size(), "this run's trials ran in the one local JVM");
    }

    /** The processes that started the run's trial programs: the JVMs that ran its tasks. */
    private static java.util.Set<String> taskJvms(Path run) throws IOException {
        return Files.readAllLines(run.resolve("started.log")).stream().map(l -> l.split(" ")[4])
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    @Test
    void anExecutorKilledMidGenerationLosesNoCandidateAndDuplicatesNone() throws Exception {
        Path output = cluster.dir().resolve("executor-kill");
        Process run = submit("executor-kill", output, false);

        // A trial of the second generation that has started and not finished: kill -9 its executor.
        record Victim(int id, ProcessHandle trial, ProcessHandle executor) {
        }
        Victim victim = await(() -> {
            try {
                Map<Integer, List<Object>> done = Files.exists(output.resolve(Journal.FILE_NAME)) ? outcomes(output) : Map.of();
                for (String line : Files.exists(output.resolve("started.log"))
                        ? Files.readAllLines(output.resolve("started.log")) : List.<String>of()) {
                    String[] f = line.split(" ");
                    int id = Integer.parseInt(f[1]);
                    Optional<ProcessHandle> trial = ProcessHandle.of(Long.parseLong(f[3]));
                    // the trial's parent is its session's wrapper, whose parent is the executor JVM
                    Optional<ProcessHandle> executor = trial.flatMap(ProcessHandle::parent).flatMap(ProcessHandle::parent);
                    if (Integer.parseInt(f[2]) == 1 && !done.containsKey(id) && trial.isPresent()
                            && executor.isPresent() && cluster.executors().contains(executor.get())) {
                        return Optional.of(new Victim(id, trial.get(), executor.get()));
                    }
                }
                return Optional.empty();
            } catch (IOException | RuntimeException | AssertionError e) {
                return Optional.empty(); // a line being written: look again
            }
        }, RUN_TIMEOUT, "a running trial of generation 1");
        List<ProcessHandle> trialProcesses = new ArrayList<>(victim.trial().descendants().toList());
        trialProcesses.add(victim.trial());
        assertTrue(victim.executor().destroyForcibly(), "kill -9 the executor");
        trialProcesses.forEach(ProcessHandle::destroyForcibly); // its orphaned trial program, for tidiness
        victim.executor().onExit().get(30, TimeUnit.SECONDS);
        assertFalse(outcomes(output).containsKey(victim.id()), "killed before trial " + victim.id() + " finished");

        awaitSuccess(run, "executor-kill");
        assertTheReferenceRun(output);
        assertTrue(starts(output).get(victim.id()) >= 2, "trial " + victim.id() + " ran again after its executor died: "
                + starts(output));
        assertTrue(Files.readString(log("executor-kill")).contains(TRIALS + " trials, 0 failed"),
                StandaloneCluster.tail(log("executor-kill"), 20));
    }

    @Test
    void aKilledDriverResumesWithoutRerunningFinishedTrials() throws Exception {
        Path output = cluster.dir().resolve("driver-kill");
        Process run = launch("driver-kill", output, false);

        // Some of the second generation journaled, not all of the run: kill -9 the driver JVM.
        await(() -> {
            try {
                int rows = Files.exists(output.resolve(Journal.FILE_NAME)) ? outcomes(output).size() : 0;
                return rows > POPULATION ? Optional.of(rows) : Optional.empty();
            } catch (RuntimeException | AssertionError e) {
                return Optional.empty(); // a line being written: look again
            }
        }, RUN_TIMEOUT, "a journaled trial of generation 1");
        ProcessHandle driver = StandaloneCluster.javaOf(run);
        assertTrue(driver.info().commandLine().orElse("").contains(SEARCH_MAIN), "the driver JVM: " + driver.info());
        assertTrue(driver.destroyForcibly(), "kill -9 the driver");
        assertTrue(run.waitFor(30, TimeUnit.SECONDS), "the killed driver's process ended");
        Map<Integer, List<Object>> before = outcomes(output);
        assertTrue(before.size() < TRIALS, "killed mid-run: " + before.size() + " trials journaled");

        Process resumed = launch("driver-resume", output, true);
        awaitSuccess(resumed, "driver-resume");

        assertTheReferenceRun(output);
        Map<Integer, Integer> starts = starts(output);
        for (int id : before.keySet()) {
            assertEquals(1, starts.get(id), "trial " + id + " finished before the kill and never ran again: " + starts);
        }
        assertTrue(Files.readString(log("driver-resume")).contains("ran " + (TRIALS - before.size()) + " trials"),
                StandaloneCluster.tail(log("driver-resume"), 20));
        java.util.Set<String> taskJvms = taskJvms(output);
        assertTrue(taskJvms.size() >= 2 && !taskJvms.contains(Long.toString(driver.pid())),
                "the trials ran in executor JVMs, not in the driver " + driver.pid() + ": " + taskJvms);
    }
}
