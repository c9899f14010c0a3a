package io.finegrained.train;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * The embedded Fashion-MNIST subset written out in the formats a user brings: its IDX files, a
 * folder per class of PNG files, Parquet tables. Same images, same order (PNG of 8-bit gray is
 * lossless; image_folder orders by file name, so the files are numbered as the IDX images), so a
 * training on any of them must give the same figures.
 */
public final class SubsetExports {
    public static final List<String> FILES = List.of(IdxFiles.TRAIN_IMAGES, IdxFiles.TRAIN_LABELS, IdxFiles.TEST_IMAGES,
            IdxFiles.TEST_LABELS);

    static {
        ImageIO.setUseCache(false); // encode in memory, not through temporary files
    }

    private SubsetExports() {
    }

    /** The subset's train or test split, in file order. */
    public static ImageSet split(String split) throws IOException {
        boolean train = split.equals("train");
        String images = Datasets.EMBEDDED_FOLDER + (train ? IdxFiles.TRAIN_IMAGES : IdxFiles.TEST_IMAGES) + ".gz";
        String labels = Datasets.EMBEDDED_FOLDER + (train ? IdxFiles.TRAIN_LABELS : IdxFiles.TEST_LABELS) + ".gz";
        try (InputStream im = SubsetExports.class.getResourceAsStream(images);
             InputStream lb = SubsetExports.class.getResourceAsStream(labels)) {
            return IdxFiles.read(im, images, lb, labels, 10);
        }
    }

    /** Copies the four gzipped IDX files into {@code folder} on any Hadoop file system. */
    public static void idx(String folder) throws IOException {
        for (String name : FILES) {
            try (InputStream in = SubsetExports.class.getResourceAsStream(Datasets.EMBEDDED_FOLDER + name + ".gz");
                 OutputStream out = create(folder + "/" + name + ".gz")) {
                in.transferTo(out);
            }
        }
    }

    /** {@code folder/train/cK/NNNNN.png} and {@code folder/test/cK/NNNNN.png}, K the label, N the IDX index. */
    public static void imageFolder(Path folder) throws IOException {
        for (String split : List.of("train", "test")) {
            ImageSet set = split(split);
            for (int c = 0; c < 10; c++) {
                Files.createDirectories(folder.resolve(split).resolve("c" + c));
            }
            for (int i = 0; i < set.size(); i++) {
                Files.write(folder.resolve(split).resolve("c" + set.label(i)).resolve(String.format("%05d.png", i)),
                        png(set, i));
            }
        }
    }

    /**
     * {@code folder/train/part-00000.parquet} and {@code folder/test/...}: columns {@code image}
     * (the PNG bytes), {@code pixels} (the raw 784 bytes) and {@code label} (int32), written with
     * parquet-hadoop (snappy) onto any Hadoop file system.
     */
    public static void parquet(String folder) throws IOException {
        MessageType schema = MessageTypeParser.parseMessageType(
                "message images { required binary image; required binary pixels; required int32 label; }");
        for (String split : List.of("train", "test")) {
            ImageSet set = split(split);
            org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(folder + "/" + split + "/part-00000.parquet");
            SimpleGroupFactory rows = new SimpleGroupFactory(schema);
            try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(file).withConf(HadoopConf.get()).withType(schema)
                    .withCompressionCodec(CompressionCodecName.SNAPPY).withRowGroupSize(1L << 20).build()) {
                for (int i = 0; i < set.size(); i++) {
                    byte[] raw = new byte[set.imageSize()];
                    System.arraycopy(set.pixelArray(), i * raw.length, raw, 0, raw.length);
                    writer.write(rows.newGroup().append("image", Binary.fromConstantByteArray(png(set, i)))
                            .append("pixels", Binary.fromConstantByteArray(raw)).append("label", set.label(i)));
                }
            }
        }
    }

    /** Image {@code i} as an 8-bit grayscale PNG. */
    public static byte[] png(ImageSet set, int i) throws IOException {
        BufferedImage image = new BufferedImage(set.width(), set.height(), BufferedImage.TYPE_BYTE_GRAY);
        int[] pixels = set.image(i);
        image.getRaster().setPixels(0, 0, set.width(), set.height(), pixels);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static OutputStream create(String uri) throws IOException {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(uri);
        Configuration conf = HadoopConf.get();
        return FileSystem.get(path.toUri(), conf).create(path, false);
    }
}
