package io.finegrained.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchAssemblerTest {
    private static LoadedData data(DatasetConfig cfg) {
        return Datasets.load(cfg);
    }

    @Test
    void normalizesWithTheTrainingStatistics() {
        LoadedData data = data(DatasetConfig.synthetic(4, 2, 5, 5, 80, 20));
        BatchAssembler batches = new BatchAssembler(data, Split.TEST, false, 8);
        ImageSet test = data.split(Split.TEST);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = batches.images(manager, new int[] {3, 1}, 0, 2, null);
            NDArray y = batches.labels(manager, new int[] {3, 1}, 0, 2);
            assertArrayEquals(new long[] {2, 2, 5, 5}, x.getShape().getShape());
            float[] values = x.toFloatArray();
            int[] raw = test.image(3);
            for (int k = 0; k < 50; k++) {
                int c = k / 25;
                assertEquals((raw[k] / 255f - data.mean(c)) / data.std(c), values[k], 1e-5);
            }
            assertArrayEquals(new long[] {test.label(3), test.label(1)}, y.toLongArray());
        }
    }

    @Test
    void flipMirrorsAndCropShiftsWithPadding() {
        DatasetConfig base = DatasetConfig.synthetic(2, 1, 6, 6, 40, 10);
        DatasetConfig flipOnly = new DatasetConfig(base.source(), null, 1, 6, 6, 2, 0.1,
                new DatasetConfig.Normalization(false, java.util.List.of(), java.util.List.of()), 0, true, 3, 40, 10, null);
        LoadedData data = data(flipOnly);
        BatchAssembler augmented = new BatchAssembler(data, Split.TRAIN, true, 1);
        BatchAssembler plain = new BatchAssembler(data, Split.TRAIN, false, 1);
        int mirrored = 0;
        int same = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            Random random = new Random(1);
            float[] original = plain.images(manager, new int[] {0}, 0, 1, null).toFloatArray();
            for (int trial = 0; trial < 20; trial++) {
                float[] out = augmented.images(manager, new int[] {0}, 0, 1, random).toFloatArray();
                boolean isMirror = true;
                for (int y = 0; y < 6; y++) {
                    for (int x = 0; x < 6; x++) {
                        isMirror &= out[y * 6 + x] == original[y * 6 + 5 - x];
                    }
                }
                if (isMirror) {
                    mirrored++;
                } else if (java.util.Arrays.equals(out, original)) {
                    same++;
                }
            }
            assertEquals(20, mirrored + same, "a flip-only augmentation either mirrors or keeps the image");
            assertTrue(mirrored > 0 && same > 0, mirrored + " mirrored, " + same + " kept");

            DatasetConfig cropOnly = new DatasetConfig(base.source(), null, 1, 6, 6, 2, 0.1,
                    new DatasetConfig.Normalization(false, java.util.List.of(), java.util.List.of()), 2, false, 3, 40, 10, null);
            LoadedData cropData = data(cropOnly);
            BatchAssembler crop = new BatchAssembler(cropData, Split.TRAIN, true, 1);
            float[] source = new BatchAssembler(cropData, Split.TRAIN, false, 1)
                    .images(manager, new int[] {0}, 0, 1, null).toFloatArray();
            Random r = new Random(5);
            for (int trial = 0; trial < 10; trial++) {
                // replay the draw to know the shift
                Random replay = new Random(0);
                long seed = r.nextLong();
                replay.setSeed(seed);
                int dy = replay.nextInt(5) - 2;
                int dx = replay.nextInt(5) - 2;
                float[] out = crop.images(manager, new int[] {0}, 0, 1, new Random(seed)).toFloatArray();
                for (int y = 0; y < 6; y++) {
                    for (int x = 0; x < 6; x++) {
                        int sy = y + dy;
                        int sx = x + dx;
                        float expected = sy < 0 || sy >= 6 || sx < 0 || sx >= 6 ? 0f : source[sy * 6 + sx];
                        assertEquals(expected, out[y * 6 + x], 0f);
                    }
                }
            }
        }
    }
}
