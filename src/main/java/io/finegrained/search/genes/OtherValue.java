package io.finegrained.search.genes;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A move to another of a few unordered values, each of the others equally likely (one draw);
 * gate it with {@link Mutation#withRate}. Needs at least two values.
 */
public final class OtherValue<E> implements Mutation<E> {
    private final List<E> values;

    public OtherValue(List<E> values) {
        if (values.size() < 2) {
            throw new IllegalArgumentException("a move to another value needs at least two values, got " + values);
        }
        this.values = List.copyOf(values);
    }

    @Override
    public E mutate(E value, RandomGenerator rng, Rates rates) {
        int current = values.indexOf(value);
        int other = rng.nextInt(values.size() - 1);
        return values.get(other >= current ? other + 1 : other);
    }
}
