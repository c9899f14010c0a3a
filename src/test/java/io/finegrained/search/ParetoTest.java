package io.finegrained.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParetoTest {

    @Test
    void dominanceNeedsNoWorseEverywhereAndBetterSomewhere() {
        assertTrue(Pareto.dominates(new double[] {1, 2}, new double[] {1, 3}));
        assertFalse(Pareto.dominates(new double[] {1, 3}, new double[] {1, 3}));
        assertFalse(Pareto.dominates(new double[] {0, 4}, new double[] {1, 3}));
    }

    @Test
    void rankPeelsFrontsOfAHandMadeSet() {
        List<double[]> points = List.of(new double[] {1, 5}, new double[] {2, 3}, new double[] {3, 1},
                new double[] {2, 5}, new double[] {4, 4}, new double[] {5, 5}, new double[] {2, 3});
        // (2,5) is dominated by (1,5); (4,4) by (2,3); (5,5) by (4,4); equal points share a rank.
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 2, 0}, Pareto.rank(points));
    }

    @Test
    void rankOfThreeObjectives() {
        List<double[]> points = List.of(new double[] {1, 1, 3}, new double[] {3, 1, 1}, new double[] {2, 2, 3});
        assertArrayEquals(new int[] {0, 0, 1}, Pareto.rank(points));
    }

    @Test
    void crowdingDistanceOfAHandMadeFront() {
        // Sorted by f1: A(0,4) B(1,3) C(2,1) D(4,0); both ranges are 4.
        // B: f1 (2-0)/4 + f2 (4-1)/4 = 1.25; C: f1 (4-1)/4 + f2 (3-0)/4 = 1.5; ends are infinite.
        double[] d = Pareto.crowdingDistance(List.of(new double[] {0, 4}, new double[] {1, 3}, new double[] {2, 1}, new double[] {4, 0}));
        assertEquals(Double.POSITIVE_INFINITY, d[0]);
        assertEquals(1.25, d[1], 1e-12);
        assertEquals(1.5, d[2], 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, d[3]);
    }

    @Test
    void crowdingDistanceOfTinyAndFlatFronts() {
        assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY},
                Pareto.crowdingDistance(List.of(new double[] {0, 1}, new double[] {1, 0})));
        // A flat objective adds nothing; the other one still spreads.
        double[] d = Pareto.crowdingDistance(List.of(new double[] {0, 1}, new double[] {1, 1}, new double[] {3, 1}));
        assertEquals(1.0, d[1], 1e-12);
    }

    @Test
    void hypervolumeOfTwoObjectives() {
        double[] ref = {1, 1};
        assertEquals(0.25, Pareto.hypervolume2d(List.of(new double[] {0.5, 0.5}), ref), 1e-12);
        // A second point adds its own slab; a dominated one and one beyond the reference add nothing.
        assertEquals(0.31, Pareto.hypervolume2d(List.of(new double[] {0.5, 0.5}, new double[] {0.2, 0.8},
                new double[] {0.6, 0.6}, new double[] {1.2, 0.0}), ref), 1e-12);
        assertEquals(0, Pareto.hypervolume2d(List.of(), ref));
    }

    @Test
    void failedTrialsAndNaNNeverEnterAFront() {
        Candidate a = new Candidate(0, 0, Map.of("x", 1.0));
        TrialResult good = TrialResult.ok(a, Map.of("accuracy", 0.8, "macs", 100.0), 1);
        TrialResult better = TrialResult.ok(new Candidate(1, 0, Map.of("x", 2.0)), Map.of("accuracy", 0.9, "macs", 200.0), 1);
        TrialResult dominated = TrialResult.ok(new Candidate(2, 0, Map.of("x", 3.0)), Map.of("accuracy", 0.7, "macs", 300.0), 1);
        TrialResult nan = TrialResult.ok(new Candidate(3, 0, Map.of("x", 4.0)), Map.of("accuracy", Double.NaN, "macs", 1.0), 1);
        TrialResult missing = TrialResult.ok(new Candidate(4, 0, Map.of("x", 5.0)), Map.of("accuracy", 0.99), 1);
        TrialResult failed = TrialResult.failed(new Candidate(5, 0, Map.of("x", 6.0)), "out of memory", 1);
        List<Objective> objectives = List.of(Fixtures.max("accuracy"), Fixtures.min("macs"));
        assertEquals(List.of(good, better), Pareto.front(List.of(good, better, dominated, nan, missing, failed), objectives));
    }
}
