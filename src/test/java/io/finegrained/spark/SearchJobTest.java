package io.finegrained.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.config.JobConfig;
import io.finegrained.search.TrialResult;
import io.finegrained.trial.TestPrograms;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole job on local Spark with a command trial: outputs, directory rules, resume, DataFrame. */
class SearchJobTest {
    @TempDir
    static Path tmp;
    static Path conf;
    static Path run;
    static SearchRun.Summary first;
    static String firstOut;

    static String config(int population) {
        StringBuilder command = new StringBuilder("[");
        for (String part : TestPrograms.command("quadratic")) {
            command.append(command.length() > 1 ? ", " : "").append('"').append(part).append('"');
        }
        return "search_algorithm:\n  population: " + population + "\n"
                + "search_space:\n  hyper_parameters:\n    x: {type: FLOAT, range: [0.0, 1.0]}\n    y: {type: FLOAT, range: [0.0, 1.0]}\n"
                + "trial:\n  type: command\n  command: " + command + "]\n  timeout_s: 60\n"
                + "objectives:\n  f1: min\n  f2: min\n";
    }

    static SearchRun.Summary job(String text, Path output, boolean resume, ByteArrayOutputStream out) throws Exception {
        Files.writeString(conf, text);
        JobConfig config = JobConfig.load(conf);
        int population = config.section("search_algorithm").optInt("population", 4);
        SearchJob job = new SearchJob(io.finegrained.job.Job.of(config),
                c -> new SearchSetup(new TinyAlgorithm(3, population, 3), SearchRunTest.OBJECTIVES, new SearchRun.Plan(3, 3 * population)),
                new PrintStream(out, true), new PrintStream(new ByteArrayOutputStream(), true));
        return job.run(new SearchJob.Options(output, null, resume));
    }

    @BeforeAll
    static void runOnce() throws Exception {
        TestSpark.session();
        conf = tmp.resolve("cmd.yml");
        run = tmp.resolve("run");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        first = job(config(4), run, false, out);
        firstOut = out.toString();
    }

    @Test
    void theRunWritesItsJournalConfigFrontAndTrialFolders() throws Exception {
        List<TrialResult> journal = Journal.read(run.resolve("trials.jsonl"));
        assertEquals(12, journal.size());
        assertEquals(12, journal.stream().filter(TrialResult::isOk).count());
        assertEquals(config(4), Files.readString(run.resolve("config.yml")));
        assertEquals(RunDirectory.sha256(config(4)) + "  config.yml\n", Files.readString(run.resolve("config.sha256")));
        assertTrue(Files.readString(run.resolve("trials/5/stdout.log")).contains("starting trial 5"));
        List<String> csv = Files.readAllLines(run.resolve("pareto.csv"));
        assertEquals("id,generation,f1,f2,x,y,seconds", csv.get(0));
        assertEquals(first.front().size() + 1, csv.size());
        assertTrue(firstOut.contains("search finished (ran 12 trials): 12 trials, 0 failed"), firstOut);
        assertTrue(firstOut.contains("Pareto front (f1 min, f2 min), " + first.front().size() + " of 12 trials"), firstOut);
        assertTrue(Files.readString(run.resolve("run.lock")).startsWith("host="));
    }

    @Test
    void anExistingRunNeedsResume() {
        RunRefusedException e = assertThrows(RunRefusedException.class, () -> job(config(4), run, false, new ByteArrayOutputStream()));
        assertEquals(run + " already holds a run (12 trials in trials.jsonl): add --resume to continue it,"
                + " or choose another directory with --output", e.getMessage());
    }

    @Test
    void resumingTheFinishedRunReportsItAgainAndRunsNothing() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SearchRun.Summary again = job(config(4), run, true, out);
        assertEquals(0, again.ran());
        assertEquals(12, Journal.read(run.resolve("trials.jsonl")).size());
        String text = out.toString();
        assertTrue(text.contains("the run is complete; nothing was run"), text);
        assertEquals(firstOut.substring(firstOut.indexOf("Pareto front")), text.substring(text.indexOf("Pareto front")));
    }

    @Test
    void resumingWithAChangedConfigNamesTheChange() {
        RunRefusedException e = assertThrows(RunRefusedException.class, () -> job(config(5), run, true, new ByteArrayOutputStream()));
        assertTrue(e.getMessage().contains("search_algorithm.population: 4 in the run, 5 now"), e.getMessage());
    }

    @Test
    void theJournalReadsAsADataFrame() {
        Dataset<Row> journal = Journals.asDataFrame(TestSpark.session(), run);
        assertEquals(12, journal.count());
        assertEquals(12, journal.where("status = 'OK' and metrics.f1 >= 0 and hyperparameters.x = metrics.f1").count());
        assertEquals(List.of(0L, 1L, 2L), journal.select("generation").distinct().orderBy("generation").as(
                org.apache.spark.sql.Encoders.LONG()).collectAsList());
    }
}
