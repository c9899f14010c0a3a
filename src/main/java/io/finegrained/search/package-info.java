/**
 * Search algorithms behind one ask/tell interface ({@link io.finegrained.search.SearchAlgorithm}),
 * knowing neither Spark nor DJL: they see hyper-parameter values and metric numbers only, and the
 * network through {@link io.finegrained.space.NetworkFacts}.
 *
 * <p>Entry points: {@link io.finegrained.search.AlgorithmSettings#from},
 * {@link io.finegrained.search.Objectives#from}, {@link io.finegrained.search.Constraints#from},
 * {@link io.finegrained.search.SearchAlgorithms#create}; {@link io.finegrained.search.Pareto} for
 * fronts; {@link io.finegrained.search.Replay} for resume.
 *
 * <p>Contract: an algorithm is deterministic in its seed and the results it is told (its
 * randomness is {@link io.finegrained.search.Rng}, portable across JVMs), so a journal replay
 * rebuilds its state. Proposals are never duplicates, always valid networks, and within the
 * constraints; failed trials and NaN objectives never enter selection or a front. Settings,
 * candidates, results, genes and genomes are immutable; algorithms are mutable and used by one
 * driver thread. Configuration problems are {@link io.finegrained.config.ConfigException}s raised
 * when the algorithm is created, never mid-run.
 */
package io.finegrained.search;
