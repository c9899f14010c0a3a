package io.finegrained.train;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads MNIST-style IDX files (Fashion-MNIST, MNIST), gzipped or not: an image file
 * (magic {@code 0x00000803}: unsigned bytes, 3 dimensions count×rows×cols) and a label file
 * (magic {@code 0x00000801}: unsigned bytes, 1 dimension). Gzip is recognised by its own
 * magic bytes, not by the file name. Every error names the file and what was expected.
 */
final class IdxFiles {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;
    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    private IdxFiles() {
    }

    /** The file {@code name} or {@code name.gz} in the folder, or an error naming both. */
    static Path locate(Path folder, String name) {
        return locate(DataLocation.local(folder), name).localPath();
    }

    /** The file {@code name} or {@code name.gz} in the folder (any file system), or an error naming both. */
    static DataLocation locate(DataLocation folder, String name) {
        DataLocation plain = folder.resolve(name);
        if (plain.isFile()) {
            return plain;
        }
        DataLocation gz = folder.resolve(name + ".gz");
        if (gz.isFile()) {
            return gz;
        }
        throw new DatasetException(gz + ": no such file (nor " + plain + "); expected the IDX files "
                + TRAIN_IMAGES + ", " + TRAIN_LABELS + ", " + TEST_IMAGES + ", " + TEST_LABELS
                + " (each optionally .gz) in " + folder);
    }

    /** Reads the header of an image file: {@code [count, rows, cols]}. */
    static int[] imageHeader(Path file) {
        return imageHeader(DataLocation.local(file));
    }

    /** Reads the header of an image file on any file system: {@code [count, rows, cols]}. */
    static int[] imageHeader(DataLocation file) {
        try (DataInputStream in = wrap(file.open("an IDX image file"))) {
            return header(in, file.toString(), IMAGES_MAGIC, 3);
        } catch (IOException e) {
            throw failure(file.toString(), e, "an IDX image header (16 bytes)");
        }
    }

    /** Reads an image file and its label file into one set, checking labels are below {@code classes}. */
    static ImageSet read(Path images, Path labels, int classes) {
        return read(DataLocation.local(images), DataLocation.local(labels), classes);
    }

    /** {@link #read(Path, Path, int)} from any file system. */
    static ImageSet read(DataLocation images, DataLocation labels, int classes) {
        try (InputStream im = images.open("an IDX image file"); InputStream lb = labels.open("an IDX label file")) {
            return read(im, images.toString(), lb, labels.toString(), classes);
        } catch (IOException e) {
            throw images.failure(e, "an IDX image file");
        }
    }

    /** Reads from streams; the names are what errors call them. */
    static ImageSet read(InputStream images, String imagesName, InputStream labels, String labelsName, int classes) {
        int[] dims;
        byte[] pixels;
        try (DataInputStream in = wrap(images)) {
            dims = header(in, imagesName, IMAGES_MAGIC, 3);
            long total = (long) dims[0] * dims[1] * dims[2];
            if (total > Integer.MAX_VALUE - 16) {
                throw new DatasetException(imagesName + ": " + dims[0] + " images of " + dims[1] + "x" + dims[2]
                        + " do not fit in memory; expected at most 2 GB of pixels");
            }
            pixels = new byte[(int) total];
            readFully(in, pixels, imagesName, dims[0] + " images of " + dims[1] + "x" + dims[2]);
        } catch (IOException e) {
            throw failure(imagesName, e, "an IDX image file");
        }
        byte[] labelBytes;
        try (DataInputStream in = wrap(labels)) {
            int[] ldims = header(in, labelsName, LABELS_MAGIC, 1);
            if (ldims[0] != dims[0]) {
                throw new DatasetException(labelsName + ": holds " + ldims[0] + " labels; expected " + dims[0]
                        + ", one per image of " + imagesName);
            }
            labelBytes = new byte[ldims[0]];
            readFully(in, labelBytes, labelsName, ldims[0] + " labels");
        } catch (IOException e) {
            throw failure(labelsName, e, "an IDX label file");
        }
        checkLabels(labelBytes, classes, labelsName);
        return new ImageSet(pixels, labelBytes, 1, dims[1], dims[2]);
    }

    static void checkLabels(byte[] labels, int classes, String name) {
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i] & 0xFF;
            if (label >= classes) {
                throw new DatasetException(name + ": label " + label + " of item " + i + " is out of range; expected 0.."
                        + (classes - 1) + " (" + classes + " classes)");
            }
        }
    }

    private static int[] header(DataInputStream in, String name, int magic, int dimensions) throws IOException {
        int found;
        try {
            found = in.readInt();
        } catch (EOFException e) {
            throw new DatasetException(name + ": truncated: the file ends inside its 4-byte magic number; expected an IDX "
                    + (magic == IMAGES_MAGIC ? "image" : "label") + " file");
        }
        if (found != magic) {
            throw new DatasetException(String.format("%s: wrong magic number 0x%08X; expected 0x%08X (an IDX %s file:"
                    + " unsigned bytes, %d dimension%s)", name, found, magic, magic == IMAGES_MAGIC ? "image" : "label",
                    dimensions, dimensions == 1 ? "" : "s"));
        }
        int[] dims = new int[dimensions];
        for (int d = 0; d < dimensions; d++) {
            try {
                dims[d] = in.readInt();
            } catch (EOFException e) {
                throw new DatasetException(name + ": truncated: the file ends inside its header; expected "
                        + dimensions + " dimension sizes after the magic number");
            }
            if (dims[d] < 0 || d > 0 && dims[d] == 0) {
                throw new DatasetException(name + ": dimension " + d + " is " + dims[d] + "; expected a positive size");
            }
        }
        return dims;
    }

    private static void readFully(DataInputStream in, byte[] into, String name, String promised) throws IOException {
        int done = 0;
        while (done < into.length) {
            int n;
            try {
                n = in.read(into, done, into.length - done);
            } catch (EOFException e) {
                n = -1;
            }
            if (n < 0) {
                throw new DatasetException(name + ": truncated: the header promises " + promised + " (" + into.length
                        + " bytes) but the data ends after " + done + " bytes");
            }
            done += n;
        }
    }

    private static DatasetException failure(String name, IOException e, String expected) {
        if (e instanceof NoSuchFileException) {
            return new DatasetException(name + ": no such file; expected " + expected);
        }
        if (e instanceof EOFException || String.valueOf(e.getMessage()).contains("end of ZLIB")) {
            return new DatasetException(name + ": truncated: the compressed data ends early; expected " + expected, e);
        }
        return new DatasetException(name + ": cannot read (" + e.getMessage() + "); expected " + expected, e);
    }

    /** Buffers the stream and unzips it when it starts with the gzip magic bytes 1f 8b. */
    static DataInputStream wrap(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        InputStream body = b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
        return new DataInputStream(body);
    }
}
