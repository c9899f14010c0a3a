package io.finegrained.space;

/**
 * A primitive module: a shape rule and the counts of ARCHITECTURE.md (params = trainable
 * parameters, MACs = multiply-accumulates of convolution and linear layers for one sample).
 * Pure arithmetic; when a dimension the count needs is {@link TensorShape#UNKNOWN}, return
 * {@link TensorShape#UNKNOWN} for that count.
 */
public interface OperatorType extends ModuleType {

    /** The output shape, or {@link SpecException} when the input does not fit. */
    TensorShape outputShape(ModuleSpec spec, TensorShape input);

    /** Trainable parameters. */
    default long params(ModuleSpec spec, TensorShape input) {
        return 0;
    }

    /** Multiply-accumulates for one sample (convolution and linear layers only). */
    default long macs(ModuleSpec spec, TensorShape input) {
        return 0;
    }
}
