package io.finegrained.search.genes;

import java.util.random.RandomGenerator;

/**
 * One open parameter's gene, assembled from its parts: the key it has in a candidate's values,
 * how many elementary variables it counts (which sets the default mutation rate), a description
 * for messages, its codec, its sampler and its two operators. The families (
 * {@link Real}, {@link Int}, {@link Choice}, {@link Bits}, {@link FixedOnes}, {@link ChoiceList},
 * {@link MaskList}) each assemble one; a new family assembles its own from the same parts.
 *
 * @param variables the number of reals, bits or list entries the gene holds
 * @param description a short description of the domain, for messages
 */
public record TypedGene<T>(String key, int variables, String description, Codec<T> codec, Sampler<T> sampler,
                           Crossover<T> crossover, Mutation<T> mutation) {

    /** A value for the first population at {@code stratum} (see {@link Sampler#design}). */
    public T design(RandomGenerator rng, double stratum) {
        return sampler.design(rng, stratum);
    }

    /** A value drawn uniformly from the whole domain. */
    public T random(RandomGenerator rng) {
        return sampler.random(rng);
    }

    /** Two children of two parents' values. */
    public Pair<T> crossover(T a, T b, RandomGenerator rng, Rates rates) {
        return crossover.cross(a, b, rng, rates);
    }

    /** The value, mutated (often unchanged: each variable mutates with the mutation rate). */
    public T mutate(T value, RandomGenerator rng, Rates rates) {
        return mutation.mutate(value, rng, rates);
    }
}
