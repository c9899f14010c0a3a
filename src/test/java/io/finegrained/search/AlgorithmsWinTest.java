package io.finegrained.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.bench.StandInProblems;
import io.finegrained.bench.Zdt;
import io.finegrained.bench.ZdtBenchmark;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each algorithm does better than uniform random search at the same budget on a problem whose
 * optimum is known, on most of 11 seeds (the figures themselves are measured by
 * {@code submit/bench CodecBenchmark} and {@code ZdtBenchmark}, see docs/search-algorithms.md).
 */
class AlgorithmsWinTest {

    @Tag("slow") // 66 searches of 200 trials, each candidate counted through the module tree (about a minute)
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void backboneQuantAndPruneBeatRandomSearchOnMostSeeds(int problemIndex) {
        StandInProblems.Problem problem = StandInProblems.all().get(problemIndex);
        int wins = 0;
        for (int seed = 0; seed < 11; seed++) {
            double own = StandInProblems.run(problem, problem.algorithm(), 20, 10, seed);
            double random = StandInProblems.run(problem, "RandomSearch", 20, 10, seed);
            assertTrue(own > 0 && own <= 1 + 1e-9, "an HV ratio lies in (0, 1]: " + own);
            wins += own > random ? 1 : 0;
        }
        assertTrue(wins >= 6, problem.name() + ": won on " + wins + " of 11 seeds");
    }

    @Test
    void nsga2BeatsRandomSearchOnZdt1() {
        int wins = 0;
        for (int seed = 0; seed < 5; seed++) {
            double own = Pareto.hypervolume2d(ZdtBenchmark.run(Zdt.ZDT1, 10, "NSGA2", 20, 10, seed, ""), new double[] {1.1, 11});
            double random = Pareto.hypervolume2d(ZdtBenchmark.run(Zdt.ZDT1, 10, "RandomSearch", 20, 10, seed, ""), new double[] {1.1, 11});
            wins += own > random ? 1 : 0;
        }
        assertEquals(5, wins);
    }

    @Test
    void quantAndPruneProposeTheirListsUnderTheModulesPath() {
        Fixtures.CountingFacts facts = new Fixtures.CountingFacts();
        SearchAlgorithm quant = Fixtures.algorithm(Fixtures.settings("type: QuantEA\nbit_candidates: [2, 4, 8]\npopulation: 6\ngenerations: 2\n"),
                Fixtures.space(), Fixtures.defaults("QuantEA"), facts, Constraints.none());
        for (List<Map<String, Object>> generation : Fixtures.drive(quant, v -> Map.of("accuracy", 0.5, "bitops", 1.0))) {
            for (Map<String, Object> v : generation) {
                assertEquals(List.of("q.nbit_w_list", "q.nbit_a_list"), List.copyOf(v.keySet()));
                for (Object list : v.values()) {
                    assertEquals(facts.quantizableLayers(), ((List<?>) list).size());
                    assertTrue(List.of(2, 4, 8).containsAll((List<?>) list));
                }
            }
        }
        SearchAlgorithm prune = Fixtures.algorithm(Fixtures.settings("type: PruneEA\npopulation: 6\ngenerations: 2\n"),
                Fixtures.space(), Fixtures.defaults("PruneEA"), facts, Constraints.none());
        List<List<Map<String, Object>>> generations = Fixtures.drive(prune, v -> Map.of("accuracy", 0.5, "macs", 1.0));
        assertEquals(12, generations.stream().mapToInt(List::size).sum());
        for (List<Map<String, Object>> generation : generations) {
            for (Map<String, Object> v : generation) {
                List<?> masks = (List<?>) v.get("p.chn_mask");
                assertEquals(List.of("p.chn_mask"), List.copyOf(v.keySet()));
                assertEquals(2, ((List<?>) masks.get(0)).size());
                assertEquals(3, ((List<?>) masks.get(1)).size());
                assertTrue(((List<?>) masks.get(0)).contains(1) && ((List<?>) masks.get(1)).contains(1));
            }
        }
    }
}
