package io.finegrained.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Reads labelled images from a Parquet table with parquet-hadoop (which Spark brings), in the
 * task that needs them: no SparkSession is needed on an executor. A table is one Parquet file or
 * a folder of them (what Spark's {@code df.write.parquet} makes; names starting with {@code _}
 * or {@code .}, such as {@code _SUCCESS} and checksums, are skipped; partition subfolders are not
 * read), files in name order, rows in file order. Only the two named columns are read:
 * <ul>
 * <li>the image: {@code binary}, holding an encoded PNG/JPEG image ({@code image_format: encoded})
 * or {@code C×H×W} unsigned bytes, channel-major ({@code image_format: raw}); or a struct with a
 * binary {@code bytes} field (how Hugging Face datasets store images);</li>
 * <li>the label: an integer column (int8 to int64) with values in {@code 0..classes-1}.</li>
 * </ul>
 * Every error names the file, and the row within it when a value is wrong.
 */
final class ParquetImages {
    private ParquetImages() {
    }

    /** How the image column holds its bytes. */
    private enum ImageKind { BINARY, STRUCT_BYTES }

    /** The Parquet files of a table, in name order. */
    static List<FileStatus> files(DataLocation table) {
        FileStatus status = table.status("a Parquet table (a .parquet file or a folder of them)");
        if (status.isFile()) {
            return List.of(status);
        }
        List<FileStatus> out = new ArrayList<>();
        for (FileStatus f : table.list("a Parquet table (a folder of .parquet files)")) {
            String name = f.getPath().getName();
            if (f.isFile() && !name.startsWith("_") && !name.startsWith(".") && f.getLen() > 0) {
                out.add(f);
            }
        }
        if (out.isEmpty()) {
            throw new DatasetException(table + ": holds no Parquet files; expected a Parquet table (a .parquet file or a folder of"
                    + " them, as Spark's df.write.parquet makes)");
        }
        return out;
    }

