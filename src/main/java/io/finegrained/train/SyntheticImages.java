package io.finegrained.train;

import java.util.Random;

/**
 * Labelled images made from a seed, for tests and smoke runs: each class has a fixed random
 * template; an image is its class template blended with fresh noise, so a small network learns
 * the classes in an epoch or two while no two images are equal. Deterministic in the seed.
 */
final class SyntheticImages {
    private SyntheticImages() {
    }

    /**
     * Makes {@code count} images, classes in turn ({@code i % classes}).
     *
     * @param templateSeed seeds the class templates (shared by the train and test parts)
     * @param noiseSeed seeds the noise of these images
     */
    static ImageSet make(int count, int classes, int channels, int height, int width, long templateSeed, long noiseSeed) {
        int n = channels * height * width;
        Random templates = new Random(templateSeed);
        int[][] template = new int[classes][n];
        for (int c = 0; c < classes; c++) {
            for (int k = 0; k < n; k++) {
                template[c][k] = templates.nextInt(256);
            }
        }
        Random noise = new Random(noiseSeed);
        byte[] pixels = new byte[count * n];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            int label = i % classes;
            labels[i] = (byte) label;
            for (int k = 0; k < n; k++) {
                int v = (template[label][k] * 3 + noise.nextInt(256) * 2) / 5;
                pixels[i * n + k] = (byte) v;
            }
        }
        return new ImageSet(pixels, labels, channels, height, width);
    }
}
