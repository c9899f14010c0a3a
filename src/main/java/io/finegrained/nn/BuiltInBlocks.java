package io.finegrained.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import io.finegrained.space.Layer;
import io.finegrained.space.ModuleSpec;
import java.util.List;
import java.util.function.Function;

/** DJL blocks of the built-in operators. */
final class BuiltInBlocks {
    private BuiltInBlocks() {
    }

    static List<BlockFactory> all() {
        return List.of(
                factory("Conv2d", BuiltInBlocks::conv2d),
                factory("BatchNorm2d", BuiltInBlocks::batchNorm),
                factory("ReLU", l -> Activation.reluBlock()),
                factory("Identity", l -> identity("Identity")),
                factory("Quant", l -> identity("Quant")),
                factory("Prune", l -> identity("Prune")),
                factory("MaxPool2d", BuiltInBlocks::maxPool),
                factory("AdaptiveAvgPool2d", BuiltInBlocks::adaptiveAvgPool),
                factory("View", l -> new ShapeOpBlock("View", x -> x.reshape(x.getShape().get(0), -1),
                        s -> new Shape(s.get(0), s.size() / s.get(0)))),
                factory("Linear", BuiltInBlocks::linear));
    }

    private static BlockFactory factory(String type, Function<Layer, Block> build) {
        return new BlockFactory() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public Block build(Layer layer) {
                return build.apply(layer);
            }
        };
    }

    private static Block identity(String name) {
        return new ShapeOpBlock(name, x -> x, s -> s);
    }

    private static Shape pair(ModuleSpec spec, String key) {
        List<Long> p = spec.getLongList(key);
        return new Shape(p.get(0), p.get(1));
    }

    private static Block conv2d(Layer layer) {
        return conv2dBuilder(layer).build();
    }

    /** The convolution a Conv2d layer describes, ready to build (plain, or as a {@link ProcessedConv2d}). */
    static Conv2d.Builder conv2dBuilder(Layer layer) {
        ModuleSpec s = layer.spec();
        return Conv2d.builder()
                .setFilters(s.getInt("out_channels"))
                .setKernelShape(pair(s, "kernel_size"))
                .optStride(pair(s, "stride"))
                .optPadding(pair(s, "padding"))
                .optGroups(s.getInt("groups"))
                .optBias(s.getBool("bias"));
    }

    private static Block batchNorm(Layer layer) {
        ModuleSpec s = layer.spec();
        // DJL's momentum weighs the old running value; PyTorch's (written in the file) the new one.
        return BatchNorm.builder()
                .optAxis(1)
                .optEpsilon(((Double) s.get("eps")).floatValue())
                .optMomentum(1f - ((Double) s.get("momentum")).floatValue())
                .build();
    }

    private static Block maxPool(Layer layer) {
        ModuleSpec s = layer.spec();
        Shape kernel = pair(s, "kernel_size");
        Shape stride = s.has("stride") ? pair(s, "stride") : kernel;
        return Pool.maxPool2dBlock(kernel, stride, pair(s, "padding"));
    }

    private static Block adaptiveAvgPool(Layer layer) {
        List<Long> size = layer.spec().getLongList("output_size");
        long oh = size.get(0);
        long ow = size.get(1);
        if (oh == 1 && ow == 1) {
            return new ShapeOpBlock("AdaptiveAvgPool2d", x -> x.mean(new int[] {3}, true).mean(new int[] {2}, true),
                    s -> new Shape(s.get(0), s.get(1), 1, 1));
        }
        // The space checked that the input divides the output size: plain average pooling.
        long kh = layer.input().dim(1) / oh;
        long kw = layer.input().dim(2) / ow;
        Shape k = new Shape(kh, kw);
        return new ShapeOpBlock("AdaptiveAvgPool2d", (NDArray x) -> Pool.avgPool2d(x, k, k, new Shape(0, 0), false, true),
                s -> new Shape(s.get(0), s.get(1), oh, ow));
    }

    private static Block linear(Layer layer) {
        return linear(layer, layer.spec().getLong("out_features"));
    }

    /** The linear layer a Linear layer describes, with {@code units} outputs (fewer in a pruned network). */
    static Block linear(Layer layer, long units) {
        return Linear.builder().setUnits(units).optBias(layer.spec().getBool("bias")).build();
    }
}
