package io.finegrained.space.modules;

import io.finegrained.space.ModuleSpec;
import io.finegrained.space.Origin;
import io.finegrained.space.SpecException;
import io.finegrained.space.TensorShape;

/** Checks of widths written in a file against the channels that come in. */
public final class Widths {
    private Widths() {
    }

    /**
     * The width a module takes in: the value of {@code param} when written (checked against the
     * incoming channels when those are known), else the incoming channels (possibly unknown).
     */
    public static long incoming(ModuleSpec spec, String param, TensorShape input) {
        long in = input.channels();
        if (!spec.has(param)) {
            return in;
        }
        long written = spec.getLong(param);
        if (in != TensorShape.UNKNOWN && written != in) {
            throw new SpecException(param, param + " is " + written + " but " + in + " channels come in (set by "
                    + input.channelsFrom() + ")");
        }
        return written;
    }

    /** The key path a value was written at, or a description when code made it. */
    public static String source(ModuleSpec spec, String param, String fallback) {
        Origin o = spec.origin(param);
        return o != null ? o.keyPath() : fallback;
    }

    /** Requires an image input. */
    public static void requireImage(String module, TensorShape input) {
        if (!input.isImage()) {
            throw new SpecException(null, module + " needs an image input [C, H, W], but " + input + " comes in");
        }
    }

    /** One spatial output size of a sliding window, or a located error when the input is too small. */
    public static long window(String module, long size, long kernel, long stride, long padding) {
        if (size == TensorShape.UNKNOWN) {
            return TensorShape.UNKNOWN;
        }
        long out = Math.floorDiv(size + 2 * padding - kernel, stride) + 1;
        if (out < 1) {
            throw new SpecException("kernel_size", module + ": the input size " + size + " is too small for kernel "
                    + kernel + " with padding " + padding);
        }
        return out;
    }
}
