package io.finegrained.search.genes;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Two children of two parents' values. Implementations are immutable and take every random draw
 * from {@code rng}, in a fixed order (the order is part of the behaviour: a seed replays it).
 */
@FunctionalInterface
public interface Crossover<T> {

    /** The two children of {@code a} and {@code b}. */
    Pair<T> cross(T a, T b, RandomGenerator rng, Rates rates);

    /** This crossover, then {@code repair} on each child: the first child, then the second. */
    default Crossover<T> andThen(Mutation<T> repair) {
        return (a, b, rng, rates) -> {
            Pair<T> children = cross(a, b, rng, rates);
            T first = repair.mutate(children.first(), rng, rates);
            return new Pair<>(first, repair.mutate(children.second(), rng, rates));
        };
    }

    /** Each child takes one parent's whole value: swapped with probability 1/2. */
    static <T> Crossover<T> swap() {
        return (a, b, rng, rates) -> rng.nextBoolean() ? new Pair<>(b, a) : new Pair<>(a, b);
    }

    /** {@code entry} on each position of two lists of one length, first to last. */
    static <E> Crossover<List<E>> eachEntry(Crossover<E> entry) {
        return (a, b, rng, rates) -> {
            List<E> x = new ArrayList<>(a.size());
            List<E> y = new ArrayList<>(a.size());
            for (int i = 0; i < a.size(); i++) {
                Pair<E> children = entry.cross(a.get(i), b.get(i), rng, rates);
                x.add(children.first());
                y.add(children.second());
            }
            return new Pair<>(List.copyOf(x), List.copyOf(y));
        };
    }

    /** Uniform crossover: each position swapped between the two lists with probability 1/2. */
    static <E> Crossover<List<E>> uniform() {
        return eachEntry(swap());
    }
}
