package io.finegrained.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.config.JobConfig;
import io.finegrained.search.TrialResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A search with DJL trials on two Spark task slots of one JVM: trainings take turns, and the front's models are kept. */
class DjlJobTest {
    @TempDir
    Path tmp;

    @Test
    void djlTrialsOnTwoSlotsAllTrainAndTheFrontsModelsAreExported() throws Exception {
        TestSpark.session();
        Path job = Path.of(System.getProperty("project.root", "."), "src/test/resources/jobs/tiny_djl.yml");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path run = tmp.resolve("run");
        SearchRun.Summary summary = new SearchJob(io.finegrained.job.Job.load(job), SearchSetup::from, new PrintStream(out, true),
                new PrintStream(new ByteArrayOutputStream(), true)).run(new SearchJob.Options(run, null, false));

        List<TrialResult> journal = Journal.read(run.resolve("trials.jsonl"));
        assertEquals(4, journal.size());
        assertTrue(journal.stream().allMatch(TrialResult::isOk), "two slots, one training at a time: " + journal);
        assertTrue(summary.front().size() >= 1);
        for (TrialResult best : summary.front()) {
            Path model = run.resolve("models").resolve(Integer.toString(best.id()));
            assertTrue(Files.exists(model.resolve("model-0000.params")), model.toString());
            assertTrue(Files.readString(model.resolve("network.yml")).contains("init_plane: " + best.hyperparameters().get("init.init_plane")));
        }
        try (var models = Files.list(run.resolve("models"))) {
            assertEquals(summary.front().size(), models.count(), "only the front's models");
        }
        assertTrue(Files.readAllLines(run.resolve("pareto.csv")).get(0).startsWith("id,generation,accuracy,params,"));
        assertTrue(out.toString().contains("the front's trained models"), out.toString());
    }
}
