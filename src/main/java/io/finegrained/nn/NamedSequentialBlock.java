package io.finegrained.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.HashMap;
import java.util.Map;

/**
 * Children applied in order, each named after its YAML id (not its position, unlike DJL's
 * {@code SequentialBlock}), so parameter names such as {@code layer_3_add_body_conv1_weight}
 * survive edits elsewhere in the space.
 */
public final class NamedSequentialBlock extends AbstractBlock {
    private static final byte VERSION = 1;
    /** Prune keep-masks applied to some children's outputs (none in a network without Prune). */
    private final Map<String, ChannelMask> masksAfter = new HashMap<>();

    public NamedSequentialBlock() {
        super(VERSION);
    }

    /** Adds a child under its id; returns this block. */
    public NamedSequentialBlock add(String name, Block block) {
        if (children.contains(name)) {
            throw new IllegalArgumentException("a child named '" + name + "' exists already");
        }
        children.add(name, block);
        return this;
    }

    /** Multiplies the output of the child of that name by a constant channel keep-mask. */
    NamedSequentialBlock maskAfter(String name, ChannelMask mask) {
        if (!children.contains(name)) {
            throw new IllegalArgumentException("no child named '" + name + "'");
        }
        masksAfter.put(name, mask);
        return this;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList current = inputs;
        for (Pair<String, Block> child : children) {
            current = child.getValue().forward(parameterStore, current, training, params);
            if (!masksAfter.isEmpty()) {
                ChannelMask mask = masksAfter.get(child.getKey());
                if (mask != null) {
                    current = new NDList(mask.apply(current.singletonOrThrow()));
                }
            }
        }
        return current;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block child : children.values()) {
            child.initialize(manager, dataType, shapes);
            shapes = child.getOutputShapes(shapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block child : children.values()) {
            shapes = child.getOutputShapes(shapes);
        }
        return shapes;
    }
}
