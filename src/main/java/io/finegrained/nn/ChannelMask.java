package io.finegrained.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * A constant 0/1 keep-mask over the channels (axis 1) of an activation: a pruned channel's
 * values become 0, and so does every gradient through them, so the network computes what the
 * network without those channels computes.
 */
final class ChannelMask {
    private final float[] keep;

    ChannelMask(float[] keep) {
        this.keep = keep.clone();
    }

    NDArray apply(NDArray x) {
        Shape shape = x.getShape();
        if (shape.dimension() < 2 || shape.get(1) != keep.length) {
            throw new IllegalStateException("a mask of " + keep.length + " channels cannot apply to an activation of shape " + shape);
        }
        long[] broadcast = new long[shape.dimension()];
        java.util.Arrays.fill(broadcast, 1);
        broadcast[1] = keep.length;
        // Created on the batch's manager (closed with the batch), in the activation's type.
        NDArray m = x.getManager().create(keep, new Shape(broadcast)).toType(x.getDataType(), false);
        return x.mul(m);
    }

    int kept() {
        int n = 0;
        for (float k : keep) {
            n += k != 0 ? 1 : 0;
        }
        return n;
    }

    @Override
    public String toString() {
        return "mask " + kept() + "/" + keep.length;
    }
}
