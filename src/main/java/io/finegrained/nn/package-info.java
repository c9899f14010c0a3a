/**
 * DJL networks from module descriptions, and their counts. {@link io.finegrained.nn.NetworkBuilder}
 * turns a resolved {@link io.finegrained.space.ModuleSpec} into an uninitialized DJL block whose
 * children are named after the YAML ids; {@link io.finegrained.nn.NetworkAnalyzer} gives params,
 * MACs and bit-ops per module by pure arithmetic (no engine); {@link io.finegrained.nn.NetworkAnalysis}
 * implements {@link io.finegrained.space.NetworkFacts} for the search layer. The process modules
 * act in the built network ({@code ProcessPlan}): Quant as simulated quantization with
 * straight-through gradients, Prune as constant channel masks, on the layers and groups the
 * counts use, in the same order and under the same fit rules. This package does not know the
 * search.
 */
package io.finegrained.nn;
