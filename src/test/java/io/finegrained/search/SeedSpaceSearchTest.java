package io.finegrained.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.config.JobConfig;
import io.finegrained.space.NetworkAnalysis;
import io.finegrained.space.SearchSpace;
import io.finegrained.space.SeedSpaces;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The algorithms on the seed's own spaces (conf/seed), with the real NetworkFacts
 * ({@code nn.NetworkAnalysis}) and a cheap stand-in for training: every proposal is a valid,
 * new network of the right shape, and the run ends with a front.
 */
class SeedSpaceSearchTest {
    static final long[] CIFAR = {3, 32, 32};

    record Run(List<Map<String, Object>> proposed, List<TrialResult> results, NetworkAnalysis facts, Map<String, Integer> refusals) {
    }

    /**
     * Runs the seed file's space with the given algorithm section; the stand-in accuracy grows
     * with the logarithm of the parameter count (bigger networks score better), so accuracy and
     * the cost objective conflict as they do in training.
     */
    static Run run(String seed, String algorithmSection, String constraints) {
        Path file = SeedSpaces.seed(seed);
        SearchSpace space = SeedSpaces.load(file);
        NetworkAnalysis facts = new NetworkAnalysis(space, CIFAR);
        JobConfig job = JobConfig.parse(algorithmSection + "search_space: {}\n" + constraints, Path.of("job.yml"));
        List<Objective> objectives = Objectives.from(job.section("objectives"),
                Algorithms.standard().select(job.section("search_algorithm")));
        Constraints limits = Constraints.of(job);
        SearchAlgorithm algorithm = Algorithms.standard().generational(job.section("search_algorithm"),
                new SearchProblem(space.parameters(), objectives, facts, limits));
        List<Map<String, Object>> proposed = new ArrayList<>();
        List<TrialResult> results = new ArrayList<>();
        int id = 0;
        for (int g = 0; ; g++) {
            List<Map<String, Object>> asked = algorithm.ask();
            if (asked.isEmpty()) {
                break;
            }
            List<TrialResult> told = new ArrayList<>();
            for (Map<String, Object> values : asked) {
                Map<String, Double> measured = new java.util.LinkedHashMap<>(facts.measure(values));
                measured.put("accuracy", Math.log(measured.get("params")) / 20);
                told.add(TrialResult.ok(new Candidate(id++, g, values), measured, 0.1));
            }
            algorithm.tell(told);
            proposed.addAll(asked);
            results.addAll(told);
        }
        assertEquals(algorithm.budget(), proposed.size());
        Set<String> identities = new HashSet<>();
        proposed.forEach(v -> identities.add(facts.identity(v)));
        assertEquals(proposed.size(), identities.size(), "no network proposed twice");
        assertFalse(Pareto.front(results, objectives).isEmpty());
        return new Run(proposed, results, facts, ((GeneticSearch) algorithm).refusals());
    }

    static int ones(Object code) {
        return ((List<?>) code).stream().mapToInt(o -> ((Number) o).intValue()).sum();
    }

    @Test
    void backboneNasSearchOnTheSeedsBackboneSpace() {
        // The seed file's own algorithm section: type BackboneNasSearch, every other setting default.
        Run r = run("backbone_nas_seed.yml", "search_algorithm: {type: BackboneNasSearch, population: 8, generations: 3}\n", "");
        for (Map<String, Object> v : r.proposed()) {
            assertEquals(Set.of("layer.doublechannel", "layer.downsample"), v.keySet());
            assertEquals(4, ones(v.get("layer.doublechannel")), "the head's 512 channels need four doublings");
            assertEquals(4, ones(v.get("layer.downsample")));
        }
    }

    @Test
    void quantEaOnTheSeedsResNet20AndResNet18() {
        Run r20 = run("resnet20_quant.yml", "search_algorithm: {type: QuantEA, population: 8, generations: 3, seed: 1}\n", "");
        for (Map<String, Object> v : r20.proposed()) {
            assertEquals(List.of("process.nbit_w_list", "process.nbit_a_list"), List.copyOf(v.keySet()));
            assertEquals(20, ((List<?>) v.get("process.nbit_w_list")).size());
        }
        for (TrialResult t : r20.results()) {
            assertTrue(t.metrics().get("bitops") < 40_813_184.0, "every quantized network has fewer bit-ops than MACs");
        }
        Run r18 = run("resnet18_quant.yml", "search_algorithm: {type: QuantEA, population: 6, generations: 2, bit_candidates: [2, 4, 8]}\n", "");
        assertEquals(19, ((List<?>) r18.proposed().get(0).get("process.nbit_a_list")).size(), "ResNet-18 has 19 quantizable layers");
    }

    @Test
    void pruneEaOnTheSeedsPrunedResNet20() {
        Run r = run("resnet20_prune.yml", "search_algorithm: {type: PruneEA, population: 8, generations: 3}\n", "");
        List<Integer> widths = r.facts().prunableChannels();
        for (Map<String, Object> v : r.proposed()) {
            List<?> masks = (List<?>) v.get("process.chn_mask");
            assertEquals(widths.size(), masks.size());
            for (int g = 0; g < widths.size(); g++) {
                assertEquals(widths.get(g), ((List<?>) masks.get(g)).size());
                assertTrue(ones(masks.get(g)) >= 1);
            }
        }
    }

    @Test
    void nsga2WithAMacLimitOnTheSeedsResNet18Variant() {
        // The seed's free codes under NSGA2 (no count kept); a MAC limit below the default network's.
        Run r = run("resnet18_variant.yml", "search_algorithm: {type: NSGA2, population: 8, generations: 3}\n",
                "objectives: {accuracy: max, macs: min}\nconstraints: [\"macs <= 6e8\"]\n");
        for (TrialResult t : r.results()) {
            assertTrue(t.metrics().get("macs") <= 6e8, "over the limit: " + t.metrics());
        }
        assertTrue(r.refusals().getOrDefault("constraint", 0) > 0, "the limit should have refused some candidates: " + r.refusals());
    }
}
