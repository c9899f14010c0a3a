/**
 * Search algorithms, knowing neither Spark nor DJL: they see hyper-parameter values and metric
 * numbers only, and the network through {@link io.finegrained.space.NetworkFacts}.
 *
 * <p>The plug-in seam: an {@link io.finegrained.search.AlgorithmProvider} (found by ServiceLoader,
 * {@link io.finegrained.search.Algorithms}) reads its keys of the {@code search_algorithm} section
 * ({@link io.finegrained.search.AlgorithmSection}) and returns a
 * {@link io.finegrained.search.Searcher}: proposals one at a time, a result per trial,
 * intermediate reports answered with continue or stop. Generational algorithms
 * ({@link io.finegrained.search.SearchAlgorithm}: ask a generation, tell its results) are
 * searchers through {@link io.finegrained.search.Generations}. The built-ins are in
 * {@code io.finegrained.search.algorithms}. Also here: {@link io.finegrained.search.Objectives},
 * {@link io.finegrained.search.Constraints}, {@link io.finegrained.search.Pareto} for fronts and
 * {@link io.finegrained.search.Replay} for resume.
 *
 * <p>Contract: a searcher is deterministic in its seed and the results it is told (its
 * randomness is {@link io.finegrained.search.Rng}, portable across JVMs), so a journal replay
 * rebuilds its state. Proposals are never duplicates, always valid networks, and within the
 * constraints; failed trials and NaN objectives never enter selection or a front. Settings,
 * candidates, results, genes and genomes are immutable; searchers are mutable and used by one
 * driver thread. Configuration problems are {@link io.finegrained.config.ConfigException}s raised
 * when the searcher is created, never mid-run.
 */
package io.finegrained.search;
