package io.finegrained.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFilesTest {
    @TempDir
    Path dir;

    @Test
    void readsPlainAndGzippedFilesAlike() throws IOException {
        Path plain = dir.resolve("plain");
        Path gz = dir.resolve("gz");
        DataFiles.writeIdxSet(plain, 30, 10, 5, 4, false);
        DataFiles.writeIdxSet(gz, 30, 10, 5, 4, true);
        ImageSet a = IdxFiles.read(IdxFiles.locate(plain, IdxFiles.TRAIN_IMAGES), IdxFiles.locate(plain, IdxFiles.TRAIN_LABELS), 10);
        ImageSet b = IdxFiles.read(IdxFiles.locate(gz, IdxFiles.TRAIN_IMAGES), IdxFiles.locate(gz, IdxFiles.TRAIN_LABELS), 10);
        assertEquals(30, a.size());
        assertEquals(5, a.height());
        assertEquals(4, a.width());
        assertEquals(1, a.channels());
        for (int i = 0; i < 30; i++) {
            assertArrayEquals(a.image(i), b.image(i));
            assertEquals(i % 10, a.label(i));
            assertEquals((i * 7 + 3) & 0xFF, a.image(i)[3]);
        }
    }

    @Test
    void missingFileNamesThePathAndTheExpectedFiles() {
        DatasetException e = assertThrows(DatasetException.class, () -> IdxFiles.locate(dir, IdxFiles.TRAIN_IMAGES));
        assertTrue(e.getMessage().contains(dir.resolve("train-images-idx3-ubyte.gz").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte"), e.getMessage());
    }

    @Test
    void wrongMagicNumberIsNamedWithTheExpectedOne() throws IOException {
        Path images = dir.resolve("images.gz");
        Path labels = dir.resolve("labels");
        // a label file where the image file should be
        DataFiles.write(images, DataFiles.idxLabels(IdxFiles.LABELS_MAGIC, DataFiles.cyclicLabels(4, 10)), true);
        DataFiles.write(labels, DataFiles.idxLabels(IdxFiles.LABELS_MAGIC, DataFiles.cyclicLabels(4, 10)), false);
        DatasetException e = assertThrows(DatasetException.class, () -> IdxFiles.read(images, labels, 10));
        assertTrue(e.getMessage().startsWith(images.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("wrong magic number 0x00000801; expected 0x00000803"), e.getMessage());
    }

    @Test
    void truncatedPixelsAreReportedForPlainAndGzippedFiles() throws IOException {
        byte[] full = DataFiles.idxImages(IdxFiles.IMAGES_MAGIC, 10, 4, 4, DataFiles.pattern(10, 16));
        byte[] cut = Arrays.copyOf(full, full.length - 20);
        Path labels = dir.resolve("labels");
        DataFiles.write(labels, DataFiles.idxLabels(IdxFiles.LABELS_MAGIC, DataFiles.cyclicLabels(10, 10)), false);
        Path plain = dir.resolve("images");
        DataFiles.write(plain, cut, false);
        DatasetException e = assertThrows(DatasetException.class, () -> IdxFiles.read(plain, labels, 10));
        assertTrue(e.getMessage().startsWith(plain + ": truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("10 images of 4x4 (160 bytes)") && e.getMessage().contains("after 140 bytes"),
                e.getMessage());

        Path gz = dir.resolve("images.gz");
        byte[] zipped = DataFiles.gzip(full);
        Files.write(gz, Arrays.copyOf(zipped, zipped.length - 30));
        DatasetException z = assertThrows(DatasetException.class, () -> IdxFiles.read(gz, labels, 10));
        assertTrue(z.getMessage().startsWith(gz + ": truncated"), z.getMessage());
    }

    @Test
    void truncatedHeaderIsReported() throws IOException {
        Path images = dir.resolve("images");
        Files.write(images, new byte[] {0, 0, 8, 3, 0, 0});
        Path labels = dir.resolve("labels");
        DataFiles.write(labels, DataFiles.idxLabels(IdxFiles.LABELS_MAGIC, DataFiles.cyclicLabels(1, 10)), false);
        DatasetException e = assertThrows(DatasetException.class, () -> IdxFiles.read(images, labels, 10));
        assertTrue(e.getMessage().startsWith(images + ": truncated: the file ends inside its header"), e.getMessage());
    }

    @Test
    void labelOutOfRangeNamesTheItemAndTheRange() throws IOException {
        Path images = dir.resolve("images");
        Path labels = dir.resolve("labels");
        DataFiles.write(images, DataFiles.idxImages(IdxFiles.IMAGES_MAGIC, 5, 2, 2, DataFiles.pattern(5, 4)), false);
        DataFiles.write(labels, DataFiles.idxLabels(IdxFiles.LABELS_MAGIC, new byte[] {0, 1, 2, 10, 4}), false);
        DatasetException e = assertThrows(DatasetException.class, () -> IdxFiles.read(images, labels, 10));
        assertTrue(e.getMessage().startsWith(labels.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("label 10 of item 3 is out of range; expected 0..9"), e.getMessage());
    }

    @Test
    void labelCountMustMatchImageCount() throws IOException {
        Path images = dir.resolve("images");
        Path labels = dir.resolve("labels");
        DataFiles.write(images, DataFiles.idxImages(IdxFiles.IMAGES_MAGIC, 5, 2, 2, DataFiles.pattern(5, 4)), false);
        DataFiles.write(labels, DataFiles.idxLabels(IdxFiles.LABELS_MAGIC, new byte[] {0, 1, 2}), false);
        DatasetException e = assertThrows(DatasetException.class, () -> IdxFiles.read(images, labels, 10));
        assertTrue(e.getMessage().contains("holds 3 labels; expected 5"), e.getMessage());
    }
}
