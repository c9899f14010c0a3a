package io.finegrained.search.genes;

import io.finegrained.space.Domain;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * BINARY_CODE with a fixed number of ones (written with {@code ones}, or BackboneNas's shorthand
 * kept at its default's count): count-keeping crossover and mutation. Every value, in the first
 * population too, is a random placement of the ones.
 */
public record FixedOnes(int length, int ones) implements Sampler<List<Integer>> {

    /** The gene of a binary code holding exactly {@code ones} ones. */
    public static TypedGene<List<Integer>> gene(String key, Domain.BinaryCode domain, int ones) {
        Codec<List<Integer>> codec = Codec.of(Codec::ints, raw -> {
            List<Integer> bits = Codec.ints(domain.canonical(raw));
            if (bits.stream().mapToInt(Integer::intValue).sum() != ones) {
                throw new IllegalArgumentException("expected " + ones + " ones, got " + raw);
            }
            return bits;
        });
        return new TypedGene<>(key, domain.length(), "BINARY_CODE of " + domain.length() + " with " + ones + " ones", codec,
                new FixedOnes(domain.length(), ones), new CountKeepingCrossover(), new CountKeepingSwap());
    }

    @Override
    public List<Integer> design(RandomGenerator rng, double stratum) {
        return random(rng);
    }

    @Override
    public List<Integer> random(RandomGenerator rng) {
        int[] order = Permutations.of(rng, length);
        Integer[] bits = new Integer[length];
        for (int i = 0; i < length; i++) {
            bits[order[i]] = i < ones ? 1 : 0;
        }
        return List.of(bits);
    }
}
