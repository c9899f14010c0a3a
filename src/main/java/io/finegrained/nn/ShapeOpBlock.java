package io.finegrained.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.function.UnaryOperator;

/**
 * A block without parameters: a function of its one input and its shape rule, both explicit, so
 * shapes are known without running anything (DJL's LambdaBlock infers them by running the
 * function on dummy arrays).
 */
public final class ShapeOpBlock extends AbstractBlock {
    private static final byte VERSION = 1;
    private final String name;
    private final UnaryOperator<NDArray> function;
    private final UnaryOperator<Shape> shapeRule;

    public ShapeOpBlock(String name, UnaryOperator<NDArray> function, UnaryOperator<Shape> shapeRule) {
        super(VERSION);
        this.name = name;
        this.function = function;
        this.shapeRule = shapeRule;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(function.apply(inputs.singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {shapeRule.apply(inputShapes[0])};
    }

    @Override
    public String toString() {
        return name + "()";
    }
}
