package io.finegrained.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.config.ConfigException;
import io.finegrained.space.Domain;
import io.finegrained.spark.RunStoppedException;
import io.finegrained.search.TrialResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract API as a Java program uses it: a job from a string, overrides, a run on the caller's session, DataFrames back. */
class SearchApiTest {
    private static final Path CONF = Path.of(System.getProperty("project.root", "."), "conf");
    private static final String JOB = """
            search_algorithm: {type: NSGA2, population: 4, generations: 2, seed: 1}
            search_space:
              hyper_parameters:
                lr: {type: FLOAT_EXP, range: [0.0001, 0.1]}
                x0: {type: FLOAT, range: [0.0, 1.0]}
                depth: {type: CATEGORY, range: [18, 34, 50]}
                width: {type: INT, range: [16, 64]}
            trial: {type: command, command: [java, examples/SyntheticTraining.java], timeout_s: 120}
            objectives: {error: min, cost: min}
            """;

    private static SparkSession spark;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startSpark() {
        spark = SparkSession.builder().master("local[2]").appName("SearchApiTest")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
    }

    private static PrintStream quiet(ByteArrayOutputStream into) {
        return new PrintStream(into, true, StandardCharsets.UTF_8);
    }

    @Test
    void aRunOnTheCallersSessionGivesTheTrialsAndTheFrontAsDataFrames() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        List<TrialResult> heard = Collections.synchronizedList(new ArrayList<>());
        SearchResult result = Search.fromYaml(JOB, CONF)
                .with("search_algorithm.population", 3)
                .output(tmp.resolve("run"))
                .listener(heard::add)
                .console(quiet(console), quiet(console))
                .run(spark);

        assertTrue(!spark.sparkContext().isStopped(), "the caller's session is left running");
        Dataset<Row> trials = result.trials();
        assertEquals(6, trials.count(), "the override made 3 per generation × 2 generations");
        assertEquals(6, heard.size(), "the listener heard every trial");
        assertEquals(6, result.trialList().size());
        List<String> columns = List.of(trials.columns());
        assertEquals(List.of("id", "generation", "status", "metric_error", "cost", "lr", "x0", "depth", "width", "error", "seconds"),
                columns, "objectives first; the metric 'error' is prefixed, the failure reason keeps the journal's name");
        assertEquals(DataTypes.DoubleType, trials.schema().apply("lr").dataType());
        assertEquals(DataTypes.LongType, trials.schema().apply("width").dataType());
        assertEquals(DataTypes.LongType, trials.schema().apply("depth").dataType());
        assertEquals(6, trials.filter("status = 'OK'").count());
        assertEquals(Set.of(0, 1), new TreeSet<>(trials.select("generation").distinct().as(org.apache.spark.sql.Encoders.INT()).collectAsList()));

        Dataset<Row> front = result.front();
        assertTrue(front.count() >= 1 && front.count() <= 6, "a front of " + front.count());
        assertEquals(front.count(), front.join(trials, "id").count(), "every front row is a trial");
        assertEquals(result.frontList().size(), front.count());
        assertTrue(Files.exists(result.output().resolve("trials.jsonl")), "the run directory is where output() said");
        assertTrue(Files.exists(result.output().resolve("report.html")), "the run writes its report");
        assertTrue(console.toString(StandardCharsets.UTF_8).contains("the report: " + result.output().resolve("report.html")),
                "the summary names the report");
        assertEquals(6, result.ran());
    }

    @Test
    void anOverrideErrorNamesTheOverride() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Search.fromYaml(JOB, CONF).with("search_algorithm.population", 0).job());
        assertEquals("with(\"search_algorithm.population\"): search_algorithm.population: population must be at least 1, got 0"
                + " (a budget of zero trials runs nothing)", e.getMessage());
        ConfigException unknown = assertThrows(ConfigException.class,
                () -> Search.fromYaml(JOB, CONF).with("search_algorithm.populaton", 8).job());
        assertTrue(unknown.getMessage().startsWith("with(\"search_algorithm.populaton\"): search_algorithm.populaton: unknown key"),
                unknown.getMessage());
    }

    @Test
    void anOverrideReachesADottedHyperParameterAndAddsNewOnes() {
        var job = Search.fromYaml(JOB, CONF)
                .with("search_space.hyper_parameters.width", Map.of("type", "INT", "range", List.of(16, 32)))
                .with("search_space.hyper_parameters.dropout", Map.of("type", "FLOAT", "range", List.of(0.0, 0.5)))
                .job();
        Map<String, Domain> domains = job.space().parameters().domains();
        assertEquals(new Domain.IntRange(16, 32, null), domains.get("width"));
        assertTrue(domains.containsKey("dropout"), domains.keySet().toString());
        assertTrue(job.config().text().contains("dropout"), "the config as run holds the override");
    }

    @Test
    void aRunInWhichEveryCandidateIsRefusedSaysHowManyAndWhyAndExitsAsAFailure() {
        Path run = tmp.resolve("refused");
        RunStoppedException e = assertThrows(RunStoppedException.class, () -> Search.fromFile(CONF.resolve("backbone_nas.yml"))
                .with("constraints", List.of("macs <= 1")).output(run)
                .console(quiet(new ByteArrayOutputStream()), quiet(new ByteArrayOutputStream())).run(spark));
        assertTrue(e.getMessage().startsWith("no candidate was run: every proposal was refused (constraint "), e.getMessage());
        assertTrue(!e.userError(), "a run-time failure (exit 1), not a configuration error");
        assertEquals(0, result(run), "nothing was journaled");
    }

    private static long result(Path run) {
        try {
            return Files.exists(run.resolve("trials.jsonl")) ? Files.readAllLines(run.resolve("trials.jsonl")).size() : 0;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aStringJobNamesStringInItsErrors() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Search.fromYaml("search_space:\n  hyper_parameters:\n    x: {type: FLAOT, range: [0, 1]}\n", CONF).job());
        assertTrue(e.getMessage().startsWith("<string>:3:"), e.getMessage());
        assertEquals("search", Search.fromYaml(JOB, CONF).job().name(), "a string job's runs are named search-<time>");
    }

    @Test
    void aRunningSearchCanBeStoppedAndResumedWithNothingLost() {
        Path run = tmp.resolve("stopped");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        RunningSearch[] handle = new RunningSearch[1];
        Search search = Search.fromYaml(JOB, CONF).with("search_algorithm.generations", 4).output(run)
                .console(quiet(console), quiet(console));
        handle[0] = search.listener(r -> handle[0].stop()).start(spark);
        RunStoppedException stopped = assertThrows(RunStoppedException.class, handle[0]::await);
        assertTrue(stopped.getMessage().contains("--resume"), stopped.getMessage());
        SearchResult resumed = search.resume(true).run(spark);
        assertEquals(16, resumed.trialList().size(), "4 × 4 trials in all after the resume");
        assertTrue(resumed.ran() < 16, "the trials journaled before the stop were not run again (ran " + resumed.ran() + ")");
    }
}
