package io.finegrained.search.genes;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A value, changed (or returned as it is). Implementations are immutable and take every random
 * draw from {@code rng}, in a fixed order. A repair (such as {@link KeepOne}) is a mutation too:
 * it reads no rate.
 */
@FunctionalInterface
public interface Mutation<T> {

    /** The value after this operator. */
    T mutate(T value, RandomGenerator rng, Rates rates);

    /** This mutation, then {@code next} on its result. */
    default Mutation<T> andThen(Mutation<T> next) {
        return (value, rng, rates) -> next.mutate(mutate(value, rng, rates), rng, rates);
    }

    /** The value unchanged, without a draw: the mutation of a domain with nothing to move to. */
    static <T> Mutation<T> none() {
        return (value, rng, rates) -> value;
    }

    /**
     * {@code move} with the mutation rate: one draw decides, and the move (with its own draws)
     * happens only when the draw falls below the rate; otherwise the value is returned as it is.
     */
    static <T> Mutation<T> withRate(Mutation<T> move) {
        return (value, rng, rates) -> rng.nextDouble() < rates.mutationRate() ? move.mutate(value, rng, rates) : value;
    }

    /** {@code entry} on each entry of a list, first to last. */
    static <E> Mutation<List<E>> eachEntry(Mutation<E> entry) {
        return (value, rng, rates) -> {
            List<E> out = new ArrayList<>(value.size());
            for (E e : value) {
                out.add(entry.mutate(e, rng, rates));
            }
            return List.copyOf(out);
        };
    }

    /** A bit's flip, 0 to 1 and 1 to 0, always (gate it with {@link #withRate}). */
    static Mutation<Integer> flip() {
        return (bit, rng, rates) -> 1 - bit;
    }

    /** Independent bit flips: each bit of a code flips with the mutation rate. */
    static Mutation<List<Integer>> bitFlips() {
        return eachEntry(withRate(flip()));
    }
}
