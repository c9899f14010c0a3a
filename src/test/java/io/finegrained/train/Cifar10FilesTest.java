package io.finegrained.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10FilesTest {
    @TempDir
    Path dir;

    @Test
    void readsTheStandardBinaryLayout() throws IOException {
        Path batches = dir.resolve("cifar-10-batches-bin");
        DataFiles.writeCifarSet(batches, 3);
        // the parent folder is accepted too
        ImageSet train = Cifar10Files.readTrain(dir);
        ImageSet test = Cifar10Files.readTest(batches);
        assertEquals(15, train.size());
        assertEquals(3, test.size());
        assertEquals(3, train.channels());
        assertEquals(32, train.height());
        assertEquals(32, train.width());
        // file 2 (data_batch_2) starts its labels at 1: record 0 of it is image 3
        assertEquals(1, train.label(3));
        int[] image = train.image(4); // record 1 of data_batch_2
        assertEquals(10 + 1, image[0]); // red plane
        assertEquals(20 + 1, image[1024]); // green plane
        assertEquals(30 + 1, image[2048 + 1023]); // blue plane, last pixel
        assertEquals(200, image[5]); // red, row 0, column 5
    }

    @Test
    void missingFileIsNamed() throws IOException {
        DataFiles.writeCifarSet(dir, 2);
        Files.delete(dir.resolve("data_batch_4.bin"));
        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10Files.checkPresent(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve("data_batch_4.bin") + ": no such file"), e.getMessage());
        DatasetException r = assertThrows(DatasetException.class, () -> Cifar10Files.readTrain(dir));
        assertTrue(r.getMessage().contains("data_batch_4.bin: no such file"), r.getMessage());
    }

    @Test
    void truncatedFileIsReportedWithTheRecordSize() throws IOException {
        DataFiles.writeCifarSet(dir, 2);
        Path test = dir.resolve("test_batch.bin");
        byte[] bytes = Files.readAllBytes(test);
        Files.write(test, Arrays.copyOf(bytes, bytes.length - 100));
        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10Files.readTest(dir));
        assertTrue(e.getMessage().startsWith(test + ": truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("3073-byte records"), e.getMessage());
    }

    @Test
    void labelOutOfRangeIsNamed() throws IOException {
        DataFiles.writeCifarSet(dir, 2);
        Path file = dir.resolve("data_batch_3.bin");
        byte[] bytes = Files.readAllBytes(file);
        bytes[Cifar10Files.RECORD_BYTES] = 12; // label of record 1
        Files.write(file, bytes);
        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10Files.readTrain(dir));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("label 12 of record 1 is out of range; expected 0..9"), e.getMessage());
    }
}
