package io.finegrained.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.config.ConfigException;
import io.finegrained.config.JobConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetConfigTest {
    @TempDir
    Path dir;

    private DatasetConfig parse(String datasetYaml) {
        JobConfig job = JobConfig.parse("search_space: {}\n" + datasetYaml, dir.resolve("job.yml"));
        return DatasetConfig.from(job.section("dataset"), dir);
    }

    private ConfigException error(String datasetYaml) {
        return assertThrows(ConfigException.class, () -> parse(datasetYaml));
    }

    @Test
    void noSectionMeansTheEmbeddedSubset() {
        DatasetConfig cfg = parse("");
        assertEquals(DatasetConfig.embedded(), cfg);
        assertArrayEquals(new long[] {1, 28, 28}, cfg.inputShape());
        assertEquals(10, cfg.numClasses());
        assertEquals(0.1, cfg.validation());
        assertTrue(cfg.normalization().enabled());
        assertEquals(0, cfg.randomCrop());
    }

    @Test
    void idxFolderRelativeToTheJobFileGivesTheImageSizeFromTheHeader() throws IOException {
        DataFiles.writeIdxSet(dir.resolve("data"), 20, 10, 12, 9, true);
        DatasetConfig cfg = parse("dataset:\n  source: idx\n  path: data\n  validation: 0.2\n");
        assertEquals(DatasetConfig.Source.IDX, cfg.source());
        assertEquals(DataLocation.local(dir.resolve("data")), cfg.path());
        assertEquals(dir.resolve("data"), cfg.path().localPath());
        assertArrayEquals(new long[] {1, 12, 9}, cfg.inputShape());
        assertEquals(0.2, cfg.validation());
    }

    @Test
    void cifarDefaultsToCropAndFlip() throws IOException {
        DataFiles.writeCifarSet(dir.resolve("c"), 1);
        DatasetConfig cfg = parse("dataset: {source: cifar10, path: c}\n");
        assertArrayEquals(new long[] {3, 32, 32}, cfg.inputShape());
        assertEquals(4, cfg.randomCrop());
        assertTrue(cfg.randomFlip());
        DatasetConfig off = parse("dataset: {source: cifar10, path: c, random_crop: 0, random_flip: false}\n");
        assertEquals(0, off.randomCrop());
        assertFalse(off.randomFlip());
    }

    @Test
    void syntheticShapeAndSizes() {
        DatasetConfig cfg = parse("dataset: {source: synthetic, shape: [3, 8, 6], classes: 4, train_size: 40, test_size: 12}\n");
        assertArrayEquals(new long[] {3, 8, 6}, cfg.inputShape());
        assertEquals(4, cfg.numClasses());
        assertEquals(40, cfg.trainSize());
    }

    @Test
    void explicitNormalization() {
        DatasetConfig cfg = parse("dataset:\n  normalize: {mean: [0.5], std: [0.25]}\n");
        assertEquals(List.of(0.5), cfg.normalization().mean());
        assertFalse(parse("dataset: {normalize: false}\n").normalization().enabled());
    }

    @Test
    void errorsAreLocatedAtTheKey() throws IOException {
        ConfigException typo = error("dataset:\n  sorce: idx\n");
        assertEquals("dataset.sorce", typo.keyPath());
        assertTrue(typo.getMessage().contains("did you mean 'source'"), typo.getMessage());

        ConfigException missing = error("dataset:\n  source: idx\n  path: nowhere\n");
        assertEquals("dataset.path", missing.keyPath());
        assertEquals(4, missing.location().line());
        assertTrue(missing.getMessage().contains(dir.resolve("nowhere") + ": no such folder"), missing.getMessage());

        Files.createDirectories(dir.resolve("empty"));
        ConfigException noFiles = error("dataset:\n  source: idx\n  path: empty\n");
        assertEquals("dataset.path", noFiles.keyPath());
        assertTrue(noFiles.getMessage().contains("train-images-idx3-ubyte.gz: no such file"), noFiles.getMessage());

        ConfigException fraction = error("dataset:\n  validation: 1.5\n");
        assertEquals("dataset.validation", fraction.keyPath());
        assertEquals(3, fraction.location().line());

        ConfigException source = error("dataset: {source: imagenet}\n");
        assertTrue(source.getMessage().contains("unknown source 'imagenet'"), source.getMessage());

        ConfigException wrongPlace = error("dataset: {shape: [1, 2, 3]}\n");
        assertEquals("dataset.shape", wrongPlace.keyPath());

        ConfigException pathWithoutSource = error("dataset: {path: x}\n");
        assertTrue(pathWithoutSource.getMessage().contains("source: idx"), pathWithoutSource.getMessage());

        ConfigException std = error("dataset:\n  normalize: {mean: [0.5], std: [0]}\n");
        assertEquals("dataset.normalize", std.keyPath());
    }
}
