package io.finegrained.trial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.config.JobConfig;
import io.finegrained.search.Candidate;
import io.finegrained.search.TrialResult;
import io.finegrained.search.TrialStatus;
import io.finegrained.space.NetworkAnalysis;
import io.finegrained.space.SearchSpace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A PruneEA-style trial reports the params and MACs of the network it trained: the pruned one. */
class PrunedTrialTest {
    private static final String JOB = """
            search_algorithm: {type: PruneEA, population: 2, generations: 1}
            search_space:
              modules: [resnet, process]
              resnet: {type: ResNet, depth: 20, init_plane: 4,
                       items: {inchannel: [4, 4, 4, 4, 4, 4, 8, 8, 8], outchannel: [4, 4, 4, 4, 4, 8, 8, 8, 8],
                               stride: [1, 1, 1, 2, 1, 1, 2, 1, 1]}}
              process: {type: Prune}
            dataset: {source: synthetic, train_size: 64, test_size: 16, validation: 0.25}
            trainer: {epochs: 1, batch_size: 16}
            """;

    @TempDir
    Path dir;

    @Test
    void theJournalCountsTheWidthsTheMaskKeeps() throws Exception {
        Path file = dir.resolve("prune.yml");
        Files.writeString(file, JOB);
        JobConfig job = JobConfig.load(file);
        SearchSpace space = SearchSpace.parse(job.section("search_space"), Set.of("lr", "epochs", "batch_size"));
        NetworkAnalysis facts = new NetworkAnalysis(space, new long[] {1, 28, 28});
        List<List<Integer>> mask = new ArrayList<>();
        for (int width : facts.prunableChannels()) {
            List<Integer> m = new ArrayList<>();
            for (int c = 0; c < width; c++) {
                m.add(c % 2);
            }
            mask.add(m);
        }
        Map<String, Object> values = Map.of("process.chn_mask", mask);
        Map<String, Double> expected = facts.measure(values);
        DjlTrial trial = new DjlTrial(JOB, file.toString(), dir.resolve("trials").toString(), 600, DeviceChoice.CPU);
        TrialResult r = GuardedTrial.run(trial, new Candidate(1, 0, values));
        assertEquals(TrialStatus.OK, r.status(), r.error());
        assertEquals(expected.get("macs"), r.metrics().get("macs"));
        assertEquals(expected.get("params"), r.metrics().get("params"));
        double unpruned = facts.defaultSummary().macs();
        assertTrue(r.metrics().get("macs") < 0.5 * unpruned, r.metrics() + " vs unpruned " + unpruned);
    }
}
