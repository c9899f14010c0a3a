package io.finegrained.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
    @TempDir
    Path dir;

    @Test
    void embeddedSubsetIsClassBalancedAndSplitWithoutTouchingTest() {
        LoadedData data = Datasets.load(DatasetConfig.embedded());
        assertEquals(9000, data.split(Split.TRAIN).size());
        assertEquals(1000, data.split(Split.VALIDATION).size());
        assertEquals(2000, data.split(Split.TEST).size());
        int[] perClassTrain = data.split(Split.TRAIN).classCounts(10);
        int[] perClassValidation = data.split(Split.VALIDATION).classCounts(10);
        int[] perClassTest = data.split(Split.TEST).classCounts(10);
        for (int c = 0; c < 10; c++) {
            assertEquals(900, perClassTrain[c]);
            assertEquals(100, perClassValidation[c]);
            assertEquals(200, perClassTest[c]);
        }
        // validation images are training images not kept in the train split
        Set<String> train = fingerprints(data.split(Split.TRAIN));
        Set<String> validation = fingerprints(data.split(Split.VALIDATION));
        Set<String> both = new HashSet<>(train);
        both.retainAll(validation);
        assertTrue(both.size() <= 5, "validation overlaps train in " + both.size() + " images (duplicates in the source)");
        // normalization from the training split: Fashion-MNIST's mean is about 0.286, std 0.353
        assertEquals(0.286, data.mean(0), 0.01);
        assertEquals(0.353, data.std(0), 0.01);
    }

    @Test
    void loadedOncePerJvmForEqualConfigs() {
        DatasetConfig a = DatasetConfig.synthetic(3, 1, 6, 6, 60, 12);
        DatasetConfig b = DatasetConfig.synthetic(3, 1, 6, 6, 60, 12);
        assertSame(Datasets.load(a), Datasets.load(b));
        assertNotSame(Datasets.load(a), Datasets.load(a.withValidation(0.5)));
    }

    @Test
    void splitIsDeterministic() throws IOException {
        DataFiles.writeIdxSet(dir, 200, 20, 4, 4, false);
        LoadedData one = LoadedData.split(DatasetConfig.idx(dir),
                IdxFiles.read(IdxFiles.locate(dir, IdxFiles.TRAIN_IMAGES), IdxFiles.locate(dir, IdxFiles.TRAIN_LABELS), 10),
                IdxFiles.read(IdxFiles.locate(dir, IdxFiles.TEST_IMAGES), IdxFiles.locate(dir, IdxFiles.TEST_LABELS), 10));
        LoadedData two = Datasets.load(DatasetConfig.idx(dir));
        assertEquals(180, one.split(Split.TRAIN).size());
        assertEquals(20, one.split(Split.VALIDATION).size());
        for (int i = 0; i < 20; i++) {
            assertArrayEquals(one.split(Split.VALIDATION).image(i), two.split(Split.VALIDATION).image(i));
        }
        assertEquals(20, two.split(Split.TEST).size());
    }

    @Test
    void corruptFileFailsTheLoadAndIsNotCached() throws IOException {
        DataFiles.writeIdxSet(dir, 20, 10, 4, 4, true);
        DatasetConfig cfg = DatasetConfig.idx(dir);
        Path labels = dir.resolve(IdxFiles.TEST_LABELS + ".gz");
        DataFiles.write(labels, DataFiles.idxLabels(IdxFiles.LABELS_MAGIC, new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 99}), true);
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load(cfg));
        assertTrue(e.getMessage().startsWith(labels.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("label 99 of item 9 is out of range"), e.getMessage());
        DataFiles.writeIdxSet(dir, 20, 10, 4, 4, true);
        assertEquals(10, Datasets.load(cfg).split(Split.TEST).size());
        Files.delete(dir.resolve(IdxFiles.TRAIN_LABELS + ".gz"));
        assertEquals(10, Datasets.load(cfg).split(Split.TEST).size(), "the loaded data stays cached");
    }

    @Test
    void changedFilesAreReadAgainAndUnchangedOnesNot() throws IOException {
        DataFiles.writeIdxSet(dir, 20, 10, 4, 4, false);
        DatasetConfig cfg = DatasetConfig.idx(dir);
        LoadedData first = Datasets.load(cfg);
        long reads = Datasets.reads();
        assertSame(first, Datasets.load(cfg));
        assertEquals(reads, Datasets.reads(), "unchanged files: the cached copy");
        DataFiles.writeIdxSet(dir, 30, 10, 4, 4, false); // longer files, a later modification time
        LoadedData second = Datasets.load(cfg);
        assertNotSame(first, second);
        assertEquals(reads + 1, Datasets.reads());
        assertEquals(30, second.split(Split.TRAIN).size() + second.split(Split.VALIDATION).size());
    }

    @Test
    void fetchSaysWhetherThisCallReadTheFilesAndWhy() throws IOException {
        DataFiles.writeIdxSet(dir, 20, 10, 4, 4, false);
        DatasetConfig cfg = DatasetConfig.idx(dir);
        Datasets.Fetched first = Datasets.fetch(cfg);
        assertEquals(true, first.read());
        assertEquals("not cached", first.why());
        Datasets.Fetched again = Datasets.fetch(cfg);
        assertEquals(false, again.read());
        assertSame(first.data(), again.data());
        DataFiles.writeIdxSet(dir, 30, 10, 4, 4, false);
        Datasets.Fetched changed = Datasets.fetch(cfg);
        assertEquals(true, changed.read());
        assertEquals("its files changed", changed.why());
    }

    @Test
    void theCacheKeepsToItsBudgetButAlwaysKeepsTheNewest() {
        String old = System.getProperty(Datasets.BUDGET_PROPERTY);
        System.setProperty(Datasets.BUDGET_PROPERTY, "0");
        try {
            DatasetConfig a = DatasetConfig.synthetic(3, 1, 6, 6, 61, 12);
            DatasetConfig b = DatasetConfig.synthetic(3, 1, 6, 6, 62, 12);
            LoadedData first = Datasets.load(a);
            assertSame(first, Datasets.load(a), "the newest stays, over the budget");
            Datasets.load(b);
            long reads = Datasets.reads();
            assertNotSame(first, Datasets.load(a), "dropped for the newer one, so read again");
            assertEquals(reads + 1, Datasets.reads());
        } finally {
            if (old == null) {
                System.clearProperty(Datasets.BUDGET_PROPERTY);
            } else {
                System.setProperty(Datasets.BUDGET_PROPERTY, old);
            }
        }
    }

    @Test
    void cifarLoadsThroughTheConfig() throws IOException {
        DataFiles.writeCifarSet(dir, 10);
        LoadedData data = Datasets.load(DatasetConfig.cifar10(dir));
        assertEquals(50, data.split(Split.TRAIN).size() + data.split(Split.VALIDATION).size());
        assertEquals(10, data.split(Split.TEST).size());
        assertEquals(3, data.split(Split.TEST).channels());
    }

    private static Set<String> fingerprints(ImageSet set) {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < set.size(); i++) {
            out.add(Arrays.toString(set.image(i)));
        }
        return out;
    }
}
