/**
 * Search spaces: module descriptions, the module registry, dotted hyper-parameter paths,
 * domains, resolving values into a network description, and counting it: params, MACs and
 * bit-ops ({@link io.finegrained.space.NetworkAnalyzer}, and
 * {@link io.finegrained.space.NetworkAnalysis}, the {@link io.finegrained.space.NetworkFacts}
 * the search layer gets), with the process modules found by their role
 * ({@link io.finegrained.space.ProcessModules}).
 *
 * <p>Contract. {@link io.finegrained.space.SearchSpace#parse} checks a whole
 * {@code search_space} section (errors are located {@code ConfigException}s);
 * {@link io.finegrained.space.SearchSpace#resolve} turns values into an immutable, serializable
 * {@link io.finegrained.space.ModuleSpec} (errors are
 * {@link io.finegrained.space.InvalidCandidateException}s). Module types are stateless; the
 * {@link io.finegrained.space.NetworkExpander} expands a description into a shaped, counted
 * {@link io.finegrained.space.Layer} tree by pure arithmetic. Nothing here imports DJL or Spark,
 * nor the packages of the built-in modules (they arrive through the services file, as a user's
 * do), and every public type but {@code NetworkExpander} is safe to share between threads.
 */
package io.finegrained.space;
