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
        SequentialBlock net = new SequentialBlock()
                .add(conv(16, 3, 1)).add(BatchNorm.builder().build()).add(Activation.reluBlock());
        int in = 16;
        for (int[] stage : new int[][] {{16, 1}, {32, 2}, {64, 2}}) {
            for (int b = 0; b < 3; b++) {
                int stride = b == 0 ? stage[1] : 1;
                net.add(basicBlock(in, stage[0], stride));
                in = stage[0];
            }
        }
        return net.add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(classes).build());
    }

    private static Block basicBlock(int in, int out, int stride) {
        Block main = new SequentialBlock()
                .add(conv(out, 3, stride)).add(BatchNorm.builder().build()).add(Activation.reluBlock())
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
