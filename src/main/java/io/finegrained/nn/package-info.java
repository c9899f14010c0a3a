/**
 * DJL networks from module descriptions. {@link io.finegrained.nn.NetworkBuilder} turns a
 * resolved {@link io.finegrained.space.ModuleSpec} into an uninitialized DJL block whose children
 * are named after the YAML ids (the counts are pure arithmetic and live in
 * {@code io.finegrained.space}: {@link io.finegrained.space.NetworkAnalyzer}). The process
 * modules, found by their role, act in the built network ({@code ProcessPlan}): Quant as simulated quantization with
 * straight-through gradients, Prune as the narrow network (only the kept channels; the masked
 * full-width network on request, {@code NetworkBuilder.buildMasked}), on the layers and groups the
 * counts use, in the same order and under the same fit rules. {@link io.finegrained.nn.WeightTransfer}
 * copies a full-width parent's parameters into the narrow network. This package does not know the
 * search.
 */
package io.finegrained.nn;
