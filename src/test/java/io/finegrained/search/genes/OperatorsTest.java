package io.finegrained.search.genes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.search.Rng;
import io.finegrained.search.Variation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each operator does its one job, draws only what it says, and composes with the others. */
class OperatorsTest {
    static final Variation HALF = new Variation(1.0, 10, 20, 0.5);

    /** True when {@code rng} has drawn nothing since it was made from {@code seed}. */
    static boolean untouched(Rng rng, long seed) {
        return rng.nextLong() == new Rng(seed).nextLong();
    }

    static int ones(List<Integer> bits) {
        return bits.stream().mapToInt(Integer::intValue).sum();
    }

    @Test
    void sbxKeepsTheParentsMeanAndStaysInTheUnitInterval() {
        Sbx sbx = new Sbx();
        Rng rng = new Rng(1);
        for (int i = 0; i < 1000; i++) {
            double a = 0.3 + 0.4 * rng.nextDouble();
            double b = 0.3 + 0.4 * rng.nextDouble();
            Pair<Double> c = sbx.cross(a, b, rng, new Variation(1, 30, 20, 0.1));
            assertTrue(c.first() >= 0 && c.first() <= 1 && c.second() >= 0 && c.second() <= 1, c.toString());
            if (c.first() > 0 && c.first() < 1 && c.second() > 0 && c.second() < 1) {
                // Unclamped SBX children are symmetric around the parents' mean.
                assertEquals(a + b, c.first() + c.second(), 1e-12);
            }
        }
        Rng fresh = new Rng(2);
        assertEquals(new Pair<>(0.25, 0.25), sbx.cross(0.25, 0.25, fresh, HALF));
        assertTrue(untouched(fresh, 2), "equal parents draw nothing");
    }

    @Test
    void polynomialStepsShrinkAsTheIndexGrows() {
        PolynomialMutation pm = new PolynomialMutation();
        double[] mean = new double[2];
        double[] eta = {2, 50};
        for (int k = 0; k < 2; k++) {
            Rng rng = new Rng(3);
            for (int i = 0; i < 2000; i++) {
                double y = pm.mutate(0.5, rng, new Variation(1, 10, eta[k], 1));
                assertTrue(y >= 0 && y <= 1);
                mean[k] += Math.abs(y - 0.5) / 2000;
            }
        }
        assertTrue(mean[1] < mean[0] / 3, "eta 50 should step much less than eta 2: " + mean[0] + " vs " + mean[1]);
    }

    @Test
    void aRateGatesTheMoveWithOneDraw() {
        Mutation<Integer> gated = Mutation.withRate(Mutation.flip());
        Rng never = new Rng(4);
        for (int i = 0; i < 100; i++) {
            assertEquals(1, gated.mutate(1, never, new Variation(1, 10, 20, 0)));
        }
        Rng counted = new Rng(4);
        for (int i = 0; i < 100; i++) {
            counted.nextDouble();
        }
        assertEquals(counted.nextLong(), never.nextLong(), "exactly one draw per call when nothing moves");
        Rng always = new Rng(5);
        for (int i = 0; i < 100; i++) {
            assertEquals(0, gated.mutate(1, always, new Variation(1, 10, 20, 1)));
        }
    }

    @Test
    void uniformCrossoverSwapsWholePositions() {
        List<Integer> a = Collections.nCopies(200, 0);
        List<Integer> b = Collections.nCopies(200, 1);
        Pair<List<Integer>> c = Crossover.<Integer>uniform().cross(a, b, new Rng(6), HALF);
        for (int i = 0; i < 200; i++) {
            assertEquals(1, c.first().get(i) + c.second().get(i), "each position goes to one child, its twin to the other");
        }
        int swapped = ones(c.first());
        assertTrue(swapped > 70 && swapped < 130, "about half the positions swap: " + swapped);
    }

