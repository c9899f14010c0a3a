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
        // One row per output channel (PyTorch's max reduces one axis at a time), then broadcast back.
        long[] perChannel = new long[w.getShape().dimension()];
        java.util.Arrays.fill(perChannel, 1);
        perChannel[0] = w.getShape().get(0);
        NDArray rows = w.abs().reshape(perChannel[0], -1);
        NDArray q;
        if (bits == 1) {
            NDArray scale = rows.mean(new int[] {1}).reshape(perChannel);
            q = signOf(w).mul(scale);
        } else {
            int levels = (1 << (bits - 1)) - 1;
            NDArray scale = rows.max(new int[] {1}).reshape(perChannel).div(levels).maximum(TINY_SCALE);
            q = w.div(scale).round().clip(-levels, levels).mul(scale);
        }
        return gradient ? straightThrough(w, q) : q;
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
        NDArray q;
        if (min >= 0) {
            int levels = (1 << bits) - 1;
            float scale = Math.max(max / levels, TINY_SCALE);
            q = x.div(scale).round().clip(0, levels).mul(scale);
        } else if (bits == 1) {
            q = signOf(x).mul(x.abs().mean());
        } else {
            int levels = (1 << (bits - 1)) - 1;
            float scale = Math.max(Math.max(-min, max) / levels, TINY_SCALE);
            q = x.div(scale).round().clip(-levels, levels).mul(scale);
        }
        return gradient ? straightThrough(x, q) : q;
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
