package io.finegrained.search.async;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.search.Decision;
import io.finegrained.search.Objective;
import io.finegrained.search.Pareto;
import io.finegrained.search.Proposal;
import io.finegrained.search.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ASHA's rung rule on hand-made cases, against a brute-force ranking, and its cost structure. */
class RungTest {

    @Test
    void oneObjectiveContinuesTheTopThirdSoFar() {
        Rung rung = new Rung(1, 3, 1, 0);
        // minimised values: smaller is better. n = 1..6, quota ⌈n/3⌉ = 1, 1, 1, 2, 2, 2
        assertTrue(rung.judge(new double[] {5}), "the first result at a rung continues");
        assertTrue(rung.judge(new double[] {3}), "best of two");
        assertFalse(rung.judge(new double[] {4}), "second of three");
        assertTrue(rung.judge(new double[] {1}), "best of four");
        assertFalse(rung.judge(new double[] {6}), "worst of five");
        assertTrue(rung.judge(new double[] {2}), "second of six, quota two");
    }

    @Test
    void quotaIsCeilingOfNOverEta() {
        Rung rung = new Rung(1, 3, 1, 0);
        for (double v : new double[] {1, 2, 3, 4, 5, 6}) {
            rung.judge(new double[] {v});
        }
        // seventh result: quota ⌈7/3⌉ = 3; value 2.5 has two better (1, 2): position 3, continues
        assertTrue(rung.judge(new double[] {2.5}));
        // eighth: quota 3; value 2.7 has 1, 2, 2.5 better: position 4, stops
        assertFalse(rung.judge(new double[] {2.7}));
    }

    @Test
    void tiesGoInFavourOfTheNewcomerAndIncomparableResultsStop() {
        Rung rung = new Rung(1, 2, 1, 0);
        assertTrue(rung.judge(new double[] {1}));
        assertTrue(rung.judge(new double[] {1}), "equal to the best: nobody is strictly better");
        assertFalse(rung.judge(null));
        assertEquals(2, rung.seen(), "an incomparable result is not recorded");
    }

    @Test
    void severalObjectivesRankByFrontThenCrowding() {
        Rung rung = new Rung(1, 2, 2, 0);
        assertTrue(rung.judge(new double[] {1, 5}));
        assertTrue(rung.judge(new double[] {5, 1}), "non-dominated, both extremes of the front (infinite crowding)");
        assertFalse(rung.judge(new double[] {6, 6}), "dominated by both: position 3 of 3, quota 2");
        assertFalse(rung.judge(new double[] {3, 3}), "on the front but the most crowded of three: position 3 of 4, quota 2");
        assertTrue(rung.judge(new double[] {0, 0}), "dominates everything");
        assertEquals(5, rung.seen());
        assertEquals(3, rung.continued());
    }

    @Test
    void aStaticObjectiveLetsASmallNetworkThroughThatAccuracyAloneWouldStop() {
        List<Objective> objectives = List.of(new Objective("accuracy", Objective.Direction.MAX), new Objective("macs", Objective.Direction.MIN));
        Asha both = new Asha(new Rungs(1, 9, 3), 2, 0);
        Asha accuracyOnly = new Asha(new Rungs(1, 9, 3), 1, 0);
        double[][] seen = {{0.80, 9e8}, {0.82, 8e8}, {0.81, 7e8}};
        for (int i = 0; i < seen.length; i++) {
            Map<String, Double> m = Map.of("accuracy", seen[i][0], "macs", seen[i][1]);
            both.atRung(i, 1, SteadyStateSearcher.minimised(m, objectives));
            accuracyOnly.atRung(i, 1, SteadyStateSearcher.minimised(m, objectives.subList(0, 1)));
        }
        Map<String, Double> small = Map.of("accuracy", 0.60, "macs", 1e6);
        assertEquals(Decision.continueTo(3), both.atRung(3, 1, SteadyStateSearcher.minimised(small, objectives)));
        assertEquals(Decision.stop(), accuracyOnly.atRung(3, 1, SteadyStateSearcher.minimised(small, objectives.subList(0, 1))));
    }

    /** While a rung holds at most its sample, the decision is the exact NSGA-II order of the whole history. */
    @Test
    void severalObjectivesMatchABruteForceRankingUpToTheSample() {
        for (int m = 2; m <= 3; m++) {
            Rung rung = new Rung(1, 3, m, 7);
            Rng rng = new Rng(m);
            List<double[]> history = new ArrayList<>();
            for (int n = 0; n < Rung.SAMPLE; n++) {
                double[] p = new double[m];
                for (int k = 0; k < m; k++) {
                    p[k] = Math.round(rng.nextDouble() * 20) / 20.0; // coarse: ties and duplicates happen
                }
                history.add(p);
                assertEquals(bruteForce(history, 3), rung.judge(p), "result " + n + " with " + m + " objectives");
            }
        }
    }

