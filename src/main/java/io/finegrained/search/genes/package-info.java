/**
 * Typed genes and the small operators they are assembled from, one file per family (a real, an
 * integer, a choice, a free or count-keeping binary code, QuantEA's bit-width list, PruneEA's
 * keep-masks) and one per operator (SBX, polynomial mutation, uniform crossover, bit flips,
 * count-keeping moves, a mask's repair).
 *
 * <p>A {@link io.finegrained.search.genes.TypedGene} is a key, a {@link io.finegrained.search.genes.Codec}
 * (how its values of type {@code T} sit in a candidate's value map and are read back from a
 * journal), a {@link io.finegrained.search.genes.Sampler} for the first population and random
 * search, a {@link io.finegrained.search.genes.Crossover} and a {@link io.finegrained.search.genes.Mutation}.
 * Operators compose: {@code eachEntry} lifts one over the entries of a list, {@code andThen}
 * chains a repair, {@code withRate} gates a move by the mutation rate, and a
 * {@link io.finegrained.search.genes.UnitScale} lays reals and integers on [0, 1] where the
 * real-coded operators work.
 *
 * <p>Contract: everything here is immutable and draws all randomness, in a fixed order, from the
 * generator passed in (the search's {@code Rng}), so a seed gives the same values on every JVM.
 * This package depends on {@code space} (domains) and the JDK only; {@code io.finegrained.search}
 * uses it through the {@code Genes} facade, never the other way round, so the two packages form
 * no cycle.
 */
package io.finegrained.search.genes;
