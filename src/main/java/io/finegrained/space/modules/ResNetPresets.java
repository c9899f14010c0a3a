package io.finegrained.space.modules;

import java.util.List;
import java.util.Map;

/** The standard ResNet depths: blocks per stage, block type, expansion. */
public record ResNetPresets(List<Long> layerReps, String block, long expansion) {
    public static final Map<Long, ResNetPresets> BY_DEPTH = Map.of(
            18L, new ResNetPresets(List.of(2L, 2L, 2L, 2L), "BasicBlock", 1),
            34L, new ResNetPresets(List.of(3L, 4L, 6L, 3L), "BasicBlock", 1),
            50L, new ResNetPresets(List.of(3L, 4L, 6L, 3L), "BottleneckBlock", 4),
            101L, new ResNetPresets(List.of(3L, 4L, 23L, 3L), "BottleneckBlock", 4),
            152L, new ResNetPresets(List.of(3L, 8L, 36L, 3L), "BottleneckBlock", 4));

    public static final String DEPTHS = "18, 34, 50, 101, 152";

    public long blocks() {
        return layerReps.stream().mapToLong(Long::longValue).sum();
    }
}
