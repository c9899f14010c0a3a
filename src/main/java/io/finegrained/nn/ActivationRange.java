package io.finegrained.nn;

import ai.djl.ndarray.NDArray;

/**
 * The range of one layer's input over the batches of a calibration pass, then fixed: what a
 * deployed quantized layer uses instead of each batch's own min and max (which is what training
 * and the search use, {@link FakeQuantization#activations(NDArray, int, boolean)}). Mutable,
 * one per layer, used by one forward pass at a time.
 */
final class ActivationRange {
    private float min = Float.POSITIVE_INFINITY;
    private float max = Float.NEGATIVE_INFINITY;
    private double meanAbsSum;
    private int batches;
    private boolean fixed;

    /** Widens the range to a batch's values (until {@link #fix}). */
    void observe(NDArray x) {
        if (fixed) {
            return;
        }
        min = Math.min(min, x.min().getFloat());
        max = Math.max(max, x.max().getFloat());
        meanAbsSum += x.abs().mean().getFloat();
        batches++;
    }

    /** Ends the calibration: the range no longer changes. */
    void fix() {
        fixed = true;
    }

    boolean observed() {
        return batches > 0;
    }

    float min() {
        return min;
    }

    float max() {
        return max;
    }

    int batches() {
        return batches;
    }

    /** The b-bit grid of the range seen so far (the binary case's scale: the mean |x| over the batches). */
    FakeQuantization.ActivationGrid grid(int bits) {
        if (batches == 0) {
            throw new IllegalStateException("no calibration batch went through this layer");
        }
        return FakeQuantization.ActivationGrid.of(bits, min, max, (float) (meanAbsSum / batches));
    }
}
