package io.finegrained.search;

import io.finegrained.search.genes.Rates;

/**
 * The operator settings every gene reads when it recombines or mutates (the genes read the
 * {@link Rates}; the genome reads the crossover probability).
 *
 * @param crossoverProbability chance that a pair of parents recombines at all
 * @param etaCrossover SBX distribution index: larger keeps children closer to their parents
 * @param etaMutation polynomial-mutation distribution index: larger makes smaller steps
 * @param mutationRate chance that each elementary variable (a real, a bit, a layer's bit width) mutates
 */
public record Variation(double crossoverProbability, double etaCrossover, double etaMutation, double mutationRate) implements Rates {
}
