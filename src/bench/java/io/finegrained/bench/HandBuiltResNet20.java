package io.finegrained.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.List;

/**
 * ResNet-20 written directly with DJL's stock blocks, layer for layer the network of
 * {@code src/bench/python/step_benchmark.py}: a reference that shows what plain DJL costs, next
 * to the network the project builds from YAML.
 */
final class HandBuiltResNet20 {
    private HandBuiltResNet20() {
    }

    static Block build(int classes) {
        return build(classes, new int[] {16, 32, 64}, new int[] {16, 16, 16, 32, 32, 32, 64, 64, 64});
    }

    /**
     * The same network with other widths (a pruned ResNet-20 written by hand).
     *
     * @param stages the output width of each of the 3 stages (the stem's is the first)
     * @param inner each of the 9 blocks' inner width (its first convolution's outputs)
     */
    static Block build(int classes, int[] stages, int[] inner) {
        SequentialBlock net = new SequentialBlock()
                .add(conv(stages[0], 3, 1)).add(BatchNorm.builder().build()).add(Activation.reluBlock());
        int in = stages[0];
        for (int s = 0; s < 3; s++) {
            for (int b = 0; b < 3; b++) {
                int stride = b == 0 && s > 0 ? 2 : 1;
                net.add(basicBlock(in, inner[3 * s + b], stages[s], stride));
                in = stages[s];
            }
        }
        return net.add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(classes).build());
    }

    private static Block basicBlock(int in, int mid, int out, int stride) {
        Block main = new SequentialBlock()
                .add(conv(mid, 3, stride)).add(BatchNorm.builder().build()).add(Activation.reluBlock())
                .add(conv(out, 3, 1)).add(BatchNorm.builder().build());
        Block shortcut = in == out && stride == 1 ? Blocks.identityBlock()
                : new SequentialBlock().add(conv(out, 1, stride)).add(BatchNorm.builder().build());
        return new ParallelBlock(outputs -> {
            NDArray sum = outputs.get(0).singletonOrThrow().add(outputs.get(1).singletonOrThrow());
            return new NDList(Activation.relu(sum));
        }, List.of(main, shortcut));
    }

    private static Block conv(int filters, int kernel, int stride) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride)).optPadding(new Shape(kernel / 2, kernel / 2)).optBias(false).build();
    }
}
