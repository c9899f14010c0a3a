package io.finegrained.space;

import java.util.List;
import java.util.Map;

/**
 * What the search layer may know of the networks a space describes, without knowing how they are
 * built: implemented by {@link NetworkAnalysis}, handed in by the driver.
 * Implementations are pure arithmetic over the module tree (no native engine).
 */
public interface NetworkFacts {

    /**
     * Static metrics of the network the values resolve to: {@code params}, {@code macs}, and
     * {@code bitops} when it is quantized. Throws {@link InvalidCandidateException} when the values
     * give no valid network (shapes that do not fit, say).
     */
    Map<String, Double> measure(Map<String, Object> values);

    /** A key equal for two value sets exactly when they resolve to the same network and training. */
    String identity(Map<String, Object> values);

    /** The number of quantizable layers of the default network (see ARCHITECTURE.md). */
    int quantizableLayers();

    /** The width of each prunable channel group of the default network, in forward order. */
    List<Integer> prunableChannels();

    /**
     * The dotted path of the space's quantization module (the first top-level module in the role
     * {@link ModuleType.Role#QUANT}, such as {@code Quant}: {@code process}), or null when it has
     * none. QuantEA opens {@code <path>.nbit_w_list} and {@code <path>.nbit_a_list}: lists
     * of {@link #quantizableLayers()} bit widths.
     */
    String quantPath();

    /**
     * The dotted path of the space's pruning module (role {@link ModuleType.Role#PRUNE}, such as
     * {@code Prune}), or null when it has none.
     * PruneEA opens {@code <path>.chn_mask}: one 0/1 keep-mask per prunable group, widths as
     * {@link #prunableChannels()}, each keeping at least one channel.
     */
    String prunePath();
}
