/**
 * Asynchronous, multi-fidelity search, engine-agnostic: {@link io.finegrained.search.async.AsyncLoop}
 * keeps every slot of a {@link io.finegrained.search.SegmentRunner} busy and records what it does
 * as {@link io.finegrained.search.async.LoopEvent}s, which replay a fresh searcher on resume;
 * {@link io.finegrained.search.async.Asha} and {@link io.finegrained.search.async.Hyperband} decide
 * at each rung from incrementally ranked {@link io.finegrained.search.async.Rung}s; the steady-state
 * searchers ({@link io.finegrained.search.async.AsyncNsga2},
 * {@link io.finegrained.search.async.AgingEvolution}, {@link io.finegrained.search.async.AsyncRandom})
 * propose whenever a slot is free; {@link io.finegrained.search.async.SimulatedCluster} runs it all
 * on a simulated clock. Knows neither Spark nor DJL. Single-threaded: one driver thread calls in
 * (only {@link io.finegrained.search.async.AsyncLoop#stop()} may come from another). Events and
 * rung values are immutable; searchers and rungs are not, and are rebuilt by replay.
 */
package io.finegrained.search.async;
