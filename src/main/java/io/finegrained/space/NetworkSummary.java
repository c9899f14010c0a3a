package io.finegrained.space;

import java.util.List;

/**
 * What {@code explain} prints: one row per module and the totals.
 *
 * @param inputShape one sample's input, C, H, W
 * @param rows the top-level modules in forward order, each followed by its nested modules (depth 1, 2, ...)
 * @param params trainable parameters of the whole network
 * @param macs multiply-accumulates per sample (convolution and linear layers)
 * @param bitops Σ MACs·w·a / (32·32) when the network has a Quant module whose bit lists fit, else null
 * @param quantizableLayers paths of the quantizable convolutions, in forward order
 * @param prunableChannels widths of the prunable channel groups, in forward order
 * @param warnings problems that do not stop the analysis (a bit list whose length does not fit)
 */
public record NetworkSummary(long[] inputShape, List<Row> rows, long params, long macs, Long bitops,
                             List<String> quantizableLayers, List<Integer> prunableChannels, List<String> warnings) {

    public NetworkSummary {
        inputShape = inputShape.clone();
        rows = List.copyOf(rows);
        quantizableLayers = List.copyOf(quantizableLayers);
        prunableChannels = List.copyOf(prunableChannels);
        warnings = List.copyOf(warnings);
    }

    /** The top-level rows only. */
    public List<Row> modules() {
        return rows.stream().filter(r -> r.depth() == 0).toList();
    }

    /**
     * One module.
     *
     * @param name its dotted path ({@code resnet}, {@code resnet.layers.0})
     * @param type its module type
     * @param outputShape one sample's output
     * @param params trainable parameters
     * @param macs multiply-accumulates per sample
     * @param depth 0 for a top-level module
     */
    public record Row(String name, String type, long[] outputShape, long params, long macs, int depth) {
        public Row {
            outputShape = outputShape.clone();
        }
    }
}
