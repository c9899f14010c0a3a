package io.finegrained.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.config.JobConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Parquet table as Spark writes it ({@code df.write.parquet}: snappy part files beside
 * {@code _SUCCESS} and checksum files, nullable columns, a struct column the way Hugging Face
 * stores images) reads into exactly the images of the IDX files it was made from.
 */
class SparkParquetTest {
    @TempDir
    Path dir;

    @Test
    void aTableSparkWroteHoldsTheImagesOfTheIdxFiles() throws Exception {
        SparkSession spark = io.finegrained.spark.TestSpark.session(); // the tests' one session: never one of another master
        StructType hf = new StructType().add("bytes", DataTypes.BinaryType).add("path", DataTypes.StringType);
        StructType schema = new StructType().add("label", DataTypes.LongType).add("pixels", DataTypes.BinaryType)
                .add("img", hf);
        for (String split : List.of("train", "test")) {
            ImageSet set = SubsetExports.split(split);
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < set.size(); i++) {
                byte[] raw = new byte[set.imageSize()];
                System.arraycopy(set.pixelArray(), i * raw.length, raw, 0, raw.length);
                rows.add(RowFactory.create((long) set.label(i), raw, RowFactory.create(SubsetExports.png(set, i), i + ".png")));
            }
            spark.createDataFrame(rows, schema).coalesce(1).write().mode(SaveMode.ErrorIfExists)
                    .parquet(dir.resolve("table").resolve(split).toString());
        }
        assertTrue(Files.exists(dir.resolve("table/train/_SUCCESS")), "Spark's marker file is there, and skipped");
        SubsetExports.idx(dir.resolve("idx").toUri().toString());

        LoadedData idx = load("source: idx\n  path: idx");
        LoadedData raw = load("source: parquet\n  path: table\n  image_column: pixels\n  image_format: raw\n  shape: [1, 28, 28]");
        LoadedData png = load("source: parquet\n  path: table\n  image_column: img");
        for (LoadedData other : List.of(raw, png)) {
            assertEquals(idx.mean(0), other.mean(0));
            for (Split split : Split.values()) {
                ImageSet a = idx.split(split);
                ImageSet b = other.split(split);
                assertEquals(a.size(), b.size());
                assertArrayEquals(a.pixelArray(), b.pixelArray(), split.toString());
                for (int i = 0; i < a.size(); i++) {
                    assertEquals(a.label(i), b.label(i));
                }
            }
        }
    }

    private LoadedData load(String dataset) throws Exception {
        Path file = dir.resolve("job.yml");
        Files.writeString(file, "search_space: {}\ndataset:\n  " + dataset + "\n");
        return Datasets.load(DatasetConfig.from(JobConfig.load(file)));
    }
}
