package io.finegrained.search.genes;

/**
 * The numbers operators read when they run. The search's {@code Variation} supplies them; they
 * are passed at each call rather than built into the operators because the default mutation rate
 * depends on the whole genome, known only after its genes are made.
 */
public interface Rates {

    /** SBX distribution index: larger keeps children closer to their parents. */
    double etaCrossover();

    /** Polynomial-mutation distribution index: larger makes smaller steps. */
    double etaMutation();

    /** The chance, in [0, 1], that each elementary variable (a real, a bit, a list entry) mutates. */
    double mutationRate();
}