    /**
     * Checks that the first file has both columns with usable types (the start-of-run check)
     * and returns the first row's image bytes, or null when the table has no rows.
     */
    static byte[] check(DataLocation table, String imageColumn, String labelColumn) {
        FileStatus first = files(table).get(0);
        try (ParquetFileReader reader = open(first)) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            MessageType projection = project(schema, name(first), imageColumn, labelColumn);
            reader.setRequestedSchema(projection);
            PageReadStore pages = reader.readNextRowGroup();
            if (pages == null || pages.getRowCount() == 0) {
                return null;
            }
            Group row = records(projection, pages).read();
            return image(row, imageKind(projection, imageColumn, name(first)), imageColumn, name(first), 0);
        } catch (IOException e) {
            throw location(first).failure(e, "a Parquet file");
        }
    }

    /** Every row of every file, the images decoded (or copied, when raw) into {@code C×H×W}. */
    static ImageSet read(DataLocation table, String imageColumn, String labelColumn, boolean raw, int channels, int height,
                         int width, int classes) {
        int size = channels * height * width;
        java.io.ByteArrayOutputStream pixels = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream labels = new java.io.ByteArrayOutputStream();
        byte[] one = new byte[size];
        for (FileStatus file : files(table)) {
            String name = name(file);
            try (ParquetFileReader reader = open(file)) {
                MessageType projection = project(reader.getFooter().getFileMetaData().getSchema(), name, imageColumn, labelColumn);
                reader.setRequestedSchema(projection);
                ImageKind kind = imageKind(projection, imageColumn, name);
                boolean longLabel = projection.getType(labelColumn).asPrimitiveType().getPrimitiveTypeName()
                        == PrimitiveTypeName.INT64;
                long row = 0;
                PageReadStore pages;
                while ((pages = reader.readNextRowGroup()) != null) {
                    RecordReader<Group> records = records(projection, pages);
                    for (long r = 0; r < pages.getRowCount(); r++, row++) {
                        Group g = records.read();
                        long label = label(g, labelColumn, longLabel, name, row);
                        if (label < 0 || label >= classes) {
                            throw new DatasetException(name + ": row " + row + ": label " + label + " in column '" + labelColumn
                                    + "' is out of range; expected 0.." + (classes - 1) + " (" + classes + " classes)");
                        }
                        byte[] bytes = image(g, kind, imageColumn, name, row);
                        if (raw) {
                            if (bytes.length != size) {
                                throw new DatasetException(name + ": row " + row + ": the raw image in column '" + imageColumn
                                        + "' has " + bytes.length + " bytes; expected " + size + " (" + channels + "x" + height
                                        + "x" + width + " unsigned bytes, channel-major)");
                            }
                            pixels.write(bytes, 0, size);
                        } else {
                            ImageDecoding.decodeInto(bytes, name + ": row " + row + " (column '" + imageColumn + "')", channels,
                                    height, width, one, 0);
                            pixels.write(one, 0, size);
                        }
                        labels.write((int) label);
                    }
                }
            } catch (IOException e) {
                throw location(file).failure(e, "a Parquet file");
            }
        }
        return new ImageSet(pixels.toByteArray(), labels.toByteArray(), channels, height, width);
    }

    private static ParquetFileReader open(FileStatus file) throws IOException {
        return ParquetFileReader.open(HadoopInputFile.fromStatus(file, HadoopConf.get()));
    }

    private static RecordReader<Group> records(MessageType projection, PageReadStore pages) {
        MessageColumnIO io = new ColumnIOFactory().getColumnIO(projection);
        return io.getRecordReader(pages, new GroupRecordConverter(projection));
    }

    /** The schema of just the two columns, checking that they are there with types that fit. */
    private static MessageType project(MessageType schema, String file, String imageColumn, String labelColumn) {
        List<String> names = new ArrayList<>();
        for (Type t : schema.getFields()) {
            names.add(t.getName());
        }
        for (String column : List.of(imageColumn, labelColumn)) {
            if (!schema.containsField(column)) {
                throw new DatasetException(file + ": no column '" + column + "'; the table has " + names
                        + " (name the columns with dataset.image_column and dataset.label_column)");
            }
        }
        Type label = schema.getType(labelColumn);
        if (!label.isPrimitive() || (label.asPrimitiveType().getPrimitiveTypeName() != PrimitiveTypeName.INT32
                && label.asPrimitiveType().getPrimitiveTypeName() != PrimitiveTypeName.INT64)) {
            throw new DatasetException(file + ": column '" + labelColumn + "' is " + describe(label)
                    + "; expected an integer label column (int8 to int64)");
        }
        MessageType projection = new MessageType(schema.getName(), schema.getType(imageColumn), label);
        imageKind(projection, imageColumn, file); // checks the image column's type
        return projection;
    }

    private static ImageKind imageKind(MessageType projection, String column, String file) {
        Type image = projection.getType(column);
        if (image.isPrimitive() && image.asPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.BINARY) {
            return ImageKind.BINARY;
        }
        if (!image.isPrimitive()) {
            GroupType group = image.asGroupType();
            if (group.containsField("bytes") && group.getType("bytes").isPrimitive()
                    && group.getType("bytes").asPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.BINARY) {
                return ImageKind.STRUCT_BYTES;
            }
        }
        throw new DatasetException(file + ": column '" + column + "' is " + describe(image)
                + "; expected binary (encoded PNG/JPEG, or raw pixels) or a struct with a binary 'bytes' field");
    }

    private static byte[] image(Group row, ImageKind kind, String column, String file, long index) {
        if (row.getFieldRepetitionCount(column) == 0) {
            throw new DatasetException(file + ": row " + index + ": the image in column '" + column + "' is null");
        }
        if (kind == ImageKind.BINARY) {
            return row.getBinary(column, 0).getBytes();
        }
        Group struct = row.getGroup(column, 0);
        if (struct.getFieldRepetitionCount("bytes") == 0) {
            throw new DatasetException(file + ": row " + index + ": the image in column '" + column + ".bytes' is null");
        }
        return struct.getBinary("bytes", 0).getBytes();
    }

    private static long label(Group row, String column, boolean isLong, String file, long index) {
        if (row.getFieldRepetitionCount(column) == 0) {
            throw new DatasetException(file + ": row " + index + ": the label in column '" + column + "' is null");
        }
        return isLong ? row.getLong(column, 0) : row.getInteger(column, 0);
    }

    private static String describe(Type type) {
        if (type.isPrimitive()) {
            PrimitiveType p = type.asPrimitiveType();
            return p.getPrimitiveTypeName().name().toLowerCase(java.util.Locale.ROOT)
                    + (p.getLogicalTypeAnnotation() == null ? "" : " (" + p.getLogicalTypeAnnotation() + ")");
        }
        return "a group " + type.asGroupType().getFields().stream().map(Type::getName).toList();
    }

    private static DataLocation location(FileStatus file) {
        return new DataLocation(file.getPath().toUri());
    }

    private static String name(FileStatus file) {
        return location(file).toString();
    }
}