    /** p (the last point) is in the top ⌈n/η⌉ by (rank, crowding within its front), ties in its favour. */
    private static boolean bruteForce(List<double[]> points, int eta) {
        int n = points.size();
        int[] rank = Pareto.rank(points);
        int p = n - 1;
        int ahead = 0;
        List<Integer> front = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (rank[i] < rank[p]) {
                ahead++;
            } else if (rank[i] == rank[p]) {
                front.add(i);
            }
        }
        List<double[]> f = new ArrayList<>();
        for (int i : front) {
            f.add(points.get(i));
        }
        double[] crowding = Pareto.crowdingDistance(f);
        double mine = crowding[front.indexOf(p)];
        for (int k = 0; k < front.size(); k++) {
            if (front.get(k) != p && crowding[k] > mine) {
                ahead++;
            }
        }
        return ahead + 1 <= (n + eta - 1) / eta;
    }

    @Test
    void theOneObjectiveTreeStaysLogarithmicEvenForSortedInput() {
        OrderStatistics tree = new OrderStatistics();
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            tree.add(i); // sorted: a plain search tree would be a list of height n
        }
        int log = 32 - Integer.numberOfLeadingZeros(n);
        assertTrue(tree.height() <= 4 * log, "height " + tree.height() + " for " + n + " values");
        assertEquals(n / 2, tree.countLess(n / 2));
        assertEquals(0, tree.countLess(-1));
        assertEquals(n, tree.countLess(n + 1));
    }

    /** Work per result must not grow with the history: quadruple the results, at most about four times the work. */
    @Test
    void rungWorkGrowsLinearlyNotQuadratically() {
        for (int m = 1; m <= 3; m++) {
            long small = work(m, 5_000);
            long large = work(m, 20_000);
            // quadratic would be 16×; n log n is about 4.6×; the sample's rare rebuilds add a little
            assertTrue(large < 7 * small, m + " objectives: work " + small + " for 5,000 results, " + large + " for 20,000");
        }
    }

    private static long work(int m, int n) {
        Rung rung = new Rung(1, 3, m, 1);
        Rng rng = new Rng(42);
        for (int i = 0; i < n; i++) {
            double[] p = new double[m];
            for (int k = 0; k < m; k++) {
                p[k] = rng.nextDouble();
            }
            rung.judge(p);
        }
        return rung.work();
    }

    @Test
    void rungsAreMinTimesEtaToTheKThenTheMaximum() {
        assertEquals(List.of(1, 3, 9), new Rungs(1, 9, 3).levels());
        assertEquals(List.of(1, 3, 9, 10), new Rungs(1, 10, 3).levels());
        assertEquals(List.of(2, 4, 8, 16, 20), new Rungs(2, 20, 2).levels());
        assertEquals(List.of(5), new Rungs(5, 5, 3).levels());
    }

    @Test
    void ashaSendsTheLastLegToTheFullBudget() {
        Asha asha = new Asha(new Rungs(1, 9, 3), 1, 0);
        assertEquals(1, asha.firstResource(0));
        assertEquals(Decision.continueTo(3), asha.atRung(0, 1, new double[] {0.5}));
        assertEquals(Decision.continueTo(Proposal.FULL_BUDGET), asha.atRung(0, 3, new double[] {0.5}));
        assertEquals(Proposal.FULL_BUDGET, new Asha(new Rungs(9, 9, 3), 1, 0).firstResource(0), "one rung: no early stopping");
    }

    @Test
    void hyperbandAllotsTrialsToBracketsInHyperbandsProportions() {
        Hyperband hb = new Hyperband(new Rungs(1, 9, 3), 1, 0);
        int[] count = new int[3];
        for (int t = 0; t < 17 * 10; t++) {
            count[hb.bracketOf(t)]++;
        }
        // B = 3, η = 3: n_b = ⌈3/(3−b)·3^(2−b)⌉ = 9, 5, 3 per cycle of 17
        assertEquals(List.of(90, 50, 30), List.of(count[0], count[1], count[2]));
        assertEquals(1, hb.firstResource(0));
        assertEquals(3, hb.firstResource(9));
        assertEquals(Proposal.FULL_BUDGET, hb.firstResource(14), "the last bracket trains its budget");
        assertEquals(Decision.continueTo(Proposal.FULL_BUDGET), hb.atRung(9, 3, new double[] {1}), "bracket 1 starts at 3");
    }
}
