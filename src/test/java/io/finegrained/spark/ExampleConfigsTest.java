package io.finegrained.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.config.JobConfig;
import io.finegrained.job.Job;
import io.finegrained.trial.TrialSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The example job files in conf/ stay valid as the code changes (their runs are timed in docs/search-job.md). */
class ExampleConfigsTest {
    private static final Path CONF = Path.of(System.getProperty("project.root", "."), "conf");

    private static SearchSetup setup(String name) {
        return SearchSetup.from(Job.load(CONF.resolve(name)));
    }

    private static io.finegrained.search.SearchAlgorithm generational(SearchSetup setup) {
        return ((io.finegrained.search.Generations) setup.searcher()).algorithm();
    }

    @Test
    void backboneNasIsAGenerationalSearchOfTheBackbone() {
        SearchSetup setup = setup("backbone_nas.yml");
        assertEquals(new SearchRun.Plan(3, 24), setup.plan());
        assertEquals(List.of("accuracy", "macs"), setup.objectives().stream().map(o -> o.metric()).toList());
        List<Map<String, Object>> first = generational(setup).ask();
        assertEquals(8, first.size());
        assertTrue(first.get(0).keySet().containsAll(List.of("layer.doublechannel", "layer.downsample")), first.get(0).toString());
    }

    @Test
    void randomHpoSearchesTrainerSettings() {
        SearchSetup setup = setup("random_hpo.yml");
        assertEquals(12, setup.plan().trials());
        assertEquals(List.of("accuracy"), setup.objectives().stream().map(o -> o.metric()).toList());
        assertTrue(generational(setup).ask().get(0).containsKey("trainer.lr"));
    }

    @Test
    void commandHpoRunsItsProgramFromTheConfigFolder() {
        JobConfig config = JobConfig.load(CONF.resolve("command_hpo.yml"));
        TrialSettings trial = TrialSettings.from(config);
        assertEquals(TrialSettings.Type.COMMAND, trial.type());
        assertTrue(Files.exists(Path.of(trial.command().get(1))), trial.command().toString());
        assertEquals(new SearchRun.Plan(4, 48), SearchSetup.from(Job.of(config)).plan());
    }
}
