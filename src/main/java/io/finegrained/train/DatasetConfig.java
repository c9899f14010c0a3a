package io.finegrained.train;

import io.finegrained.config.ConfigException;
import io.finegrained.config.ConfigNode;
import io.finegrained.config.ListNode;
import io.finegrained.config.MapNode;
import io.finegrained.config.Nodes;
import io.finegrained.config.ScalarNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which images a job trains on and how they are prepared: the {@code dataset} section. Immutable;
 * two equal configs name the same data (so {@link Datasets#load} caches by it). Sections:
 * <pre>
 * dataset:
 *   source: embedded     # embedded (default), idx, cifar10, synthetic
 *   path: /usr/share/datasets/fashion-mnist   # idx, cifar10; relative to the job file
 *   validation: 0.1      # fraction of the training images held out (class-stratified)
 *   normalize: true      # per-channel, statistics of the training split; or {mean: [...], std: [...]}; false = only /255
 *   random_crop: 0       # pad-and-crop augmentation in pixels (cifar10 default 4)
 *   random_flip: false   # horizontal flip augmentation (cifar10 default true)
 *   seed: 0              # choice of the validation images
 *   classes: 10          # idx, synthetic
 *   shape: [1, 28, 28]   # synthetic
 *   train_size: 1024     # synthetic
 *   test_size: 256       # synthetic
 * </pre>
 *
 * @param source where the images come from
 * @param path the folder of an {@code idx} or {@code cifar10} source, else null
 * @param channels image channels (known before loading: read from the file header)
 * @param height image height
 * @param width image width
 * @param numClasses number of classes; labels must be below it
 * @param validation fraction of training images held out as the validation split, in [0, 0.9]
 * @param normalization how pixels are normalized
 * @param randomCrop padding of the random-crop augmentation in pixels, 0 = off
 * @param randomFlip whether training images are flipped left-right at random
 * @param seed seeds the choice of validation images
 * @param trainSize images in the training part (synthetic; 0 for other sources)
 * @param testSize images in the test part (synthetic; 0 for other sources)
 */
public record DatasetConfig(Source source, Path path, int channels, int height, int width, int numClasses,
        double validation, Normalization normalization, int randomCrop, boolean randomFlip, long seed,
        int trainSize, int testSize) {

    static final List<String> KEYS = List.of("source", "path", "validation", "normalize", "random_crop", "random_flip",
            "seed", "classes", "shape", "train_size", "test_size");
    private static final String SECTION = "dataset";

    /** Where images come from. */
    public enum Source {
        /** The Fashion-MNIST subset shipped in the jar (10,000 train + 2,000 test images). */
        EMBEDDED,
        /** MNIST-style IDX files (Fashion-MNIST, MNIST), gzipped or not, in a folder. */
        IDX,
        /** CIFAR-10 binary batches in a folder. */
        CIFAR10,
        /** Images generated from a seed (tests). */
        SYNTHETIC
    }

    /**
     * Pixel normalization: {@code (x/255 - mean[c]) / std[c]}.
     *
     * @param enabled false: pixels are only scaled to [0, 1]
     * @param mean per-channel means, or empty to take them from the training split
     * @param std per-channel standard deviations, or empty to take them from the training split
     */
    public record Normalization(boolean enabled, List<Double> mean, List<Double> std) {
        public Normalization {
            mean = List.copyOf(mean);
            std = List.copyOf(std);
        }

        /** Statistics of the training split. */
        public static Normalization fromTrainingData() {
            return new Normalization(true, List.of(), List.of());
        }
    }

    public DatasetConfig {
        require(source != null, "source", "is required");
        require((source == Source.IDX || source == Source.CIFAR10) == (path != null), "path",
                path == null ? "is required for source " + lower(source) : "is only for the idx and cifar10 sources");
        require(channels >= 1 && height >= 1 && width >= 1, "shape", "must be three positive sizes [C, H, W]");
        require(numClasses >= 2 && numClasses <= 256, "classes", "must be between 2 and 256, found " + numClasses);
        require(validation >= 0 && validation <= 0.9, "validation", "must be a fraction in [0, 0.9], found " + validation);
        require(normalization != null, "normalize", "is required");
        require(normalization.mean().size() == normalization.std().size()
                && (normalization.mean().isEmpty() || normalization.mean().size() == channels), "normalize",
                "needs one mean and one std per channel (" + channels + ")");
        for (double s : normalization.std()) {
            require(s > 0, "normalize", "std values must be positive, found " + s);
        }
        require(randomCrop >= 0 && randomCrop < Math.min(height, width), "random_crop",
                "must be in [0, " + Math.min(height, width) + "), found " + randomCrop);
        require(source != Source.SYNTHETIC || trainSize >= 2 && testSize >= 1, "train_size",
                "synthetic data needs train_size >= 2 and test_size >= 1");
    }

    /** The embedded Fashion-MNIST subset with the default preparation: what an empty section means. */
    public static DatasetConfig embedded() {
        return new DatasetConfig(Source.EMBEDDED, null, 1, 28, 28, 10, 0.1, Normalization.fromTrainingData(), 0, false, 0, 0, 0);
    }

    /** IDX files in a folder (their header is read now, for the image size). */
    public static DatasetConfig idx(Path folder) {
        int[] header = IdxFiles.imageHeader(IdxFiles.locate(folder, IdxFiles.TRAIN_IMAGES));
        return new DatasetConfig(Source.IDX, folder, 1, header[1], header[2], 10, 0.1, Normalization.fromTrainingData(), 0,
                false, 0, 0, 0);
    }

    /** CIFAR-10 binary batches in a folder, with the usual crop (4) and flip augmentation. */
    public static DatasetConfig cifar10(Path folder) {
        Cifar10Files.checkPresent(folder);
        return new DatasetConfig(Source.CIFAR10, folder, 3, 32, 32, 10, 0.1, Normalization.fromTrainingData(), 4, true, 0, 0, 0);
    }

    /** Synthetic images ({@link SyntheticImages}). */
    public static DatasetConfig synthetic(int classes, int channels, int height, int width, int trainSize, int testSize) {
        return new DatasetConfig(Source.SYNTHETIC, null, channels, height, width, classes, 0.1, Normalization.fromTrainingData(),
                0, false, 0, trainSize, testSize);
    }

    /** A copy holding out another fraction of the training images for validation. */
    public DatasetConfig withValidation(double fraction) {
        return new DatasetConfig(source, path, channels, height, width, numClasses, fraction, normalization, randomCrop,
                randomFlip, seed, trainSize, testSize);
    }

    /** {@code [C, H, W]} of one image: the network's input shape. */
    public long[] inputShape() {
        return new long[] {channels, height, width};
    }

    /** A short human description ("idx files in /data/fmnist"). */
    public String describe() {
        return switch (source) {
            case EMBEDDED -> "the embedded Fashion-MNIST subset";
            case IDX -> "IDX files in " + path;
            case CIFAR10 -> "CIFAR-10 in " + path;
            case SYNTHETIC -> "synthetic images";
        };
    }

    /**
     * Reads the {@code dataset} section; an empty one is {@link #embedded()}. Relative paths
     * resolve against {@code configDir}. A wrong key or value, and a missing or unreadable data
     * file, are {@link ConfigException}s located at the key.
     */
    public static DatasetConfig from(MapNode section, Path configDir) {
        section.checkKeys(KEYS, "the dataset section");
        String sourceName = section.optString("source", section.has("path") ? null : "embedded");
        if (sourceName == null) {
            throw new ConfigException(section.keyLocation("path"), section.childPath("source"),
                    "a dataset with a path needs 'source: idx' (Fashion-MNIST/MNIST files) or 'source: cifar10'");
        }
        Source source = parseSource(section, sourceName);
        DatasetConfig base;
        try {
            base = switch (source) {
                case EMBEDDED -> embedded();
                case IDX -> idx(requirePath(section, configDir));
                case CIFAR10 -> cifar10(requirePath(section, configDir));
                case SYNTHETIC -> synthetic(10, 1, 28, 28, 1024, 256);
            };
        } catch (DatasetException e) {
            throw new ConfigException(section.get("path").map(ConfigNode::location).orElse(section.location()),
                    section.childPath("path"), e.getMessage());
        }
        checkOnlyFor(section, "path", source == Source.IDX || source == Source.CIFAR10, "the idx and cifar10 sources");
        checkOnlyFor(section, "classes", source == Source.IDX || source == Source.SYNTHETIC, "the idx and synthetic sources");
        for (String key : List.of("shape", "train_size", "test_size")) {
            checkOnlyFor(section, key, source == Source.SYNTHETIC, "the synthetic source");
        }
        int channels = base.channels();
        int height = base.height();
        int width = base.width();
        if (section.has("shape")) {
            ListNode shape = section.optList("shape").orElseThrow();
            if (shape.size() != 3) {
                throw ConfigException.at(shape, "expected [channels, height, width], found a list of " + shape.size());
            }
            List<Integer> s = shape.asIntList();
            channels = s.get(0);
            height = s.get(1);
            width = s.get(2);
        }
        try {
            return new DatasetConfig(source, base.path(), channels, height, width,
                    section.optInt("classes", base.numClasses()),
                    section.optDouble("validation", base.validation()),
                    normalization(section, base.normalization()),
                    section.optInt("random_crop", base.randomCrop()),
                    section.optBoolean("random_flip", base.randomFlip()),
                    section.optLong("seed", base.seed()),
                    section.optInt("train_size", base.trainSize()),
                    section.optInt("test_size", base.testSize()));
        } catch (SettingException e) {
            String key = e.key().equals("shape") && !section.has("shape") ? "source" : e.key();
            ConfigNode at = section.get(key).orElse(section);
            throw new ConfigException(at.location(), section.childPath(key), e.problem());
        }
    }

    private static Source parseSource(MapNode section, String name) {
        for (Source s : Source.values()) {
            if (lower(s).equals(name.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw ConfigException.at(section.require("source"), "unknown source '" + name
                + "'; expected one of embedded, idx, cifar10, synthetic");
    }

    private static Path requirePath(MapNode section, Path configDir) {
        if (!section.has("path")) {
            throw new ConfigException(section.location(), section.childPath("path"),
                    "missing required key 'path' (the folder holding the data files)");
        }
        Path path = configDir.resolve(section.requireString("path")).normalize();
        if (!Files.isDirectory(path)) {
            throw ConfigException.at(section.require("path"), path + ": no such folder; expected the folder holding the data files");
        }
        return path;
    }

    private static void checkOnlyFor(MapNode section, String key, boolean allowed, String which) {
        if (section.has(key) && !allowed) {
            throw new ConfigException(section.keyLocation(key), section.childPath(key), "'" + key + "' is only for " + which);
        }
    }

    private static Normalization normalization(MapNode section, Normalization dflt) {
        if (!section.has("normalize")) {
            return dflt;
        }
        ConfigNode node = section.require("normalize");
        if (node instanceof ScalarNode scalar) {
            return scalar.asBoolean() ? Normalization.fromTrainingData() : new Normalization(false, List.of(), List.of());
        }
        MapNode map = Nodes.map(node);
        map.checkKeys(List.of("mean", "std"), "dataset.normalize");
        List<Double> mean = map.optList("mean").map(ListNode::asDoubleList).orElseThrow(
                () -> new ConfigException(map.location(), map.childPath("mean"), "missing required key 'mean'"));
        List<Double> std = map.optList("std").map(ListNode::asDoubleList).orElseThrow(
                () -> new ConfigException(map.location(), map.childPath("std"), "missing required key 'std'"));
        return new Normalization(true, new ArrayList<>(mean), new ArrayList<>(std));
    }

    private static String lower(Source s) {
        return s == null ? "null" : s.name().toLowerCase(Locale.ROOT);
    }

    private static void require(boolean ok, String key, String problem) {
        if (!ok) {
            throw new SettingException(SECTION, key, problem);
        }
    }
}
