/**
 * DJL networks from module descriptions, and their counts. {@link io.finegrained.nn.NetworkBuilder}
 * turns a resolved {@link io.finegrained.space.ModuleSpec} into an uninitialized DJL block whose
 * children are named after the YAML ids; {@link io.finegrained.nn.NetworkAnalyzer} gives params,
 * MACs and bit-ops per module by pure arithmetic (no engine); {@link io.finegrained.nn.NetworkAnalysis}
 * implements {@link io.finegrained.space.NetworkFacts} for the search layer. This package does not
 * know the search.
 */
package io.finegrained.nn;
