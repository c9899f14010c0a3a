package io.finegrained.nn;

import ai.djl.ndarray.NDArray;

/**
 * Simulated (fake) quantization with a straight-through estimator: the forward pass sees the
 * values rounded to a b-bit grid, the backward pass treats the rounding as the identity
 * ({@code x + stopGradient(q - x)}), so the full-precision values keep learning. Nothing here
 * uses integer kernels: a quantized network runs exactly as fast as the float one.
 *
 * <p>32 bits or more leave an operand untouched. Every function is deterministic.
 */
final class FakeQuantization {
    /** Guards the division for an all-zero channel or tensor (its values stay 0). */
    private static final float TINY_SCALE = 1e-12f;

    private FakeQuantization() {
    }

    /** Whether b bits quantize at all. */
    static boolean quantizes(int bits) {
        return bits < 32;
    }

    /**
     * Weights of a convolution, {@code (out, in/groups, kh, kw)}, symmetric per output channel:
     * scale = max|w| / (2^(b-1) - 1), w_q = round(w / scale) * scale. Per output channel because
     * the filters of one layer differ in range by orders of magnitude (a per-tensor scale would
     * round the small filters to zero at 2-4 bits), and an integer kernel can apply one scale per
     * output channel at no cost. One bit is the binary case: sign(w) * mean|w| per channel.
     */
    static NDArray weights(NDArray w, int bits) {
        return weights(w, bits, true);
    }

    /** @param gradient false when no gradient is recorded (inference): q alone, four operations fewer */
    static NDArray weights(NDArray w, int bits, boolean gradient) {
        if (!quantizes(bits)) {
            return w;
        }
        NDArray[] grid = weightGrid(w, bits);
        NDArray q = grid[0].mul(grid[1]);
        return gradient ? straightThrough(w, q) : q;
    }

    /**
     * The integer form of {@link #weights}: {integers, scale}, the integers (held as floats) in
     * [-(2^(b-1) - 1), 2^(b-1) - 1] (±1 at one bit), the scale one per output channel, shaped to
     * broadcast over {@code w}; {@code integers * scale} is exactly the fake-quantized weight (the
     * same operations in the same order), which is what the quantized export relies on.
     */
    static NDArray[] weightGrid(NDArray w, int bits) {
        // One row per output channel (PyTorch's max reduces one axis at a time), then broadcast back.
        long[] perChannel = new long[w.getShape().dimension()];
        java.util.Arrays.fill(perChannel, 1);
        perChannel[0] = w.getShape().get(0);
        NDArray rows = w.abs().reshape(perChannel[0], -1);
        if (bits == 1) {
            NDArray scale = rows.mean(new int[] {1}).reshape(perChannel);
            return new NDArray[] {signOf(w), scale};
        }
        int levels = (1 << (bits - 1)) - 1;
        NDArray scale = rows.max(new int[] {1}).reshape(perChannel).div(levels).maximum(TINY_SCALE);
        return new NDArray[] {w.div(scale).round().clip(-levels, levels), scale};
    }

    /**
     * A layer's input, per tensor from the current batch's min and max: unsigned
     * (scale = max / (2^b - 1), grid 0 .. 2^b - 1) when no value is negative, as after a ReLU;
     * otherwise signed symmetric (scale = max|x| / (2^(b-1) - 1)), one bit being
     * sign(x) * mean|x|.
     */
    static NDArray activations(NDArray x, int bits) {
        return activations(x, bits, true);
    }

    /** @param gradient false when no gradient is recorded (inference): q alone */
    static NDArray activations(NDArray x, int bits, boolean gradient) {
        if (!quantizes(bits)) {
            return x;
        }
        float min = x.min().getFloat();
        float max = x.max().getFloat();
        float meanAbs = min < 0 && bits == 1 ? x.abs().mean().getFloat() : 0;
        return activations(x, ActivationGrid.of(bits, min, max, meanAbs), gradient);
    }

    /**
     * A layer's input on a given grid (a calibrated one, fixed across batches): values outside
     * the grid's range are clipped to it.
     */
    static NDArray activations(NDArray x, ActivationGrid grid, boolean gradient) {
        NDArray q = grid.binary() ? signOf(x).mul(grid.scale())
                : x.div(grid.scale()).round().clip(grid.qmin(), grid.qmax()).mul(grid.scale());
        return gradient ? straightThrough(x, q) : q;
    }

    /**
     * The integer grid of a layer's input: x_int = clip(round(x / scale), qmin, qmax), x ≈ scale *
     * x_int; the zero-point is 0 (unsigned grids start at 0, signed ones are symmetric). Binary:
     * one signed bit, x ≈ scale * sign(x) with scale = mean|x|.
     */
    record ActivationGrid(int bits, boolean signed, boolean binary, float scale, int qmin, int qmax) {
        /**
         * The grid of a tensor whose values lie in [min, max]: unsigned when min ≥ 0.
         *
         * @param meanAbs mean |x|, used for one signed bit only
         */
        static ActivationGrid of(int bits, float min, float max, float meanAbs) {
            if (min >= 0) {
                int levels = (1 << bits) - 1;
                return new ActivationGrid(bits, false, false, Math.max(max / levels, TINY_SCALE), 0, levels);
            }
            if (bits == 1) {
                return new ActivationGrid(bits, true, true, meanAbs, -1, 1);
            }
            int levels = (1 << (bits - 1)) - 1;
            return new ActivationGrid(bits, true, false, Math.max(Math.max(-min, max) / levels, TINY_SCALE), -levels, levels);
        }
    }

    /**
     * Forward: exactly q. Backward: the gradient reaches x unchanged. Written
     * {@code stopGradient(q) + (x - stopGradient(x))} rather than {@code x + stopGradient(q - x)}:
     * the second form is q only up to a rounding error, which would put extra values off the grid.
     */
    static NDArray straightThrough(NDArray x, NDArray q) {
        return q.stopGradient().add(x.sub(x.stopGradient()));
    }

    /** +1 for x >= 0, -1 otherwise (two values, unlike sign(0) = 0). */
    private static NDArray signOf(NDArray x) {
        return x.gte(0).toType(x.getDataType(), false).mul(2).sub(1);
    }
}
