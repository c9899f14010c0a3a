package io.finegrained.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A dataset in memory, split three ways, with the normalization its batches use. Immutable and
 * shared by every trial of a JVM ({@link Datasets#load}).
 */
public final class LoadedData {
    private final DatasetConfig config;
    private final ImageSet train;
    private final ImageSet validation;
    private final ImageSet test;
    private final float[] mean;
    private final float[] std;

    private LoadedData(DatasetConfig config, ImageSet train, ImageSet validation, ImageSet test, float[] mean, float[] std) {
        this.config = config;
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.mean = mean;
        this.std = std;
    }

    /**
     * Splits the training images into train and validation (class by class, shuffled with the
     * config's seed, so the split is the same in every JVM) and fixes the normalization.
     */
    static LoadedData split(DatasetConfig config, ImageSet allTrain, ImageSet test) {
        checkShape(config, allTrain, "training");
        checkShape(config, test, "test");
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < config.numClasses(); c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < allTrain.size(); i++) {
            byClass.get(allTrain.label(i)).add(i);
        }
        Random random = new Random(config.seed());
        List<Integer> held = new ArrayList<>();
        for (List<Integer> members : byClass) {
            java.util.Collections.shuffle(members, random);
            int n = (int) Math.round(members.size() * config.validation());
            held.addAll(members.subList(0, n));
        }
        boolean[] isHeld = new boolean[allTrain.size()];
        for (int i : held) {
            isHeld[i] = true;
        }
        int[] trainIdx = new int[allTrain.size() - held.size()];
        int[] validIdx = new int[held.size()];
        int t = 0;
        int v = 0;
        for (int i = 0; i < allTrain.size(); i++) {
            if (isHeld[i]) {
                validIdx[v++] = i;
            } else {
                trainIdx[t++] = i;
            }
        }
        ImageSet train = allTrain.select(trainIdx);
        ImageSet validation = allTrain.select(validIdx);
        float[] mean = new float[config.channels()];
        float[] std = new float[config.channels()];
        DatasetConfig.Normalization norm = config.normalization();
        if (!norm.enabled()) {
            Arrays.fill(std, 1f);
        } else if (!norm.mean().isEmpty()) {
            for (int c = 0; c < mean.length; c++) {
                mean[c] = norm.mean().get(c).floatValue();
                std[c] = norm.std().get(c).floatValue();
            }
        } else {
            double[][] stats = train.channelStatistics();
            for (int c = 0; c < mean.length; c++) {
                mean[c] = (float) stats[0][c];
                std[c] = (float) stats[1][c];
            }
        }
        return new LoadedData(config, train, validation, test, mean, std);
    }

    private static void checkShape(DatasetConfig config, ImageSet set, String what) {
        if (set.channels() != config.channels() || set.height() != config.height() || set.width() != config.width()) {
            throw new DatasetException(config.describe() + ": the " + what + " images are " + set.channels() + "x"
                    + set.height() + "x" + set.width() + "; expected " + config.channels() + "x" + config.height() + "x"
                    + config.width());
        }
    }

    public DatasetConfig config() {
        return config;
    }

    /** The images of one split. */
    public ImageSet split(Split which) {
        return switch (which) {
            case TRAIN -> train;
            case VALIDATION -> validation;
            case TEST -> test;
        };
    }

    /** The bytes of pixels held, all splits (what the {@link Datasets} cache counts). */
    long pixelBytes() {
        return (long) (train.size() + validation.size() + test.size()) * train.imageSize();
    }

    /** The normalization mean of channel {@code c} (pixels scaled to [0, 1]). */
    public float mean(int c) {
        return mean[c];
    }

    /** The normalization standard deviation of channel {@code c}. */
    public float std(int c) {
        return std[c];
    }

    @Override
    public String toString() {
        return config.describe() + ": " + train.size() + " train, " + validation.size() + " validation, " + test.size()
                + " test images of " + config.channels() + "x" + config.height() + "x" + config.width();
    }
}
