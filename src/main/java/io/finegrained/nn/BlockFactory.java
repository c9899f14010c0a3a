package io.finegrained.nn;

import ai.djl.nn.Block;
import io.finegrained.space.Layer;

/**
 * Builds the DJL block of one operator type. The built-ins cover the operators of
 * {@code io.finegrained.space.modules.Operators}; a user operator registers its factory in
 * {@code META-INF/services/io.finegrained.nn.BlockFactory} beside its
 * {@code io.finegrained.space.ModuleType}.
 */
public interface BlockFactory {

    /** The operator type name this factory builds. */
    String type();

    /**
     * A new, uninitialized block for the operator layer (its spec holds the values with defaults
     * filled in; its input and output shapes are known).
     */
    Block build(Layer layer);
}
