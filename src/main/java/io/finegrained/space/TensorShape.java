package io.finegrained.space;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The shape of one sample flowing through a network, without the batch axis: {@code [C, H, W]}
 * for images, {@code [F]} for features. A dimension of {@link #UNKNOWN} is not known yet
 * (validating a space before the input shape is chosen); arithmetic keeps it unknown.
 *
 * <p>{@link #channelsFrom()} names the key that set the channel count (for error messages that
 * name both sides of a width that does not fit).
 */
public final class TensorShape implements Serializable {
    public static final long UNKNOWN = -1;

    private final long[] dims;
    private final String channelsFrom;

    private TensorShape(long[] dims, String channelsFrom) {
        this.dims = dims.clone();
        this.channelsFrom = channelsFrom;
    }

    public static TensorShape of(String channelsFrom, long... dims) {
        return new TensorShape(dims, channelsFrom);
    }

    /** A C,H,W image shape; any dimension may be {@link #UNKNOWN}. */
    public static TensorShape image(long channels, long height, long width, String channelsFrom) {
        return new TensorShape(new long[] {channels, height, width}, channelsFrom);
    }

    public int rank() {
        return dims.length;
    }

    public long dim(int i) {
        return dims[i];
    }

    public long[] dims() {
        return dims.clone();
    }

    /** The channel (first) dimension. */
    public long channels() {
        return dims[0];
    }

    public boolean isImage() {
        return dims.length == 3;
    }

    /** True when no dimension is unknown. */
    public boolean isKnown() {
        for (long d : dims) {
            if (d == UNKNOWN) {
                return false;
            }
        }
        return true;
    }

    /** The number of values per sample, or {@link #UNKNOWN}. */
    public long size() {
        long n = 1;
        for (long d : dims) {
            if (d == UNKNOWN) {
                return UNKNOWN;
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Height times width of an image shape, or {@link #UNKNOWN}. */
    public long area() {
        if (dims.length != 3 || dims[1] == UNKNOWN || dims[2] == UNKNOWN) {
            return UNKNOWN;
        }
        return dims[1] * dims[2];
    }

    public String channelsFrom() {
        return channelsFrom;
    }

    public TensorShape withChannels(long channels, String from) {
        long[] d = dims.clone();
        d[0] = channels;
        return new TensorShape(d, from);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorShape t && Arrays.equals(dims, t.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** {@code [3, 32, 32]}, unknown dimensions as {@code ?}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(dims[i] == UNKNOWN ? "?" : Long.toString(dims[i]));
        }
        return sb.append(']').toString();
    }
}
