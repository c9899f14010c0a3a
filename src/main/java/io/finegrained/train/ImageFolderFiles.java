package io.finegrained.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileStatus;

/**
 * Reads images kept the way torchvision's {@code ImageFolder} made common: the dataset's folder
 * holds {@code train/} and {@code test/}, each with one subfolder of PNG/JPEG files per class.
 * The class index is the position of the folder's name among {@code train/}'s class folders,
 * sorted by name (as {@code ImageFolder} does); {@code test/} may lack a class but not add one.
 * Files whose names do not end in {@code .png}, {@code .jpg} or {@code .jpeg} (any case), and
 * names starting with {@code .} or {@code _}, are ignored; a file with an image extension that
 * does not decode is an error naming it.
 *
 * <p>Order: images are ordered by file name across the classes (ties by class index), not
 * class by class. The split and the training shuffle start from that order, so a folder whose
 * files are numbered as the images of another source trains exactly as that source.
 */
final class ImageFolderFiles {
    static final String TRAIN = "train";
    static final String TEST = "test";
    private static final String LAYOUT = "the image_folder layout: train/ and test/, each with one folder of PNG/JPEG"
            + " images per class";

    private ImageFolderFiles() {
    }

    /** The class names (sorted folder names under {@code train/}), checking the layout. */
    static List<String> classes(DataLocation root) {
        root.requireFolder(LAYOUT);
        DataLocation train = root.resolve(TRAIN);
        DataLocation test = root.resolve(TEST);
        for (DataLocation split : List.of(train, test)) {
            if (!split.isFolder()) {
                throw new DatasetException(split + ": no such folder; expected " + LAYOUT);
            }
        }
        List<String> classes = classFolders(train);
        if (classes.size() < 2) {
            throw new DatasetException(train + ": holds " + classes.size() + " class folder" + (classes.size() == 1 ? "" : "s")
                    + "; expected at least 2 (" + LAYOUT + ")");
        }
        for (String name : classFolders(test)) {
            if (!classes.contains(name)) {
                throw new DatasetException(test.resolve(name) + ": a class that train/ does not have; expected one of "
                        + classes);
            }
        }
        return classes;
    }

    /** The shape of the first image of the first class of {@code train/}: {@code [C, H, W]}. */
    static int[] firstShape(DataLocation root, List<String> classes) {
        for (String name : classes) {
            List<FileStatus> files = images(root.resolve(TRAIN).resolve(name));
            if (!files.isEmpty()) {
                DataLocation file = new DataLocation(files.get(0).getPath().toUri());
                return ImageDecoding.shapeOf(file.readAll("a PNG or JPEG image"), file.toString());
            }
        }
        throw new DatasetException(root.resolve(TRAIN) + ": no PNG or JPEG images in its class folders; expected " + LAYOUT);
    }

    /** The images of one split ({@link #TRAIN} or {@link #TEST}), decoded into the given shape. */
    static ImageSet read(DataLocation root, String split, List<String> classes, int channels, int height, int width) {
        record Entry(String name, int label, DataLocation file) {
        }
        List<Entry> entries = new ArrayList<>();
        DataLocation folder = root.resolve(split);
        for (int label = 0; label < classes.size(); label++) {
            DataLocation classFolder = folder.resolve(classes.get(label));
            if (!classFolder.isFolder()) {
                continue; // a test split may lack a class
            }
            for (FileStatus f : images(classFolder)) {
                entries.add(new Entry(f.getPath().getName(), label, new DataLocation(f.getPath().toUri())));
            }
        }
        if (entries.isEmpty()) {
            throw new DatasetException(folder + ": no PNG or JPEG images in its class folders; expected " + LAYOUT);
        }
        entries.sort(Comparator.comparing(Entry::name).thenComparingInt(Entry::label));
        int size = channels * height * width;
        byte[] pixels = new byte[Math.toIntExact((long) entries.size() * size)];
        byte[] labels = new byte[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            ImageDecoding.decodeInto(e.file().readAll("a PNG or JPEG image"), e.file().toString(), channels, height, width,
                    pixels, i * size);
            labels[i] = (byte) e.label();
        }
        return new ImageSet(pixels, labels, channels, height, width);
    }

    /** The class folders of a split, sorted by name. */
    private static List<String> classFolders(DataLocation split) {
        List<String> out = new ArrayList<>();
        for (FileStatus f : split.list(LAYOUT)) {
            if (f.isDirectory() && !hidden(f.getPath().getName())) {
                out.add(f.getPath().getName());
            }
        }
        return out;
    }

    /** The image files of a class folder, sorted by name. */
    static List<FileStatus> images(DataLocation classFolder) {
        List<FileStatus> out = new ArrayList<>();
        for (FileStatus f : classFolder.list("a folder of PNG/JPEG images")) {
            String name = f.getPath().getName();
            String lower = name.toLowerCase(Locale.ROOT);
            if (f.isFile() && !hidden(name) && (lower.endsWith(".png") || lower.endsWith(".jpg") || lower.endsWith(".jpeg"))) {
                out.add(f);
            }
        }
        return out;
    }

    private static boolean hidden(String name) {
        return name.startsWith(".") || name.startsWith("_");
    }
}
