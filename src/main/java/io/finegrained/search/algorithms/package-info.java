/**
 * The built-in search algorithms, each an {@link io.finegrained.search.AlgorithmProvider} found
 * by ServiceLoader like a user's plug-in: NSGA2, Evolution, BackboneNas, QuantEA, PruneEA
 * (generational, on {@link io.finegrained.search.GeneticSearch}), RandomSearch and GridSearch, and
 * the asynchronous AsyncNSGA2, AgingEvolution and AsyncRandomSearch (on
 * {@link io.finegrained.search.async}, with an optional early-stopping {@code scheduler}).
 * Each reads its own keys into its own settings and refuses, located, what it cannot run.
 */
package io.finegrained.search.algorithms;
