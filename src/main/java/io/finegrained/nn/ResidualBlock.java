package io.finegrained.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** {@code body(x) + shortcut(x)}, children named {@code body} and {@code shortcut}. */
public final class ResidualBlock extends AbstractBlock {
    private static final byte VERSION = 1;
    private final Block body;
    private final Block shortcut;

    public ResidualBlock(Block body, Block shortcut) {
        super(VERSION);
        this.body = addChildBlockNamed("body", body);
        this.shortcut = addChildBlockNamed("shortcut", shortcut);
    }

    private Block addChildBlockNamed(String name, Block block) {
        children.add(name, block);
        return block;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList a = body.forward(parameterStore, inputs, training, params);
        NDList b = shortcut.forward(parameterStore, inputs, training, params);
        return new NDList(a.singletonOrThrow().add(b.singletonOrThrow()));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        body.initialize(manager, dataType, inputShapes);
        shortcut.initialize(manager, dataType, inputShapes);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return body.getOutputShapes(inputShapes);
    }
}
