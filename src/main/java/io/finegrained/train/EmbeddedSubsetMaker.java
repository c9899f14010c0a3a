package io.finegrained.train;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Makes the embedded Fashion-MNIST subset from the official IDX files: per class, a seeded
 * shuffle picks {@value #TRAIN_PER_CLASS} training and {@value #TEST_PER_CLASS} test images, kept
 * in their original order, written as gzipped IDX (gzip's header carries no time stamp here, so the
 * output is byte-for-byte repeatable). Run (see docs/training.md):
 * <pre>
 * FINEGRAINED_MAIN=io.finegrained.train.EmbeddedSubsetMaker submit/finegrained \
 *     /usr/share/datasets/fashion-mnist src/main/resources/datasets/fashion-mnist-subset
 * </pre>
 */
public final class EmbeddedSubsetMaker {
    static final int TRAIN_PER_CLASS = 1000;
    static final int TEST_PER_CLASS = 200;
    static final long SEED = 20170825L;

    private EmbeddedSubsetMaker() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: EmbeddedSubsetMaker FASHION_MNIST_DIR OUTPUT_DIR");
            System.exit(2);
        }
        Path source = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        ImageSet train = IdxFiles.read(IdxFiles.locate(source, IdxFiles.TRAIN_IMAGES), IdxFiles.locate(source, IdxFiles.TRAIN_LABELS), 10);
        ImageSet test = IdxFiles.read(IdxFiles.locate(source, IdxFiles.TEST_IMAGES), IdxFiles.locate(source, IdxFiles.TEST_LABELS), 10);
        write(pick(train, TRAIN_PER_CLASS, SEED), out, IdxFiles.TRAIN_IMAGES, IdxFiles.TRAIN_LABELS);
        write(pick(test, TEST_PER_CLASS, SEED + 1), out, IdxFiles.TEST_IMAGES, IdxFiles.TEST_LABELS);
        System.err.println("wrote " + 10 * TRAIN_PER_CLASS + " training and " + 10 * TEST_PER_CLASS + " test images to " + out);
    }

    /** {@code perClass} images of each class, chosen by a seeded shuffle, in their original order. */
    static ImageSet pick(ImageSet all, int perClass, long seed) {
        Random random = new Random(seed);
        List<Integer> chosen = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (all.label(i) == c) {
                    members.add(i);
                }
            }
            Collections.shuffle(members, random);
            chosen.addAll(members.subList(0, perClass));
        }
        int[] indices = chosen.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(indices);
        return all.select(indices);
    }

    private static void write(ImageSet set, Path out, String imagesName, String labelsName) throws IOException {
        try (DataOutputStream images = gz(out.resolve(imagesName + ".gz"))) {
            images.writeInt(IdxFiles.IMAGES_MAGIC);
            images.writeInt(set.size());
            images.writeInt(set.height());
            images.writeInt(set.width());
            images.write(set.pixelArray());
        }
        try (DataOutputStream labels = gz(out.resolve(labelsName + ".gz"))) {
            labels.writeInt(IdxFiles.LABELS_MAGIC);
            labels.writeInt(set.size());
            for (int i = 0; i < set.size(); i++) {
                labels.writeByte(set.label(i));
            }
        }
    }

    private static DataOutputStream gz(Path file) throws IOException {
        OutputStream raw = Files.newOutputStream(file);
        return new DataOutputStream(new GZIPOutputStream(raw, 1 << 16));
    }
}
