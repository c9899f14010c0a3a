package io.finegrained.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A {@link ai.djl.nn.convolutional.Conv2d} with the process modules applied: its input and
 * weights fake-quantized ({@link FakeQuantization}) and its output channels multiplied by a
 * constant 0/1 keep-mask. A subclass rather than a wrapper so its parameters keep the plain
 * convolution's names ({@code ..._conv1_weight}) and initialization.
 */
final class ProcessedConv2d extends ai.djl.nn.convolutional.Conv2d {
    private final int weightBits;
    private final int activationBits;
    private final ChannelMask mask;
    /** Set during and after a calibration pass ({@link QuantizedExport}); null: each batch's own range. */
    private volatile ActivationRange calibration;

    /**
     * @param weightBits 32 (or more) for full precision
     * @param activationBits 32 (or more) for full precision
     * @param mask null for no mask
     */
    ProcessedConv2d(Builder builder, int weightBits, int activationBits, ChannelMask mask) {
        super(builder);
        this.weightBits = weightBits;
        this.activationBits = activationBits;
        this.mask = mask;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        Device device = input.getDevice();
        NDArray w = parameterStore.getValue(weight, device, training);
        NDArray b = parameterStore.getValue(bias, device, training);
        // Scoring (training false) records no gradient: the straight-through part can go.
        ActivationRange range = calibration;
        NDArray x;
        if (training || range == null || !FakeQuantization.quantizes(activationBits)) {
            x = FakeQuantization.activations(input, activationBits, training);
        } else {
            // Calibrating (the range grows with each batch) or calibrated (fixed): inference only.
            range.observe(input);
            x = FakeQuantization.activations(input, range.grid(activationBits), false);
        }
        NDArray q = FakeQuantization.weights(w, weightBits, training);
        NDArray out = conv2d(x, q, b, stride, padding, dilation, groups).singletonOrThrow();
        return new NDList(mask == null ? out : mask.apply(out));
    }

    int weightBits() {
        return weightBits;
    }

    int activationBits() {
        return activationBits;
    }

    ai.djl.nn.Parameter weightParameter() {
        return weight;
    }

    /** Null when the convolution has no bias. */
    ai.djl.nn.Parameter biasParameter() {
        return bias;
    }

    /** Inference then uses this range for the input (training never does); null to go back to each batch's range. */
    void calibrate(ActivationRange range) {
        this.calibration = range;
    }

    ActivationRange calibration() {
        return calibration;
    }

    @Override
    public String toString() {
        return "ProcessedConv2d(w" + weightBits + "/a" + activationBits + (mask == null ? "" : ", " + mask) + ")";
    }
}
