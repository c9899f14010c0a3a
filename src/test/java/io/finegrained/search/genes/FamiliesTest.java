package io.finegrained.search.genes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.search.Gene;
import io.finegrained.search.Genes;
import io.finegrained.search.Genome;
import io.finegrained.search.Rng;
import io.finegrained.search.Variation;
import io.finegrained.space.Domain;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The families as typed genes: typed values, journal values read back, and a new gene assembled from the parts. */
class FamiliesTest {
    static final Variation HALF = new Variation(1.0, 10, 20, 0.5);

    @Test
    void typedValuesStayInTheirDomains() {
        TypedGene<Long> width = Int.gene("width", new Domain.IntRange(8, 12, null));
        TypedGene<List<Integer>> code = FixedOnes.gene("code", new Domain.BinaryCode(6, 2, null), 2);
        TypedGene<List<List<Integer>>> masks = MaskList.gene("mask", List.of(2, 3));
        Rng rng = new Rng(1);
        for (int i = 0; i < 300; i++) {
            long w = width.mutate(width.crossover(width.random(rng), width.design(rng, rng.nextDouble()), rng, HALF).first(), rng, HALF);
            assertTrue(w >= 8 && w <= 12, String.valueOf(w));
            List<Integer> c = code.mutate(code.random(rng), rng, HALF);
            assertEquals(2, c.stream().mapToInt(Integer::intValue).sum());
            List<List<Integer>> m = masks.mutate(masks.design(rng, 0.01), rng, HALF);
            assertEquals(List.of(2, 3), m.stream().map(List::size).toList());
            m.forEach(mask -> assertTrue(mask.contains(1)));
        }
        assertEquals(5, masks.variables(), "a mask list counts its channels");
    }

    @Test
    void codecsReadJournalValuesIntoTheCanonicalTypes() {
        // JSON gives back Integers and Doubles where the candidate map held Longs and Integers.
        assertEquals(10L, Int.gene("w", new Domain.IntRange(8, 12, null)).codec().read(10));
        assertEquals(List.of(8, 4), ChoiceList.gene("q", 2, List.of(4, 8)).codec().read(List.of(8L, 4.0)));
        assertEquals("ReLU", Choice.gene("act", List.of("ReLU", "GELU"), new Domain.Category(List.of("ReLU", "GELU"), null))
                .codec().read("ReLU"));
        TypedGene<List<Integer>> shorthand = FixedOnes.gene("d", new Domain.BinaryCode(4, null, List.of(1, 1, 0, 0)), 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> shorthand.codec().read(List.of(1, 1, 1, 0)));
        assertTrue(e.getMessage().contains("expected 2 ones"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MaskList.gene("m", List.of(2)).codec().read(List.of(List.of(0, 0))));
        assertThrows(IllegalArgumentException.class, () -> Real.gene("x", new Domain.FloatRange(0, 1, false, null)).codec().read(2.0));
    }

    @Test
    void aGeneAssembledFromThePartsRunsInAGenome() {
        // Three reals in one list entry, each its own SBX / polynomial variable: no new operator needed.
        Real unit = new Real(0, 1, false);
        Codec<List<Double>> codec = Codec.of(v -> {
            @SuppressWarnings("unchecked")
            List<Double> list = (List<Double>) v;
            return list;
        }, raw -> ((List<?>) raw).stream().map(o -> ((Number) o).doubleValue()).toList());
        Sampler<List<Double>> sampler = new Sampler<>() {
            @Override
            public List<Double> design(java.util.random.RandomGenerator rng, double stratum) {
                return List.of(stratum, stratum, stratum);
            }

            @Override
            public List<Double> random(java.util.random.RandomGenerator rng) {
                return List.of(rng.nextDouble(), rng.nextDouble(), rng.nextDouble());
            }
        };
        TypedGene<List<Double>> triple = new TypedGene<>("rgb", 3, "three reals in [0, 1]", codec, sampler,
                Crossover.eachEntry(unit.crossover(new Sbx())), Mutation.eachEntry(Mutation.withRate(unit.mutation(new PolynomialMutation()))));
        Gene gene = Genes.view(triple);
        Genome genome = new Genome(List.of(gene, Genes.of("n", new Domain.IntRange(1, 3, null), false)));
        assertEquals(4, genome.variables());
        Rng rng = new Rng(2);
        List<Map<String, Object>> first = genome.design(4, rng);
        for (int i = 0; i < 100; i++) {
            for (Map<String, Object> child : genome.offspring(first.get(i % 4), first.get((i + 1) % 4), rng, HALF)) {
                List<?> rgb = (List<?>) child.get("rgb");
                assertEquals(3, rgb.size());
                rgb.forEach(v -> assertTrue((Double) v >= 0 && (Double) v <= 1, String.valueOf(v)));
                assertEquals(child, genome.canonical(child));
            }
        }
        assertEquals("three reals in [0, 1]", gene.describe());
    }
}
