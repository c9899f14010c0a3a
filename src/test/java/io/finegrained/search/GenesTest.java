package io.finegrained.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.space.Domain;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each gene keeps its domain: bounds, counts of ones, non-empty masks, candidate bit widths. */
class GenesTest {
    static final Variation EAGER = new Variation(1.0, 10, 20, 0.5);

    static int ones(Object code) {
        return ((List<?>) code).stream().mapToInt(o -> ((Number) o).intValue()).sum();
    }

    @Test
    void realsStayInRangeAndLogRealsSpreadOverDecades() {
        Gene lin = Genes.of("x", new Domain.FloatRange(-2, 3, false, null), false);
        Gene log = Genes.of("lr", new Domain.FloatRange(1e-5, 1e-1, true, null), false);
        Rng rng = new Rng(1);
        int belowMilli = 0;
        for (int i = 0; i < 2000; i++) {
            Object[] c = lin.crossover(lin.random(rng), lin.random(rng), rng, EAGER);
            double v = (Double) lin.mutate(c[0], rng, EAGER);
            assertTrue(v >= -2 && v <= 3, "out of range: " + v);
            double lr = (Double) log.mutate(log.crossover(log.random(rng), log.random(rng), rng, EAGER)[1], rng, EAGER);
            assertTrue(lr >= 1e-5 && lr <= 1e-1);
            belowMilli += lr < 1e-3 ? 1 : 0;
        }
        // Log-uniform: half of the decades lie below 1e-3; a linear draw would put 1% there.
        assertTrue(belowMilli > 600, "log-space evolution should reach small values, got " + belowMilli);
    }

    @Test
    void theFirstPopulationCoversEachRealEvenly() {
        Genome g = new Genome(List.of(Genes.of("x", new Domain.FloatRange(0, 1, false, null), false)));
        List<Map<String, Object>> design = g.design(10, new Rng(3));
        Set<Integer> strata = new HashSet<>();
        design.forEach(v -> strata.add((int) ((Double) v.get("x") * 10)));
        assertEquals(10, strata.size(), "a Latin hypercube puts one point in each tenth");
    }

    @Test
    void integersAreWholeAndInRange() {
        Gene g = Genes.of("w", new Domain.IntRange(16, 20, null), false);
        Rng rng = new Rng(2);
        Set<Object> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            Object[] c = g.crossover(g.random(rng), g.random(rng), rng, EAGER);
            Object v = g.mutate(c[0], rng, EAGER);
            assertTrue(v instanceof Long l && l >= 16 && l <= 20, String.valueOf(v));
            seen.add(v);
        }
        assertEquals(5, seen.size(), "every integer, both ends included, is reached");
    }

    @Test
    void theShorthandKeepsItsCountOfOnesForBackboneNasOnly() {
        Domain.BinaryCode shorthand = new Domain.BinaryCode(8, null, List.of(0, 1, 1, 0, 1, 0, 0, 1));
        Gene keeping = Genes.of("layer.doublechannel", shorthand, true);
        Gene free = Genes.of("layer.doublechannel", shorthand, false);
        Rng rng = new Rng(4);
        boolean freeChanged = false;
        for (int i = 0; i < 300; i++) {
            Object[] c = keeping.crossover(keeping.random(rng), keeping.random(rng), rng, EAGER);
            assertEquals(4, ones(c[0]));
            assertEquals(4, ones(c[1]));
            assertEquals(4, ones(keeping.mutate(c[0], rng, EAGER)));
            freeChanged |= ones(free.mutate(free.random(rng), rng, EAGER)) != 4;
        }
        assertTrue(freeChanged, "a free code may change its count");
    }

    @Test
    void mutationMovesAOneToAZero() {
        Gene g = Genes.of("code", new Domain.BinaryCode(6, 2, null), false);
        Rng rng = new Rng(5);
        Object parent = List.of(1, 1, 0, 0, 0, 0);
        Object child = g.mutate(parent, rng, new Variation(1, 10, 20, 1.0));
        assertEquals(2, ones(child));
        assertNotEquals(parent, child);
    }

    @Test
    void quantListsHoldCandidateWidthsAndCrossPerLayer() {
        Gene g = Genes.choiceList("process.nbit_w_list", 20, List.of(4, 8));
        Rng rng = new Rng(6);
        List<Integer> allFour = java.util.Collections.nCopies(20, 4);
        List<Integer> allEight = java.util.Collections.nCopies(20, 8);
        Object[] c = g.crossover(allFour, allEight, rng, EAGER);
        @SuppressWarnings("unchecked")
        List<Integer> child = (List<Integer>) c[0];
        assertTrue(child.contains(4) && child.contains(8), "uniform crossover mixes layers: " + child);
        for (int i = 0; i < 20; i++) {
            assertEquals(12, child.get(i) + ((List<?>) c[1]).stream().map(o -> (Integer) o).toList().get(i), "the twin takes the other width");
        }
        // The first population spans from narrow to wide networks.
        Genome genome = new Genome(List.of(g));
        double narrowest = 8;
        double widest = 4;
        for (Map<String, Object> v : genome.design(20, rng)) {
            double mean = ((List<?>) v.get("process.nbit_w_list")).stream().mapToInt(o -> (Integer) o).average().orElseThrow();
            narrowest = Math.min(narrowest, mean);
            widest = Math.max(widest, mean);
        }
        assertTrue(narrowest < 5 && widest > 7, narrowest + " .. " + widest);
        assertThrows(IllegalArgumentException.class, () -> g.canonical(java.util.Collections.nCopies(20, 6)));
    }

    @Test
    void pruneMasksNeverEmptyAGroup() {
        Gene g = Genes.maskList("process.chn_mask", List.of(1, 2, 16));
        Rng rng = new Rng(7);
        Variation wild = new Variation(1, 10, 20, 0.9);
        Object v = g.random(rng);
        for (int i = 0; i < 500; i++) {
            Object[] c = g.crossover(v, g.design(rng, rng.nextDouble() * 0.05), rng, wild);
            v = g.mutate(c[i % 2], rng, wild);
            for (Object mask : (List<?>) v) {
                assertTrue(ones(mask) >= 1, "an empty mask: " + v);
            }
            assertEquals(v, g.canonical(v));
        }
        assertThrows(IllegalArgumentException.class, () -> g.canonical(List.of(List.of(0), List.of(1, 0), java.util.Collections.nCopies(16, 1))));
    }
}
