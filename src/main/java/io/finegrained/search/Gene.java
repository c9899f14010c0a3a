package io.finegrained.search;

/**
 * How one open parameter is drawn, recombined and mutated: the operators of one domain. Values
 * are the canonical values of the parameter (the genome is the candidate's value map itself, so
 * no decoding step can disagree with what is trained). Implementations are immutable; all
 * randomness comes from the {@link Rng} passed in.
 *
 * <p>This is the genome's untyped view; the genes themselves are typed and built from small
 * operators in {@link io.finegrained.search.genes}, and {@link Genes} makes the view of one.
 */
public interface Gene {

    /** The parameter's key in a candidate's values. */
    String key();

    /** The number of elementary variables (reals, bits, list entries): sets the default mutation rate. */
    int variables();

    /**
     * A value for the first population. {@code design} in [0, 1) is this individual's stratum in
     * a Latin hypercube over the population, so the first population spreads evenly over each
     * parameter (for codes: from sparse to dense).
     */
    Object design(Rng rng, double design);

    /** A value drawn uniformly from the whole domain (what random search uses). */
    Object random(Rng rng);

    /** Two children of two parents' values. */
    Object[] crossover(Object a, Object b, Rng rng, Variation variation);

    /** The value, mutated (often unchanged: each variable mutates with the mutation rate). */
    Object mutate(Object value, Rng rng, Variation variation);

    /** The canonical form of a value read back from a journal, or {@link IllegalArgumentException}. */
    Object canonical(Object value);

    /** A short description of the domain for messages. */
    String describe();
}
