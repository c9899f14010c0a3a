package io.finegrained.search.genes;

/** Two values: the children of a crossover, in order. */
public record Pair<T>(T first, T second) {
}
