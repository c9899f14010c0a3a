package io.finegrained.search;

import static io.finegrained.search.Fixtures.settings;
import static io.finegrained.search.Fixtures.space;
import static io.finegrained.search.Fixtures.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.space.Domain;
import io.finegrained.space.ParameterSpace;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Every proposal is new, a valid network and within the constraints; a spent space ends the run. */
class ProposalTest {
    static final ParameterSpace SMALL = space("depth", new Domain.Category(List.of(18L, 34L, 50L), null), "bn", new Domain.Bool(null));

    static List<Map<String, Object>> all(List<List<Map<String, Object>>> generations) {
        List<Map<String, Object>> out = new ArrayList<>();
        generations.forEach(out::addAll);
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"type: RandomSearch\nsamples: 50\npopulation: 4\n", "type: GridSearch\npopulation: 4\n",
            "type: NSGA2\npopulation: 4\ngenerations: 20\n", "type: Evolution\npopulation: 4\ngenerations: 20\n"})
    void aSmallSpaceIsProposedOnceEachThenTheRunEnds(String settings) {
        List<Objective> objectives = List.of(Fixtures.max("accuracy"));
        SearchAlgorithm a = Fixtures.algorithm(settings(settings), SMALL, objectives, null, Constraints.none());
        List<Map<String, Object>> proposed = all(Fixtures.drive(a, v -> Map.of("accuracy", ((Long) v.get("depth")) / 50.0)));
        assertEquals(6, proposed.size(), "3 depths x 2 booleans, each once");
        assertEquals(6, new HashSet<>(proposed).size());
        assertTrue(a.ask().isEmpty(), "a spent search keeps answering nothing");
    }

    @Test
    void valuesThatResolveToTheSameNetworkAreNotProposedTwice() {
        // CountingFacts ignores the key 'ignored': only 'depth' tells networks apart.
        ParameterSpace s = space("depth", new Domain.IntRange(1, 5, null), "ignored", new Domain.IntRange(0, 1000, null));
        SearchAlgorithm a = Fixtures.algorithm(settings("type: RandomSearch\nsamples: 40\npopulation: 10\n"), s,
                List.of(Fixtures.min("macs")), new Fixtures.CountingFacts(), Constraints.none());
        List<Map<String, Object>> proposed = all(Fixtures.drive(a, v -> Map.of("macs", 1.0)));
        Set<Object> depths = new HashSet<>();
        proposed.forEach(v -> depths.add(v.get("depth")));
        assertEquals(5, proposed.size());
        assertEquals(5, depths.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"type: RandomSearch\nsamples: 60\npopulation: 20\n", "type: GridSearch\n",
            "type: NSGA2\npopulation: 20\ngenerations: 3\n", "type: BackboneNas\npopulation: 20\ngenerations: 3\n"})
    void constraintsAndInvalidNetworksAreResampledNeverProposed(String settings) {
        // 'invalid' with no ones is no network; MACs = 1000 x ones over both codes; limit 5000.
        ParameterSpace s = space("invalid", new Domain.BinaryCode(5, null, List.of(1, 0, 0, 1, 0)),
                "other", new Domain.BinaryCode(5, null, List.of(1, 1, 0, 0, 0)));
        Fixtures.CountingFacts facts = new Fixtures.CountingFacts();
        Constraints limit = Constraints.from(yaml("c: [\"macs <= 5000\"]\n").require("c"));
        SearchAlgorithm a = Fixtures.algorithm(settings(settings), s, Fixtures.defaults("BackboneNas"), facts, limit);
        List<Map<String, Object>> proposed = all(Fixtures.drive(a, v -> Map.of("accuracy", 0.5, "macs", facts.measure(v).get("macs"))));
        assertFalse(proposed.isEmpty());
        for (Map<String, Object> v : proposed) {
            int ones = 0;
            for (Object o : (List<?>) v.get("invalid")) {
                ones += ((Number) o).intValue();
            }
            assertTrue(ones > 0, "an invalid network was proposed: " + v);
            assertTrue(facts.measure(v).get("macs") <= 5000, "a candidate over the limit was proposed: " + v);
        }
        assertEquals(proposed.size(), new HashSet<>(proposed).size());
    }

    @Test
    void failedTrialsAndNaNNeverEnterSelection() {
        // Accuracy peaks at x0 = 0.2. Trials above 0.6 fail yet carry a perfect 5.0 in their
        // metrics, trials in (0.4, 0.6] report NaN: if either entered selection, the search would
        // drift above 0.4 instead of settling near 0.2.
        ParameterSpace s = space("x0", Fixtures.unit());
        SearchAlgorithm a = Fixtures.algorithm(settings("type: Evolution\npopulation: 10\ngenerations: 8\nseed: 2\n"), s,
                List.of(Fixtures.max("accuracy")), null, Constraints.none());
        int id = 0;
        List<Double> lastGeneration = new ArrayList<>();
        for (int g = 0; ; g++) {
            List<Map<String, Object>> asked = a.ask();
            if (asked.isEmpty()) {
                break;
            }
            List<TrialResult> results = new ArrayList<>();
            for (Map<String, Object> v : asked) {
                double x = (Double) v.get("x0");
                Candidate c = new Candidate(id++, g, v);
                if (x > 0.6) {
                    results.add(new TrialResult(c.id(), g, TrialStatus.FAILED, v, Map.of("accuracy", 5.0), "boom", 1));
                } else if (x > 0.4) {
                    results.add(TrialResult.ok(c, Map.of("accuracy", Double.NaN), 1));
                } else {
                    results.add(TrialResult.ok(c, Map.of("accuracy", 1 - Math.abs(x - 0.2)), 1));
                }
            }
            a.tell(results);
            lastGeneration.clear();
            asked.forEach(v -> lastGeneration.add((Double) v.get("x0")));
        }
        long near = lastGeneration.stream().filter(x -> Math.abs(x - 0.2) < 0.1).count();
        assertTrue(near > lastGeneration.size() / 2, "the last generation should gather near 0.2: " + lastGeneration);
    }

    // ------------------------------------------------------------------------- grid

    @Test
    void aHugeGridIsEnumeratedLazily() {
        // 2^60 x 3 points: listing them would never end; 12 samples must come at once.
        ParameterSpace s = space("code", new Domain.BinaryCode(60, null, null), "depth", new Domain.Category(List.of(18L, 34L, 50L), null));
        GridSearch g = (GridSearch) Fixtures.algorithm(settings("type: GridSearch\nsamples: 12\nseed: 4\n"), s,
                List.of(Fixtures.max("accuracy")), null, Constraints.none());
        assertEquals(BigInteger.TWO.pow(60).multiply(BigInteger.valueOf(3)), g.gridSize());
        List<Map<String, Object>> proposed = all(Fixtures.drive(g, v -> Map.of("accuracy", 0.5)));
        assertEquals(12, proposed.size());
        assertEquals(12, new HashSet<>(proposed).size());
    }

    @Test
    void aWholeGridVisitsEveryPointOnceInOrder() {
        ParameterSpace s = space("lr", new Domain.FloatRange(0.001, 0.1, true, null), "width", new Domain.IntRange(1, 3, null),
                "code", new Domain.BinaryCode(4, 2, null));
        SearchAlgorithm g = Fixtures.algorithm(settings("type: GridSearch\ngrid_points: 3\n"), s,
                List.of(Fixtures.max("accuracy")), null, Constraints.none());
        assertEquals(3 * 3 * 6, g.budget());
        List<Map<String, Object>> proposed = all(Fixtures.drive(g, v -> Map.of("accuracy", 0.5)));
        assertEquals(54, new HashSet<>(proposed).size());
        assertEquals(Map.of("lr", 0.001, "width", 1L, "code", List.of(0, 0, 1, 1)), proposed.get(0));
        assertEquals(List.of(0, 1, 0, 1), proposed.get(1).get("code"));
        assertEquals(0.01, (Double) proposed.get(18).get("lr"), 1e-12, "log-spaced: 0.001, 0.01, 0.1");
        assertEquals(List.of(1, 1, 0, 0), proposed.get(53).get("code"));
    }

    @Test
    void gridPointsThinAWideIntegerRange() {
        ParameterSpace s = space("width", new Domain.IntRange(0, 100, null));
        SearchAlgorithm g = Fixtures.algorithm(settings("type: GridSearch\ngrid_points: 5\n"), s,
                List.of(Fixtures.max("accuracy")), null, Constraints.none());
        List<Object> widths = new ArrayList<>();
        all(Fixtures.drive(g, v -> Map.of("accuracy", 0.5))).forEach(v -> widths.add(v.get("width")));
        assertEquals(List.of(0L, 25L, 50L, 75L, 100L), widths);
    }
}
