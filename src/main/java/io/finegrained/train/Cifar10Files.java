package io.finegrained.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CIFAR-10 in its standard binary form ({@code cifar-10-batches-bin}): five training files
 * {@code data_batch_1.bin} … {@code data_batch_5.bin} and {@code test_batch.bin}, each a run of
 * 3073-byte records: one label byte (0..9), then 1024 red, 1024 green and 1024 blue pixels of a
 * 32×32 image, row-major. The folder may be the batches folder itself or its parent.
 */
final class Cifar10Files {
    static final int SIDE = 32;
    static final int IMAGE_BYTES = 3 * SIDE * SIDE;
    static final int RECORD_BYTES = 1 + IMAGE_BYTES;
    static final int CLASSES = 10;
    static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
            "data_batch_4.bin", "data_batch_5.bin");
    static final String TEST_FILE = "test_batch.bin";

    private Cifar10Files() {
    }

    /** The folder holding the batch files: {@code path} or {@code path/cifar-10-batches-bin}. */
    static DataLocation batchesFolder(DataLocation path) {
        if (path.resolve(TEST_FILE).isFile() || !path.resolve("cifar-10-batches-bin").isFolder()) {
            return path;
        }
        return path.resolve("cifar-10-batches-bin");
    }

    /** The training images (all five batches, in order). */
    static ImageSet readTrain(Path path) {
        return readTrain(DataLocation.local(path));
    }

    /** The training images (all five batches, in order) from any file system. */
    static ImageSet readTrain(DataLocation path) {
        DataLocation folder = batchesFolder(path);
        List<DataLocation> files = new ArrayList<>();
        for (String name : TRAIN_FILES) {
            files.add(folder.resolve(name));
        }
        return read(files);
    }

    /** The test images. */
    static ImageSet readTest(Path path) {
        return readTest(DataLocation.local(path));
    }

    /** The test images from any file system. */
    static ImageSet readTest(DataLocation path) {
        return read(List.of(batchesFolder(path).resolve(TEST_FILE)));
    }

    /** Checks that every file exists, naming the first missing one. */
    static void checkPresent(Path path) {
        checkPresent(DataLocation.local(path));
    }

    /** Checks that every file exists on its file system, naming the first missing one. */
    static void checkPresent(DataLocation path) {
        DataLocation folder = batchesFolder(path);
        for (String name : concat(TRAIN_FILES, TEST_FILE)) {
            if (!folder.resolve(name).isFile()) {
                throw new DatasetException(folder.resolve(name) + ": no such file; expected the CIFAR-10 binary files "
                        + String.join(", ", concat(TRAIN_FILES, TEST_FILE)) + " in " + folder);
            }
        }
    }

    private static List<String> concat(List<String> list, String last) {
        List<String> out = new ArrayList<>(list);
        out.add(last);
        return out;
    }

    private static ImageSet read(List<DataLocation> files) {
        List<byte[]> contents = new ArrayList<>();
        long records = 0;
        for (DataLocation file : files) {
            byte[] bytes = file.readAll("a CIFAR-10 binary batch file");
            if (bytes.length == 0 || bytes.length % RECORD_BYTES != 0) {
                throw new DatasetException(file + ": truncated or not CIFAR-10: " + bytes.length
                        + " bytes is not a whole, non-zero number of " + RECORD_BYTES
                        + "-byte records (1 label byte + 3072 pixel bytes)");
            }
            contents.add(bytes);
            records += bytes.length / RECORD_BYTES;
        }
        byte[] pixels = new byte[Math.toIntExact(records * IMAGE_BYTES)];
        byte[] labels = new byte[(int) records];
        int r = 0;
        for (int f = 0; f < files.size(); f++) {
            byte[] bytes = contents.get(f);
            for (int offset = 0; offset < bytes.length; offset += RECORD_BYTES, r++) {
                int label = bytes[offset] & 0xFF;
                if (label >= CLASSES) {
                    throw new DatasetException(files.get(f) + ": label " + label + " of record " + (offset / RECORD_BYTES)
                            + " is out of range; expected 0..9 (CIFAR-10 has 10 classes)");
                }
                labels[r] = (byte) label;
                System.arraycopy(bytes, offset + 1, pixels, r * IMAGE_BYTES, IMAGE_BYTES);
            }
        }
        return new ImageSet(pixels, labels, 3, SIDE, SIDE);
    }
}
