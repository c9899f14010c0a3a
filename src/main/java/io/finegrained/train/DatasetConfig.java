package io.finegrained.train;

import io.finegrained.config.ConfigException;
import io.finegrained.config.ConfigNode;
import io.finegrained.config.JobConfig;
import io.finegrained.config.ListNode;
import io.finegrained.config.MapNode;
import io.finegrained.config.Nodes;
import io.finegrained.config.ScalarNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which images a job trains on and how they are prepared: the {@code dataset} section. Immutable;
 * two equal configs name the same data (so {@link Datasets#load} caches by it). Sections:
 * <pre>
 * dataset:
 *   source: embedded     # embedded (default), idx, cifar10, parquet, image_folder, synthetic
 *   path: /usr/share/datasets/fashion-mnist   # idx, cifar10, parquet, image_folder: a path relative
 *                        # to the job file, or a URI of any Hadoop file system (hdfs://nn/data, s3a://b/data)
 *   image_column: image  # parquet: the image column (encoded PNG/JPEG, or raw pixels)
 *   label_column: label  # parquet: the integer label column
 *   image_format: encoded  # parquet: encoded (PNG/JPEG) or raw (C*H*W unsigned bytes; needs shape)
 *   validation: 0.1      # fraction of the training images held out (class-stratified)
 *   normalize: true      # per-channel, statistics of the training split; or {mean: [...], std: [...]}; false = only /255
 *   random_crop: 0       # pad-and-crop augmentation in pixels (cifar10 default 4)
 *   random_flip: false   # horizontal flip augmentation (cifar10 default true)
 *   seed: 0              # choice of the validation images
 *   classes: 10          # idx, parquet, synthetic (image_folder: one per class folder)
 *   shape: [1, 28, 28]   # synthetic; parquet, image_folder: default from the first image
 *   train_size: 1024     # synthetic
 *   test_size: 256       # synthetic
 * </pre>
 *
 * @param source where the images come from
 * @param path the folder of an {@code idx}, {@code cifar10}, {@code parquet} or {@code image_folder} source,
 *     else null
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
 * @param columns the columns of a {@code parquet} source, else null
 */
public record DatasetConfig(Source source, DataLocation path, int channels, int height, int width, int numClasses,
        double validation, Normalization normalization, int randomCrop, boolean randomFlip, long seed,
        int trainSize, int testSize, Columns columns) {

    static final List<String> KEYS = List.of("source", "path", "validation", "normalize", "random_crop", "random_flip",
            "seed", "classes", "shape", "train_size", "test_size", "image_column", "label_column", "image_format");
    private static final List<String> PARQUET_KEYS = List.of("image_column", "label_column", "image_format");
    private static final String SECTION = "dataset";

    /** Where images come from. */
    public enum Source {
        /** The Fashion-MNIST subset shipped in the jar (10,000 train + 2,000 test images). */
        EMBEDDED,
        /** MNIST-style IDX files (Fashion-MNIST, MNIST), gzipped or not, in a folder. */
        IDX,
        /** CIFAR-10 binary batches in a folder. */
        CIFAR10,
        /** A folder with a {@code train} and a {@code test} Parquet table ({@link ParquetImages}). */
        PARQUET,
        /** A folder with {@code train/} and {@code test/}, one subfolder of PNG/JPEG per class ({@link ImageFolderFiles}). */
        IMAGE_FOLDER,
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

    /**
     * The columns of a Parquet table.
     *
     * @param image the image column: encoded PNG/JPEG bytes, or raw pixels
     * @param label the integer label column
     * @param raw whether the images are raw {@code C×H×W} unsigned bytes, channel-major
     */
    public record Columns(String image, String label, boolean raw) {
        public Columns {
            if (image == null || image.isBlank() || label == null || label.isBlank()) {
                throw new SettingException(SECTION, image == null || image.isBlank() ? "image_column" : "label_column",
                        "must name a column");
            }
        }
    }

    public DatasetConfig {
        require(source != null, "source", "is required");
        require(readsFiles(source) == (path != null), "path",
                path == null ? "is required for source " + lower(source) : "is only for the sources that read files");
        require((source == Source.PARQUET) == (columns != null), "image_column", "names the columns of a parquet source");
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
        return new DatasetConfig(Source.EMBEDDED, null, 1, 28, 28, 10, 0.1, Normalization.fromTrainingData(), 0, false, 0, 0, 0,
                null);
    }

    /** IDX files in a local folder (their header is read now, for the image size). */
    public static DatasetConfig idx(Path folder) {
        return idx(DataLocation.local(folder));
    }

    /** IDX files in a folder on any file system (their header is read now, for the image size). */
    public static DatasetConfig idx(DataLocation folder) {
        folder.requireFolder("the folder holding the IDX files");
        int[] header = IdxFiles.imageHeader(IdxFiles.locate(folder, IdxFiles.TRAIN_IMAGES));
        return new DatasetConfig(Source.IDX, folder, 1, header[1], header[2], 10, 0.1, Normalization.fromTrainingData(), 0,
                false, 0, 0, 0, null);
    }

    /** CIFAR-10 binary batches in a local folder, with the usual crop (4) and flip augmentation. */
    public static DatasetConfig cifar10(Path folder) {
        return cifar10(DataLocation.local(folder));
    }

    /** CIFAR-10 binary batches in a folder on any file system, with the usual crop (4) and flip augmentation. */
    public static DatasetConfig cifar10(DataLocation folder) {
        folder.requireFolder("the folder holding the CIFAR-10 binary files");
        Cifar10Files.checkPresent(folder);
        return new DatasetConfig(Source.CIFAR10, folder, 3, 32, 32, 10, 0.1, Normalization.fromTrainingData(), 4, true, 0, 0, 0,
                null);
    }

    /**
     * A folder holding a {@code train} and a {@code test} Parquet table: both are found and the
     * first file's columns checked now; without a shape, the first image gives it.
     *
     * @param shape {@code [C, H, W]}, or null to take it from the first image (encoded images only)
     */
    public static DatasetConfig parquet(DataLocation folder, Columns columns, int[] shape, int classes) {
        folder.requireFolder("the folder holding the train and test Parquet tables");
        DataLocation train = parquetTable(folder, ImageFolderFiles.TRAIN);
        byte[] first = ParquetImages.check(train, columns.image(), columns.label());
        ParquetImages.check(parquetTable(folder, ImageFolderFiles.TEST), columns.image(), columns.label());
        if (shape == null) {
            if (columns.raw()) {
                throw new SettingException(SECTION, "shape", "is required with image_format: raw ([channels, height, width]"
                        + " of the raw pixels)");
            }
            if (first == null) {
                throw new DatasetException(train + ": the table has no rows; expected labelled images");
            }
            shape = ImageDecoding.shapeOf(first, train + ": row 0");
        }
        return new DatasetConfig(Source.PARQUET, folder, shape[0], shape[1], shape[2], classes, 0.1,
                Normalization.fromTrainingData(), 0, false, 0, 0, 0, columns);
    }

    /**
     * A folder in the image_folder layout: the class folders are listed now; without a shape,
     * the first image gives it.
     *
     * @param shape {@code [C, H, W]}, or null to take it from the first image
     */
    public static DatasetConfig imageFolder(DataLocation folder, int[] shape) {
        List<String> classes = ImageFolderFiles.classes(folder);
        if (shape == null) {
            shape = ImageFolderFiles.firstShape(folder, classes);
        }
        return new DatasetConfig(Source.IMAGE_FOLDER, folder, shape[0], shape[1], shape[2], classes.size(), 0.1,
                Normalization.fromTrainingData(), 0, false, 0, 0, 0, null);
    }

    /** The {@code train} or {@code test} table of a parquet source: {@code NAME} (file or folder) or {@code NAME.parquet}. */
    static DataLocation parquetTable(DataLocation folder, String name) {
        DataLocation plain = folder.resolve(name);
        if (plain.isFolder() || plain.isFile()) {
            return plain;
        }
        DataLocation file = folder.resolve(name + ".parquet");
        if (file.isFile()) {
            return file;
        }
        throw new DatasetException(plain + ": no such table (nor " + file + "); expected a train and a test Parquet table"
                + " (a .parquet file or a folder of them) in " + folder);
    }

    /** Synthetic images ({@link SyntheticImages}). */
    public static DatasetConfig synthetic(int classes, int channels, int height, int width, int trainSize, int testSize) {
        return new DatasetConfig(Source.SYNTHETIC, null, channels, height, width, classes, 0.1, Normalization.fromTrainingData(),
                0, false, 0, trainSize, testSize, null);
    }

    /** A copy holding out another fraction of the training images for validation. */
    public DatasetConfig withValidation(double fraction) {
        return new DatasetConfig(source, path, channels, height, width, numClasses, fraction, normalization, randomCrop,
                randomFlip, seed, trainSize, testSize, columns);
    }

    /** Whether the source reads files from {@link #path}. */
    static boolean readsFiles(Source source) {
        return source == Source.IDX || source == Source.CIFAR10 || source == Source.PARQUET || source == Source.IMAGE_FOLDER;
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
            case PARQUET -> "the Parquet tables in " + path;
            case IMAGE_FOLDER -> "the image folders in " + path;
            case SYNTHETIC -> "synthetic images";
        };
    }

    /**
     * Reads the job file's {@code dataset} section ({@link #from(MapNode, Path)}), after handing
     * the {@code spark.hadoop.*} entries of its {@code spark.conf} to {@link HadoopConf}: the
     * settings a remote location needs (an endpoint, credentials) apply to the check at the start
     * as they will to the executors, which get them from Spark.
     */
    public static DatasetConfig from(JobConfig job) {
        MapNode conf = job.section("spark").optMap("conf");
        Map<String, String> settings = new LinkedHashMap<>();
        for (String key : conf.keys()) {
            if (conf.require(key) instanceof ScalarNode scalar) {
                settings.put(key, scalar.text());
            }
        }
        HadoopConf.useSparkSettings(settings);
        return from(job.section("dataset"), job.directory());
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
                    "a dataset with a path needs a source: idx (Fashion-MNIST/MNIST files), cifar10, parquet or image_folder");
        }
        Source source = parseSource(section, sourceName);
        checkOnlyFor(section, "path", readsFiles(source), "the idx, cifar10, parquet and image_folder sources");
        checkOnlyFor(section, "classes", source == Source.IDX || source == Source.SYNTHETIC || source == Source.PARQUET,
                "the idx, parquet and synthetic sources (an image_folder has one class per folder)");
        for (String key : List.of("train_size", "test_size")) {
            checkOnlyFor(section, key, source == Source.SYNTHETIC, "the synthetic source");
        }
        checkOnlyFor(section, "shape", source == Source.SYNTHETIC || source == Source.PARQUET || source == Source.IMAGE_FOLDER,
                "the synthetic, parquet and image_folder sources");
        for (String key : PARQUET_KEYS) {
            checkOnlyFor(section, key, source == Source.PARQUET, "the parquet source");
        }
        int[] shape = null;
        if (section.has("shape")) {
            ListNode shapeNode = section.optList("shape").orElseThrow();
            if (shapeNode.size() != 3) {
                throw ConfigException.at(shapeNode, "expected [channels, height, width], found a list of " + shapeNode.size());
            }
            List<Integer> s = shapeNode.asIntList();
            shape = new int[] {s.get(0), s.get(1), s.get(2)};
            if (source != Source.SYNTHETIC && (shape[0] != 1 && shape[0] != 3 || shape[1] < 1 || shape[2] < 1)) {
                throw ConfigException.at(shapeNode, "expected [1 or 3 channels (grayscale or RGB), height, width]");
            }
        }
        DatasetConfig base;
        try {
            base = switch (source) {
                case EMBEDDED -> embedded();
                case IDX -> idx(requirePath(section, configDir));
                case CIFAR10 -> cifar10(requirePath(section, configDir));
                case PARQUET -> parquet(requirePath(section, configDir), columns(section), shape, section.optInt("classes", 10));
                case IMAGE_FOLDER -> imageFolder(requirePath(section, configDir), shape);
                case SYNTHETIC -> synthetic(10, 1, 28, 28, 1024, 256);
            };
        } catch (DatasetException e) {
            throw new ConfigException(section.get("path").map(ConfigNode::location).orElse(section.location()),
                    section.childPath("path"), e.getMessage());
        } catch (SettingException e) {
            ConfigNode at = section.get(e.key()).orElse(section);
            throw new ConfigException(at.location(), section.childPath(e.key()), e.problem());
        }
        int channels = shape == null ? base.channels() : shape[0];
        int height = shape == null ? base.height() : shape[1];
        int width = shape == null ? base.width() : shape[2];
        try {
            return new DatasetConfig(source, base.path(), channels, height, width,
                    section.optInt("classes", base.numClasses()),
                    section.optDouble("validation", base.validation()),
                    normalization(section, base.normalization()),
                    section.optInt("random_crop", base.randomCrop()),
                    section.optBoolean("random_flip", base.randomFlip()),
                    section.optLong("seed", base.seed()),
                    section.optInt("train_size", base.trainSize()),
                    section.optInt("test_size", base.testSize()),
                    base.columns());
        } catch (SettingException e) {
            String key = e.key().equals("shape") && !section.has("shape") ? "source" : e.key();
            ConfigNode at = section.get(key).orElse(section);
            throw new ConfigException(at.location(), section.childPath(key), e.problem());
        }
    }

    private static Columns columns(MapNode section) {
        String format = section.optString("image_format", "encoded");
        if (!format.equals("encoded") && !format.equals("raw")) {
            throw ConfigException.at(section.require("image_format"), "unknown image_format '" + format
                    + "'; expected encoded (PNG/JPEG bytes) or raw (C*H*W unsigned bytes, channel-major)");
        }
        return new Columns(section.optString("image_column", "image"), section.optString("label_column", "label"),
                format.equals("raw"));
    }

    private static Source parseSource(MapNode section, String name) {
        for (Source s : Source.values()) {
            if (lower(s).equals(name.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw ConfigException.at(section.require("source"), "unknown source '" + name
                + "'; expected one of embedded, idx, cifar10, parquet, image_folder, synthetic");
    }

    /** The location the path names (checked by the source's factory, which knows what it expects there). */
    private static DataLocation requirePath(MapNode section, Path configDir) {
        if (!section.has("path")) {
            throw new ConfigException(section.location(), section.childPath("path"),
                    "missing required key 'path' (the folder holding the data files)");
        }
        return DataLocation.parse(section.requireString("path"), configDir);
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
