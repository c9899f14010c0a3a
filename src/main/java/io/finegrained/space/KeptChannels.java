package io.finegrained.space;

/**
 * The channels a Prune keeps of one convolution, BatchNorm or linear layer: which of its input
 * and output channels remain in the narrow network, as indexes into the unpruned widths. What the
 * builder sizes the narrow layer by and what copies a parent's weights into it.
 *
 * @param path the layer's dotted path ({@code resnet.layers.3.add.body.conv1})
 * @param type its operator type ({@code Conv2d}, {@code BatchNorm2d}, {@code Linear})
 * @param in kept input channels in increasing order, or null when every input channel stays
 * @param out kept output channels in increasing order, or null when every output channel stays
 *     (for a BatchNorm the same as {@code in})
 * @param inWidth the unpruned input width (channels)
 * @param outWidth the unpruned output width
 * @param spatial input features per input channel (a Linear after a flatten: H·W; else 1)
 */
public record KeptChannels(String path, String type, int[] in, int[] out, long inWidth, long outWidth, long spatial) {
    public KeptChannels {
        in = in == null ? null : in.clone();
        out = out == null ? null : out.clone();
    }

    /** The narrow output width. */
    public long keptOut() {
        return out == null ? outWidth : out.length;
    }

    /** The narrow input width. */
    public long keptIn() {
        return in == null ? inWidth : in.length;
    }
}
