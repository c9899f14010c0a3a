package io.finegrained.search.genes;

import io.finegrained.space.Domain;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * CATEGORY and BOOL: one of a few unordered values. Crossover hands each child one parent's
 * value; mutation, with the mutation rate, moves to another value. The first population takes
 * the value whose share of [0, 1) holds its stratum.
 */
public record Choice(List<Object> values) implements Sampler<Object> {

    public Choice {
        values = List.copyOf(values);
    }

    /** The gene of a category or boolean parameter; {@code values} are its domain's, in order. */
    public static TypedGene<Object> gene(String key, List<Object> values, Domain domain) {
        Choice choice = new Choice(values);
        Mutation<Object> mutation = values.size() < 2 ? Mutation.none() : Mutation.withRate(new OtherValue<>(values));
        return new TypedGene<>(key, 1, domain.typeName() + " " + choice.values, Codec.of(Object.class, domain), choice,
                Crossover.swap(), mutation);
    }

    @Override
    public Object design(RandomGenerator rng, double stratum) {
        return values.get(Math.min(values.size() - 1, (int) (stratum * values.size())));
    }

    @Override
    public Object random(RandomGenerator rng) {
        return values.get(rng.nextInt(values.size()));
    }
}
