package io.finegrained.search.genes;

import io.finegrained.space.Domain;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * BINARY_CODE without a fixed count of ones: uniform crossover, independent bit flips. The first
 * population's stratum is the density of ones, so it runs from sparse to dense codes instead of
 * clustering at half ones; a random code is a fair coin per bit.
 */
public record Bits(int length) implements Sampler<List<Integer>> {

    /** The gene of a free binary code. */
    public static TypedGene<List<Integer>> gene(String key, Domain.BinaryCode domain) {
        return new TypedGene<>(key, domain.length(), "BINARY_CODE of " + domain.length(),
                Codec.of(Codec::ints, raw -> Codec.ints(domain.canonical(raw))), new Bits(domain.length()),
                Crossover.uniform(), Mutation.bitFlips());
    }

    /** {@code length} bits, each 1 with probability {@code density} (one draw each). */
    static List<Integer> withDensity(RandomGenerator rng, int length, double density) {
        List<Integer> bits = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            bits.add(rng.nextDouble() < density ? 1 : 0);
        }
        return List.copyOf(bits);
    }

    @Override
    public List<Integer> design(RandomGenerator rng, double stratum) {
        return withDensity(rng, length, stratum);
    }

    @Override
    public List<Integer> random(RandomGenerator rng) {
        List<Integer> bits = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            bits.add(rng.nextBoolean() ? 1 : 0);
        }
        return List.copyOf(bits);
    }
}
