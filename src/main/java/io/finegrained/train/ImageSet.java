package io.finegrained.train;

/**
 * Labelled images as unsigned bytes, channel-major per image ({@code C×H×W}), kept compact in
 * the Java heap (full Fashion-MNIST is 47 MB this way, four times that as floats). Immutable:
 * the arrays never leave this class except as copies.
 */
public final class ImageSet {
    private final byte[] pixels;
    private final byte[] labels;
    private final int channels;
    private final int height;
    private final int width;

    ImageSet(byte[] pixels, byte[] labels, int channels, int height, int width) {
        long imageSize = (long) channels * height * width;
        if (channels < 1 || height < 1 || width < 1 || imageSize * labels.length != pixels.length) {
            throw new IllegalArgumentException("pixels do not match " + labels.length + " images of "
                    + channels + "x" + height + "x" + width);
        }
        this.pixels = pixels;
        this.labels = labels;
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    public int size() {
        return labels.length;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Pixels per image. */
    public int imageSize() {
        return channels * height * width;
    }

    /** The class index of image {@code i}. */
    public int label(int i) {
        return labels[i] & 0xFF;
    }

    /** The pixel values of image {@code i}, 0..255, {@code C×H×W} (a copy). */
    public int[] image(int i) {
        int n = imageSize();
        int[] out = new int[n];
        for (int k = 0; k < n; k++) {
            out[k] = pixels[i * n + k] & 0xFF;
        }
        return out;
    }

    /** The images at the given indices, in that order. */
    public ImageSet select(int[] indices) {
        int n = imageSize();
        byte[] p = new byte[indices.length * n];
        byte[] l = new byte[indices.length];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(pixels, indices[k] * n, p, k * n, n);
            l[k] = labels[indices[k]];
        }
        return new ImageSet(p, l, channels, height, width);
    }

    /** How many images of each class 0..classes-1. */
    public int[] classCounts(int classes) {
        int[] counts = new int[classes];
        for (byte b : labels) {
            counts[b & 0xFF]++;
        }
        return counts;
    }

    /** Per-channel mean and standard deviation of the pixels scaled to [0, 1]: {@code [mean[], std[]]}. */
    double[][] channelStatistics() {
        double[] sum = new double[channels];
        double[] sumSq = new double[channels];
        int plane = height * width;
        int n = imageSize();
        for (int i = 0; i < size(); i++) {
            for (int c = 0; c < channels; c++) {
                int base = i * n + c * plane;
                long s = 0;
                long sq = 0;
                for (int k = 0; k < plane; k++) {
                    int v = pixels[base + k] & 0xFF;
                    s += v;
                    sq += (long) v * v;
                }
                sum[c] += s;
                sumSq[c] += sq;
            }
        }
        double[] mean = new double[channels];
        double[] std = new double[channels];
        double count = (double) size() * plane;
        for (int c = 0; c < channels; c++) {
            mean[c] = count == 0 ? 0 : sum[c] / count / 255.0;
            double var = count == 0 ? 1 : sumSq[c] / count / (255.0 * 255.0) - mean[c] * mean[c];
            std[c] = Math.sqrt(Math.max(var, 1e-12));
        }
        return new double[][] {mean, std};
    }

    /** The raw pixel array (package use only: never modified). */
    byte[] pixelArray() {
        return pixels;
    }

    @Override
    public String toString() {
        return size() + " images of " + channels + "x" + height + "x" + width;
    }
}