    @Test
    void countKeepingOperatorsKeepTheCountAndTheAgreement() {
        CountKeepingCrossover cross = new CountKeepingCrossover();
        CountKeepingSwap swap = new CountKeepingSwap();
        Rng rng = new Rng(7);
        List<Integer> a = List.of(1, 1, 1, 0, 0, 0, 0, 1, 0, 0);
        List<Integer> b = List.of(1, 0, 0, 1, 1, 0, 0, 1, 0, 0);
        Set<List<Integer>> seen = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            Pair<List<Integer>> c = cross.cross(a, b, rng, HALF);
            for (List<Integer> child : List.of(c.first(), c.second())) {
                assertEquals(4, ones(child));
                for (int p = 0; p < a.size(); p++) {
                    if (a.get(p).equals(b.get(p))) {
                        assertEquals(a.get(p), child.get(p), "where the parents agree the child does too");
                    }
                }
                seen.add(child);
                List<Integer> moved = swap.mutate(child, rng, HALF);
                assertEquals(4, ones(moved));
            }
        }
        // The parents differ at four positions, two ones each: the children are the 6 ways to place two.
        assertEquals(6, seen.size(), "crossover reaches every placement of the differing ones: " + seen);
        Rng fresh = new Rng(8);
        assertEquals(List.of(1, 1, 1), swap.mutate(List.of(1, 1, 1), fresh, new Variation(1, 10, 20, 1)));
        assertTrue(untouched(fresh, 8), "a code of only ones has nowhere to move: no draw");
    }

    @Test
    void otherValueNeverStaysAndReachesEveryOther() {
        OtherValue<String> other = new OtherValue<>(List.of("a", "b", "c", "d"));
        Rng rng = new Rng(9);
        Set<String> reached = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String v = other.mutate("b", rng, HALF);
            assertNotEquals("b", v);
            reached.add(v);
        }
        assertEquals(Set.of("a", "c", "d"), reached);
        assertThrows(IllegalArgumentException.class, () -> new OtherValue<>(List.of("only")));
    }

    @Test
    void keepOneRepairsOnlyAnEmptyMask() {
        Rng rng = new Rng(10);
        List<Integer> repaired = KeepOne.repair(List.of(0, 0, 0, 0), rng);
        assertEquals(1, ones(repaired));
        Rng fresh = new Rng(11);
        assertEquals(List.of(0, 1, 0), KeepOne.repair(List.of(0, 1, 0), fresh));
        assertTrue(untouched(fresh, 11), "a mask that keeps a channel draws nothing");
    }

    @Test
    void operatorsComposeInOrder() {
        // Per group: uniform crossover, then each child repaired: no child mask is ever empty.
        Crossover<List<List<Integer>>> perGroup = Crossover.eachEntry(Crossover.<Integer>uniform().andThen(new KeepOne()));
        List<List<Integer>> a = List.of(List.of(1, 0, 0), List.of(0, 1));
        List<List<Integer>> b = List.of(List.of(0, 0, 1), List.of(1, 0));
        Rng rng = new Rng(12);
        for (int i = 0; i < 200; i++) {
            Pair<List<List<Integer>>> c = perGroup.cross(a, b, rng, HALF);
            for (List<List<Integer>> child : List.of(c.first(), c.second())) {
                assertEquals(2, child.size());
                child.forEach(mask -> assertTrue(ones(mask) >= 1, "an empty mask: " + child));
            }
        }
        // andThen runs the second mutation on the first's result.
        Mutation<Integer> twice = Mutation.flip().andThen(Mutation.flip());
        assertEquals(1, twice.mutate(1, rng, HALF));
        // eachEntry visits entries first to last: the draws of entry i come before those of i + 1.
        List<Double> draws = new ArrayList<>();
        Mutation<Double> record = (v, r, rates) -> {
            double d = r.nextDouble();
            draws.add(d);
            return d;
        };
        List<Double> out = Mutation.eachEntry(record).mutate(List.of(0.0, 0.0, 0.0), new Rng(13), HALF);
        assertEquals(draws, out);
        Rng replay = new Rng(13);
        assertEquals(List.of(replay.nextDouble(), replay.nextDouble(), replay.nextDouble()), out);
    }

    @Test
    void aScaleCarriesTheRealOperatorsToValues() {
        Real decades = new Real(1e-4, 1, true);
        assertEquals(0.5, decades.toUnit(1e-2), 1e-12, "log scale: 1e-2 lies halfway between 1e-4 and 1 in decades");
        assertEquals(1e-2, decades.fromUnit(0.5), 1e-15);
        Crossover<Double> onValues = decades.crossover(new Sbx());
        Rng rng = new Rng(14);
        for (int i = 0; i < 500; i++) {
            Pair<Double> c = onValues.cross(1e-4, 1.0, rng, HALF);
            assertTrue(c.first() >= 1e-4 && c.first() <= 1 && c.second() >= 1e-4 && c.second() <= 1, c.toString());
        }
        Int slices = new Int(0, 3);
        for (long v = 0; v <= 3; v++) {
            assertEquals(v, slices.fromUnit(slices.toUnit(v)), "every integer sits in its own slice");
        }
    }
}
