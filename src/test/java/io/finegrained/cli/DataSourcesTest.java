package io.finegrained.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.finegrained.train.SubsetExports;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded Fashion-MNIST subset as IDX files, as a folder of PNG files per class and as
 * Parquet tables (PNG bytes, raw pixels): {@code train} gives the same test accuracy and loss on
 * each, to the last digit, since the images, their order and the seed are the same. And the
 * errors of each source: a wrong column, an undecodable image, a label out of range, a location
 * that is not there.
 */
class DataSourcesTest {
    private static final String NETWORK = """
            search_space:
              type: FineGrainedSpace
              modules: ['init', 'head']
              init:
                type: SmallInputInitialBlock
                init_plane: 8
              head:
                type: LinearClassificationHead
                base_channel: 8
                num_class: 10
            trainer:
              epochs: 1
              seed: 7
            """;

    @TempDir
    static Path dir;

    @BeforeAll
    static void exportTheSubset() throws Exception {
        long start = System.nanoTime();
        SubsetExports.idx(dir.resolve("idx").toUri().toString());
        SubsetExports.imageFolder(dir.resolve("folders"));
        SubsetExports.parquet(dir.resolve("parquet").toUri().toString());
        System.err.printf("exported in %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    static Path job(Path folder, String name, String dataset) throws Exception {
        Path file = folder.resolve(name + ".yml");
        Files.writeString(file, NETWORK + "dataset:\n" + dataset.indent(2));
        return file;
    }

    static JsonNode train(Path job) throws Exception {
        long start = System.nanoTime();
        String[] r = ExplainCommandTest.run("train", job.toString(), "--json");
        System.err.printf("train %s: %.1f s%n", job.getFileName(), (System.nanoTime() - start) / 1e9);
        assertEquals("0", r[0], r[2]);
        return ExplainCommandTest.lastJson(r[1]).get("metrics");
    }

    static String[] fails(Path job) {
        return ExplainCommandTest.run("train", job.toString(), "--json");
    }

    @Test
    void everySourceOfTheSameImagesTrainsToTheSameAccuracy() throws Exception {
        JsonNode idx = train(job(dir, "idx", "source: idx\npath: idx\n"));
        JsonNode folders = train(job(dir, "folders", "source: image_folder\npath: folders\n"));
        JsonNode parquet = train(job(dir, "parquet", "source: parquet\npath: " + dir.resolve("parquet").toUri() + "\n"
                + "image_column: image\nlabel_column: label\n"));
        JsonNode raw = train(job(dir, "raw", "source: parquet\npath: parquet\nimage_column: pixels\nimage_format: raw\n"
                + "shape: [1, 28, 28]\n"));
        assertTrue(idx.get("accuracy").asDouble() > 0.2, idx.toString()); // above chance (0.1): it learned, a real comparison
        for (JsonNode other : new JsonNode[] {folders, parquet, raw}) {
            assertEquals(idx.get("accuracy").asDouble(), other.get("accuracy").asDouble(), other.toString());
            assertEquals(idx.get("loss").asDouble(), other.get("loss").asDouble(), other.toString());
        }
    }

    @Test
    void aWrongColumnIsAConfigurationErrorNamingTheFileAndTheColumns() throws Exception {
        String[] r = fails(job(dir, "column", "source: parquet\npath: parquet\nimage_column: img\n"));
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("column.yml:16:9: dataset.path:") && r[2].contains("train/part-00000.parquet: no column 'img';"
                + " the table has [image, pixels, label]"), r[2]);
        String[] type = fails(job(dir, "label", "source: parquet\npath: parquet\nlabel_column: image\n"));
        assertEquals("2", type[0], type[2]);
        assertTrue(type[2].contains("column 'image' is binary; expected an integer label column"), type[2]);
    }

    @Test
    void aLabelOutOfRangeNamesTheRow() throws Exception {
        String[] r = fails(job(dir, "classes", "source: parquet\npath: parquet\nclasses: 9\n"));
        assertEquals("1", r[0], r[2]);
        assertTrue(r[2].matches("(?s).*train/part-00000\\.parquet: row \\d+: label 9 in column 'label' is out of range;"
                + " expected 0\\.\\.8 \\(9 classes\\).*"), r[2]);
    }

    @Test
    void anUndecodableImageNamesItsFile(@TempDir Path own) throws Exception {
        for (String split : new String[] {"train", "test"}) {
            for (String c : new String[] {"a", "b c"}) { // a space: class names are folder names
                Files.createDirectories(own.resolve("f").resolve(split).resolve(c));
                Files.write(own.resolve("f").resolve(split).resolve(c).resolve("0.png"),
                        SubsetExports.png(SubsetExports.split("test"), c.equals("a") ? 0 : 1));
            }
        }
        Path broken = own.resolve("f/train/b c/1.png");
        Files.write(broken, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        String[] r = fails(job(own, "broken", "source: image_folder\npath: f\n"));
        assertEquals("1", r[0], r[2]);
        assertTrue(r[2].contains(broken + ": "), r[2]);
        assertTrue(r[2].contains("expected a PNG or JPEG image"), r[2]);
        Files.write(broken, SubsetExports.png(SubsetExports.split("test"), 2));
        Files.createDirectories(own.resolve("f/test/z"));
        String[] extra = fails(job(own, "extra", "source: image_folder\npath: f\n"));
        assertEquals("2", extra[0], extra[2]);
        assertTrue(extra[2].contains(own.resolve("f/test/z") + ": a class that train/ does not have; expected one of [a, b c]"),
                extra[2]);
    }

    @Test
    void aMissingFolderAndAnUnknownSchemeAreConfigurationErrors() throws Exception {
        String[] missing = fails(job(dir, "missing", "source: idx\npath: nowhere\n"));
        assertEquals("2", missing[0], missing[2]);
        assertTrue(missing[2].contains("missing.yml:16:9: dataset.path: " + dir.resolve("nowhere") + ": no such folder;"),
                missing[2]);
        String[] scheme = fails(job(dir, "scheme", "source: idx\npath: foo://x/data\n"));
        assertEquals("2", scheme[0], scheme[2]);
        assertTrue(scheme[2].contains("scheme.yml:16:9: dataset.path: foo://x/data: no file system for the scheme 'foo'"),
                scheme[2]);
        String[] parquet = fails(job(dir, "notable", "source: parquet\npath: idx\n"));
        assertEquals("2", parquet[0], parquet[2]);
        assertTrue(parquet[2].contains(dir.resolve("idx/train") + ": no such table"), parquet[2]);
        String[] host = fails(job(dir, "host", "source: idx\npath: hdfs://no-such-host.invalid:8020/data\n"));
        assertEquals("2", host[0], host[2]);
        assertTrue(host[2].contains("host.yml:16:9: dataset.path: hdfs://no-such-host.invalid:8020/data: cannot reach its file"
                + " system ("), host[2]);
        for (String[] r : new String[][] {missing, scheme, parquet, host}) {
            assertTrue(!r[2].contains("\tat "), "no stack trace: " + r[2]);
        }
    }
}
