package io.finegrained.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.config.JobConfig;
import io.finegrained.search.Generations;
import io.finegrained.search.Objective;
import io.finegrained.search.SearchAlgorithm;
import io.finegrained.search.TrialResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A single refused candidate is not dropped silently (issue #14): the run says, once per
 * generation, how many proposals were refused before training and why.
 */
class RefusalNoteTest {
    @TempDir
    Path tmp;

    /** TinyAlgorithm's search, counting one invalid network in its first generation and one constraint in its second. */
    private static final class Refusing implements SearchAlgorithm {
        private final TinyAlgorithm inner = new TinyAlgorithm(7, 4, 3);
        private int asked;

        @Override
        public List<Map<String, Object>> ask() {
            asked++;
            return inner.ask();
        }

        @Override
        public void tell(List<TrialResult> results) {
            inner.tell(results);
        }

        @Override
        public int budget() {
            return inner.budget();
        }

        @Override
        public Map<String, Integer> refusals() {
            return asked == 0 ? Map.of() : asked == 1 ? Map.of("invalid network", 1) : Map.of("invalid network", 1, "constraint", 1);
        }
    }

    @Test
    void oneRefusedCandidateIsNamedInTheLog() throws Exception {
        JobConfig config = JobConfig.parse(SearchRunTest.CONFIG, tmp.resolve("job.yml"));
        List<Objective> objectives = List.of(new Objective("f1", Objective.Direction.MIN), new Objective("f2", Objective.Direction.MIN));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (RunDirectory directory = RunDirectory.open(tmp.resolve("run"), config, false)) {
            Progress progress = new Progress(new PrintStream(log, true), objectives, 3, 12);
            SearchRun.Summary summary = new SearchRun(new Generations(new Refusing(), 3), objectives, directory,
                    () -> new InlineEvaluator(FunctionTrial.normal()), 0.5, progress).run();
            assertEquals(12, summary.ran());
        }
        String text = log.toString();
        assertTrue(text.contains("generation 1: 1 proposal was refused before training (invalid network 1); refused proposals are not trials"),
                text);
        assertTrue(text.contains("generation 2: 1 proposal was refused before training (constraint 1); refused proposals are not trials"),
                text);
        assertEquals(2, text.split("refused before training", -1).length - 1, "one line per generation with a refusal: " + text);
    }
}
