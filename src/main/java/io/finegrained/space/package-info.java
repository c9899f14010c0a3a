/**
 * Search spaces: module descriptions, the module registry, dotted hyper-parameter paths,
 * domains, and resolving values into a network description.
 *
 * <p>Contract. {@link io.finegrained.space.SearchSpace#parse} checks a whole
 * {@code search_space} section (errors are located {@code ConfigException}s);
 * {@link io.finegrained.space.SearchSpace#resolve} turns values into an immutable, serializable
 * {@link io.finegrained.space.ModuleSpec} (errors are
 * {@link io.finegrained.space.InvalidCandidateException}s). Module types are stateless; the
 * {@link io.finegrained.space.NetworkExpander} expands a description into a shaped, counted
 * {@link io.finegrained.space.Layer} tree by pure arithmetic. Nothing here imports DJL or Spark,
 * and every public type is safe to share between threads.
 */
package io.finegrained.space;
