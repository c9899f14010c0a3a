package io.finegrained.train;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads datasets once per JVM: every trial of an executor shares the same {@link LoadedData}.
 * Thread-safe; a load that fails is not cached, so a corrected file is read on the next call.
 */
public final class Datasets {
    /** Where the embedded subset lives on the classpath. */
    static final String EMBEDDED_FOLDER = "/datasets/fashion-mnist-subset/";

    private static final Map<DatasetConfig, LoadedData> CACHE = new ConcurrentHashMap<>();

    private Datasets() {
    }

    /** The data the config names, read at most once per JVM (same config, same instance). */
    public static LoadedData load(DatasetConfig config) {
        return CACHE.computeIfAbsent(config, Datasets::read);
    }

    private static LoadedData read(DatasetConfig config) {
        int classes = config.numClasses();
        return switch (config.source()) {
            case EMBEDDED -> LoadedData.split(config,
                    embedded(IdxFiles.TRAIN_IMAGES, IdxFiles.TRAIN_LABELS, classes),
                    embedded(IdxFiles.TEST_IMAGES, IdxFiles.TEST_LABELS, classes));
            case IDX -> LoadedData.split(config,
                    IdxFiles.read(IdxFiles.locate(config.path(), IdxFiles.TRAIN_IMAGES),
                            IdxFiles.locate(config.path(), IdxFiles.TRAIN_LABELS), classes),
                    IdxFiles.read(IdxFiles.locate(config.path(), IdxFiles.TEST_IMAGES),
                            IdxFiles.locate(config.path(), IdxFiles.TEST_LABELS), classes));
            case CIFAR10 -> LoadedData.split(config, Cifar10Files.readTrain(config.path()), Cifar10Files.readTest(config.path()));
            case SYNTHETIC -> LoadedData.split(config,
                    SyntheticImages.make(config.trainSize(), classes, config.channels(), config.height(), config.width(),
                            config.seed(), config.seed() + 1),
                    SyntheticImages.make(config.testSize(), classes, config.channels(), config.height(), config.width(),
                            config.seed(), config.seed() + 2));
        };
    }

    private static ImageSet embedded(String images, String labels, int classes) {
        String imagesName = EMBEDDED_FOLDER + images + ".gz";
        String labelsName = EMBEDDED_FOLDER + labels + ".gz";
        try (InputStream im = resource(imagesName); InputStream lb = resource(labelsName)) {
            return IdxFiles.read(im, "classpath:" + imagesName, lb, "classpath:" + labelsName, classes);
        } catch (IOException e) {
            throw new DatasetException("classpath:" + EMBEDDED_FOLDER + ": cannot read the embedded subset: " + e.getMessage(), e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = Datasets.class.getResourceAsStream(name);
        if (in == null) {
            throw new DatasetException("classpath:" + name + ": missing from the jar; expected the embedded Fashion-MNIST"
                    + " subset (see docs/training.md to rebuild it)");
        }
        return in;
    }
}
