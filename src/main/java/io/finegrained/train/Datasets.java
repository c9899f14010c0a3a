package io.finegrained.train;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;

/**
 * Loads datasets once per JVM: every trial of an executor shares the same {@link LoadedData}.
 *
 * <p>The cache is keyed by the config (which names the location) and remembers a fingerprint
 * of the files it read: each file's length and modification time, or for an image folder the
 * modification times of its folders (they change when files are added, removed or renamed, not
 * when one is rewritten in place). A later call compares the fingerprint, a few metadata calls
 * (milliseconds on HDFS), and reads the data again only when it changed; when the files cannot
 * be reached for the comparison, the cached copy is used. It is bounded: at most
 * {@code finegrained.data.cache.mb} megabytes of pixels (a system property; default half the
 * maximum heap), least recently used datasets dropped first; the dataset just loaded is always
 * kept, however large. Thread-safe; a load that fails is not cached, so a corrected file is read
 * on the next call. Loads are serialised (one JVM rarely needs two datasets at once, and two
 * trials asking for the same one must not both read it).
 */
public final class Datasets {
    /** Where the embedded subset lives on the classpath. */
    static final String EMBEDDED_FOLDER = "/datasets/fashion-mnist-subset/";
    /** The system property bounding the cache, in megabytes. */
    public static final String BUDGET_PROPERTY = "finegrained.data.cache.mb";

    private record Entry(String fingerprint, LoadedData data, long bytes) {
    }

    private static final Map<DatasetConfig, Entry> CACHE = new LinkedHashMap<>(4, 0.75f, true);
    private static long reads;

    private Datasets() {
    }

    /**
     * What one {@link #fetch} found.
     *
     * @param read true when this call read the files, false when it returned the cached copy
     * @param why why the files were read ({@code "not cached"}, {@code "its files changed"}), or null
     */
    public record Fetched(LoadedData data, boolean read, String why) {
    }

    /** The data the config names, read at most once per JVM while its files stay the same. */
    public static LoadedData load(DatasetConfig config) {
        return fetch(config).data();
    }

    /**
     * As {@link #load}, saying whether this call read the files. A trial's log line must come
     * from here, not from {@link #reads()} before and after: that counter is the JVM's, and
     * another thread's read in between (a test's or a stopped search's) would be taken for
     * this call's.
     */
    public static synchronized Fetched fetch(DatasetConfig config) {
        Entry cached = CACHE.get(config);
        String fingerprint;
        try {
            fingerprint = fingerprint(config);
        } catch (DatasetException e) {
            if (cached != null) {
                return new Fetched(cached.data(), false, null); // unreachable for the comparison: the copy is still what it was
            }
            throw e;
        }
        if (cached != null && cached.fingerprint().equals(fingerprint)) {
            return new Fetched(cached.data(), false, null);
        }
        CACHE.remove(config);
        LoadedData data = read(config);
        reads++;
        Entry entry = new Entry(fingerprint, data, data.pixelBytes());
        CACHE.put(config, entry);
        evict(budgetBytes());
        return new Fetched(data, true, cached == null ? "not cached" : "its files changed");
    }

    /** How many times data was read from its files in this JVM (a cache hit does not count): for tests and logs. */
    public static synchronized long reads() {
        return reads;
    }

    /** The bytes of pixels the cache may hold. */
    static long budgetBytes() {
        String mb = System.getProperty(BUDGET_PROPERTY);
        if (mb != null && !mb.isBlank()) {
            try {
                return Math.max(0, Long.parseLong(mb.trim())) << 20;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-D" + BUDGET_PROPERTY + "=" + mb + ": expected a whole number of megabytes", e);
            }
        }
        return Runtime.getRuntime().maxMemory() / 2;
    }

    /** Drops the least recently used entries over the budget, never the newest. */
    private static void evict(long budget) {
        long total = 0;
        for (Entry e : CACHE.values()) {
            total += e.bytes();
        }
        Iterator<Entry> oldestFirst = CACHE.values().iterator();
        while (total > budget && CACHE.size() > 1 && oldestFirst.hasNext()) {
            Entry e = oldestFirst.next();
            oldestFirst.remove();
            total -= e.bytes();
        }
    }

    /** What identifies the files' content cheaply: lengths and modification times (see the class comment). */
    static String fingerprint(DatasetConfig config) {
        List<String> parts = new ArrayList<>();
        switch (config.source()) {
            case EMBEDDED, SYNTHETIC -> {
                return "";
            }
            case IDX -> {
                for (String name : List.of(IdxFiles.TRAIN_IMAGES, IdxFiles.TRAIN_LABELS, IdxFiles.TEST_IMAGES, IdxFiles.TEST_LABELS)) {
                    add(parts, IdxFiles.locate(config.path(), name).status("an IDX file"));
                }
            }
            case CIFAR10 -> {
                DataLocation folder = Cifar10Files.batchesFolder(config.path());
                for (String name : Cifar10Files.TRAIN_FILES) {
                    add(parts, folder.resolve(name).status("a CIFAR-10 binary batch file"));
                }
                add(parts, folder.resolve(Cifar10Files.TEST_FILE).status("a CIFAR-10 binary batch file"));
            }
            case PARQUET -> {
                for (String split : List.of(ImageFolderFiles.TRAIN, ImageFolderFiles.TEST)) {
                    for (FileStatus f : ParquetImages.files(DatasetConfig.parquetTable(config.path(), split))) {
                        add(parts, f);
                    }
                }
            }
            case IMAGE_FOLDER -> {
                for (String split : List.of(ImageFolderFiles.TRAIN, ImageFolderFiles.TEST)) {
                    DataLocation folder = config.path().resolve(split);
                    add(parts, folder.status("a folder of class folders"));
                    for (FileStatus f : folder.list("a folder of class folders")) {
                        add(parts, f);
                    }
                }
            }
            default -> throw new IllegalStateException("no fingerprint for " + config.source());
        }
        return String.join("\n", parts);
    }

    private static void add(List<String> parts, FileStatus f) {
        parts.add(f.getPath() + " " + f.getLen() + " " + f.getModificationTime());
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
            case PARQUET -> LoadedData.split(config, parquet(config, ImageFolderFiles.TRAIN), parquet(config, ImageFolderFiles.TEST));
            case IMAGE_FOLDER -> {
                List<String> names = ImageFolderFiles.classes(config.path());
                if (names.size() != classes) {
                    throw new DatasetException(config.path().resolve(ImageFolderFiles.TRAIN) + ": holds " + names.size()
                            + " class folders now, " + classes + " when the job was checked; expected the same folders");
                }
                yield LoadedData.split(config,
                        ImageFolderFiles.read(config.path(), ImageFolderFiles.TRAIN, names, config.channels(), config.height(),
                                config.width()),
                        ImageFolderFiles.read(config.path(), ImageFolderFiles.TEST, names, config.channels(), config.height(),
                                config.width()));
            }
            case SYNTHETIC -> LoadedData.split(config,
                    SyntheticImages.make(config.trainSize(), classes, config.channels(), config.height(), config.width(),
                            config.seed(), config.seed() + 1),
                    SyntheticImages.make(config.testSize(), classes, config.channels(), config.height(), config.width(),
                            config.seed(), config.seed() + 2));
        };
    }

    private static ImageSet parquet(DatasetConfig config, String split) {
        DatasetConfig.Columns c = config.columns();
        return ParquetImages.read(DatasetConfig.parquetTable(config.path(), split), c.image(), c.label(), c.raw(),
                config.channels(), config.height(), config.width(), config.numClasses());
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
