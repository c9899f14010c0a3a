package io.finegrained.search.genes;

import java.util.random.RandomGenerator;

/** How a gene draws a value without parents. */
public interface Sampler<T> {

    /**
     * A value for the first population. {@code stratum} in [0, 1) is this individual's stratum in
     * a Latin hypercube over the population, so the first population spreads evenly over each
     * parameter (for codes: from sparse to dense).
     */
    T design(RandomGenerator rng, double stratum);

    /** A value drawn uniformly from the whole domain (what random search uses). */
    T random(RandomGenerator rng);
}
