package io.finegrained.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Random;

/**
 * Turns images of one split into batch arrays: normalized floats {@code N×C×H×W} and int64 labels,
 * with the random crop and flip augmentation when asked. Pixels are written into one direct
 * buffer reused for every batch; libtorch reads a CPU tensor straight from that buffer, so each
 * batch's arrays must be closed (their sub-manager closed) before the next batch is assembled.
 * Not thread-safe: one per training loop.
 */
final class BatchAssembler {
    private final ImageSet set;
    private final int channels;
    private final int height;
    private final int width;
    private final float[][] lookup;
    private final int crop;
    private final boolean flip;
    private final ByteBuffer pixelBytes;
    private final ByteBuffer labelBytes;

    /**
     * @param augment whether this split gets the dataset's augmentation (training only)
     * @param maxBatch the largest batch asked for
     */
    BatchAssembler(LoadedData data, Split split, boolean augment, int maxBatch) {
        this.set = data.split(split);
        this.channels = set.channels();
        this.height = set.height();
        this.width = set.width();
        this.crop = augment ? data.config().randomCrop() : 0;
        this.flip = augment && data.config().randomFlip();
        // Normalization as a table: 256 possible values per channel.
        this.lookup = new float[channels][256];
        for (int c = 0; c < channels; c++) {
            for (int v = 0; v < 256; v++) {
                lookup[c][v] = (v / 255f - data.mean(c)) / data.std(c);
            }
        }
        int batch = Math.max(1, Math.min(maxBatch, Math.max(1, set.size())));
        this.pixelBytes = ByteBuffer.allocateDirect(batch * set.imageSize() * Float.BYTES).order(ByteOrder.nativeOrder());
        this.labelBytes = ByteBuffer.allocateDirect(batch * Long.BYTES).order(ByteOrder.nativeOrder());
    }

    ImageSet set() {
        return set;
    }

    /**
     * The images {@code order[from .. from+count)} as one array in {@code manager}.
     *
     * @param random draws the augmentation; ignored when this split is not augmented
     */
    NDArray images(NDManager manager, int[] order, int from, int count, Random random) {
        FloatBuffer out = pixelBytes.clear().asFloatBuffer();
        byte[] pixels = set.pixelArray();
        int plane = height * width;
        int imageSize = set.imageSize();
        float[] row = new float[width];
        for (int k = 0; k < count; k++) {
            int base = order[from + k] * imageSize;
            int dy = 0;
            int dx = 0;
            boolean mirror = false;
            if (crop > 0) {
                dy = random.nextInt(2 * crop + 1) - crop;
                dx = random.nextInt(2 * crop + 1) - crop;
            }
            if (flip) {
                mirror = random.nextBoolean();
            }
            for (int c = 0; c < channels; c++) {
                float[] table = lookup[c];
                float padding = table[0];
                int channelBase = base + c * plane;
                for (int y = 0; y < height; y++) {
                    int sy = y + dy;
                    for (int x = 0; x < width; x++) {
                        int sx = (mirror ? width - 1 - x : x) + dx;
                        row[x] = sy < 0 || sy >= height || sx < 0 || sx >= width
                                ? padding : table[pixels[channelBase + sy * width + sx] & 0xFF];
                    }
                    out.put(row);
                }
            }
        }
        ByteBuffer bytes = pixelBytes.duplicate().order(ByteOrder.nativeOrder());
        bytes.limit(count * imageSize * Float.BYTES);
        return manager.create(bytes, new Shape(count, channels, height, width), DataType.FLOAT32);
    }

    /** The labels of {@code order[from .. from+count)} as an int64 array in {@code manager}. */
    NDArray labels(NDManager manager, int[] order, int from, int count) {
        LongBuffer out = labelBytes.clear().asLongBuffer();
        for (int k = 0; k < count; k++) {
            out.put(set.label(order[from + k]));
        }
        ByteBuffer bytes = labelBytes.duplicate().order(ByteOrder.nativeOrder());
        bytes.limit(count * Long.BYTES);
        return manager.create(bytes, new Shape(count), DataType.INT64);
    }
}
