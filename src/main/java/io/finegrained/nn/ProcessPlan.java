package io.finegrained.nn;

import io.finegrained.space.Layer;
import io.finegrained.space.ProcessModules;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the process modules do to the built network, operator by operator (keyed by layer
 * path): the bit widths of each quantizable convolution below 32 bits and the keep-mask of each
 * operator whose output channels form a prunable group and lose some, as
 * {@link ProcessModules} reads them from the modules found by their role.
 *
 * <p>Consistent with {@link io.finegrained.space.NetworkAnalyzer}: lists that do not fit the network (the seed's
 * 20-entry lists on ResNet-18's 19 layers, masks of the wrong widths) are not applied, just as
 * they are left out of the counts (bit-ops not counted, params/MACs unpruned) and warned about by
 * {@code explain}. Lists given by the search never get here unfitting: {@link io.finegrained.space.NetworkAnalysis}
 * refuses the candidate first.
 */
final class ProcessPlan {
    /** The plan of a network without (fitting) process modules: the network as written. */
    static final ProcessPlan NONE = new ProcessPlan(Map.of(), Map.of());

    /** Weight and activation bits, by path, of the quantizable convolutions below 32 bits. */
    private final Map<String, int[]> bits;
    /** Keep-masks, by path, of the Conv2d, BatchNorm2d and Linear outputs a Prune removes channels of. */
    private final Map<String, ChannelMask> masks;

    private ProcessPlan(Map<String, int[]> bits, Map<String, ChannelMask> masks) {
        this.bits = bits;
        this.masks = masks;
    }

    static ProcessPlan of(Layer root) {
        Map<String, int[]> bits = new HashMap<>();
        ProcessModules.bitWidths(root).forEach((path, wa) -> {
            int wb = (int) Math.min(32, wa[0]);
            int ab = (int) Math.min(32, wa[1]);
            if (FakeQuantization.quantizes(wb) || FakeQuantization.quantizes(ab)) {
                bits.put(path, new int[] {wb, ab});
            }
        });
        Map<String, ChannelMask> masks = new HashMap<>();
        ProcessModules.keepMasks(root).forEach((path, mask) -> {
            if (mask.contains(0L)) {
                masks.put(path, new ChannelMask(toFloats(mask)));
            }
        });
        return bits.isEmpty() && masks.isEmpty() ? NONE : new ProcessPlan(Map.copyOf(bits), Map.copyOf(masks));
    }

    /** {weight bits, activation bits} of a convolution, or null when it stays at full precision. */
    int[] bits(Layer layer) {
        return bits.get(layer.path());
    }

    /** The keep-mask of an operator's output, or null. */
    ChannelMask mask(Layer layer) {
        return masks.get(layer.path());
    }

    /** The paths of every masked operator. */
    java.util.Set<String> maskedPaths() {
        return masks.keySet();
    }

    private static float[] toFloats(List<Long> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
