package io.finegrained.train;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/** Writes small data files in the standard formats, for reader tests. */
final class DataFiles {
    private DataFiles() {
    }

    /** IDX image file bytes: magic, count, rows, cols, then the pixels. */
    static byte[] idxImages(int magic, int count, int rows, int cols, byte[] pixels) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            out.writeInt(count);
            out.writeInt(rows);
            out.writeInt(cols);
            out.write(pixels);
        }
        return bytes.toByteArray();
    }

    /** IDX label file bytes. */
    static byte[] idxLabels(int magic, byte[] labels) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            out.writeInt(labels.length);
            out.write(labels);
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(plain);
        }
        return bytes.toByteArray();
    }

    /** Pixels of {@code count} images of {@code size} bytes: image i, byte k = (i * 7 + k) mod 256. */
    static byte[] pattern(int count, int size) {
        byte[] out = new byte[count * size];
        for (int i = 0; i < count; i++) {
            for (int k = 0; k < size; k++) {
                out[i * size + k] = (byte) (i * 7 + k);
            }
        }
        return out;
    }

    /** Labels 0, 1, ..., classes-1, 0, 1, ... */
    static byte[] cyclicLabels(int count, int classes) {
        byte[] out = new byte[count];
        for (int i = 0; i < count; i++) {
            out[i] = (byte) (i % classes);
        }
        return out;
    }

    /** A complete, valid set of four IDX files (train n, test m images of rows x cols) in {@code dir}. */
    static void writeIdxSet(Path dir, int train, int test, int rows, int cols, boolean gz) throws IOException {
        Files.createDirectories(dir);
        write(dir.resolve(IdxFiles.TRAIN_IMAGES + (gz ? ".gz" : "")),
                idxImages(IdxFiles.IMAGES_MAGIC, train, rows, cols, pattern(train, rows * cols)), gz);
        write(dir.resolve(IdxFiles.TRAIN_LABELS + (gz ? ".gz" : "")), idxLabels(IdxFiles.LABELS_MAGIC, cyclicLabels(train, 10)), gz);
        write(dir.resolve(IdxFiles.TEST_IMAGES + (gz ? ".gz" : "")),
                idxImages(IdxFiles.IMAGES_MAGIC, test, rows, cols, pattern(test, rows * cols)), gz);
        write(dir.resolve(IdxFiles.TEST_LABELS + (gz ? ".gz" : "")), idxLabels(IdxFiles.LABELS_MAGIC, cyclicLabels(test, 10)), gz);
    }

    static void write(Path file, byte[] plain, boolean gz) throws IOException {
        Files.write(file, gz ? gzip(plain) : plain);
    }

    /** One CIFAR-10 record: label byte then 3072 pixel bytes, red plane = 1, green = 2, blue = 3 plus the index. */
    static byte[] cifarRecords(int count, int firstLabel) {
        byte[] out = new byte[count * Cifar10Files.RECORD_BYTES];
        for (int i = 0; i < count; i++) {
            int base = i * Cifar10Files.RECORD_BYTES;
            out[base] = (byte) ((firstLabel + i) % 10);
            for (int c = 0; c < 3; c++) {
                Arrays.fill(out, base + 1 + c * 1024, base + 1 + (c + 1) * 1024, (byte) (10 * (c + 1) + i));
            }
            out[base + 1 + 5] = (byte) 200; // red plane, row 0, column 5
        }
        return out;
    }

    /** A complete CIFAR-10 binary folder with {@code perFile} records in each of the six files. */
    static void writeCifarSet(Path dir, int perFile) throws IOException {
        Files.createDirectories(dir);
        int f = 0;
        for (String name : Cifar10Files.TRAIN_FILES) {
            Files.write(dir.resolve(name), cifarRecords(perFile, f++));
        }
        Files.write(dir.resolve(Cifar10Files.TEST_FILE), cifarRecords(perFile, 0));
    }
}
