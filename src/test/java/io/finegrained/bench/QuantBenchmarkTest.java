package io.finegrained.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.finegrained.train.DatasetConfig;
import io.finegrained.train.Datasets;
import io.finegrained.train.ImageSet;
import io.finegrained.train.LoadedData;
import io.finegrained.train.Split;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's data subset: the first N images of each IDX file, readable by the idx source. */
class QuantBenchmarkTest {
    @Test
    void theSubsetIsTheFirstImagesOfEachFile(@TempDir Path dir) throws Exception {
        Path gz = dir.resolve("gz");
        Files.createDirectories(gz);
        for (String name : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
            try (InputStream in = QuantBenchmarkTest.class.getResourceAsStream("/datasets/fashion-mnist-subset/" + name + ".gz")) {
                Files.copy(in, gz.resolve(name + ".gz"));
            }
        }
        Path subset = dir.resolve("subset");
        QuantBenchmark.slice(gz, subset, 300, 0);
        LoadedData all = Datasets.load(DatasetConfig.idx(gz).withValidation(0));
        LoadedData part = Datasets.load(DatasetConfig.idx(subset).withValidation(0));
        ImageSet train = part.split(Split.TRAIN);
        assertEquals(300, train.size());
        assertEquals(all.split(Split.TEST).size(), part.split(Split.TEST).size(), "test size 0 keeps the whole test file");
        for (int i : new int[] {0, 1, 150, 299}) {
            assertArrayEquals(all.split(Split.TRAIN).image(i), train.image(i), "image " + i);
            assertEquals(all.split(Split.TRAIN).label(i), train.label(i), "label " + i);
        }
        QuantBenchmark.slice(gz, dir.resolve("small"), 40, 25);
        assertEquals(25, Datasets.load(DatasetConfig.idx(dir.resolve("small")).withValidation(0)).split(Split.TEST).size());
    }
}
