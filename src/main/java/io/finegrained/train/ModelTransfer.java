package io.finegrained.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * A model export ({@link ModelExport}) at a location on any Hadoop file system. DJL reads and
 * writes only local folders, so a remote export is copied: {@link #fetch} brings one to a local
 * temporary folder before it is loaded, {@link #prepare} checks (and creates) a remote target at
 * the start, and {@link #publish} copies what DJL saved locally to it. Local locations are used
 * in place. Failures are {@link DatasetException}s naming the location.
 */
public final class ModelTransfer {
    private static final List<String> FILES = List.of(ModelExport.PARAMETERS_FILE, ModelExport.YAML_FILE);
    /**
     * Remote exports already copied in this JVM: every trial of a run names the same start model
     * or teacher, and an executor copies it once, not once per trial. Kept with the parameters
     * file's length and modification time, so a model exported again to the same place (a
     * notebook's long-lived JVM) is copied again.
     */
    private static final Map<DataLocation, Copy> FETCHED = new ConcurrentHashMap<>();

    private record Copy(Path folder, long length, long modified) {
    }

    private ModelTransfer() {
    }

    /**
     * The local folder holding the export at {@code location}: itself, or a copy in a temporary
     * folder (made once per JVM and location).
     */
    public static Path fetch(DataLocation location) {
        String expected = "a model exported by finegrained (" + String.join(", ", FILES) + ")";
        location.requireFolder(expected);
        if (location.isLocal()) {
            return location.localPath();
        }
        DataLocation parameters = location.resolve(ModelExport.PARAMETERS_FILE);
        if (!parameters.isFile()) {
            throw new DatasetException(parameters + ": no such file; expected " + expected);
        }
        FileStatus status = parameters.status(expected);
        Copy copied = FETCHED.get(location);
        if (copied != null && copied.length() == status.getLen() && copied.modified() == status.getModificationTime()
                && Files.isRegularFile(copied.folder().resolve(ModelExport.PARAMETERS_FILE))) {
            return copied.folder();
        }
        Path local = copy(location, expected);
        FETCHED.put(location, new Copy(local, status.getLen(), status.getModificationTime()));
        return local;
    }

    private static Path copy(DataLocation location, String expected) {
        try {
            Path local = Files.createTempDirectory("finegrained-model-");
            local.toFile().deleteOnExit();
            for (String name : FILES) {
                DataLocation file = location.resolve(name);
                if (file.isFile()) {
                    try (InputStream in = file.open(expected)) {
                        Files.copy(in, local.resolve(name));
                    }
                    local.resolve(name).toFile().deleteOnExit();
                }
            }
            return local;
        } catch (IOException e) {
            throw location.failure(e, expected);
        }
    }

    /**
     * Where DJL should save an export meant for {@code location}: the folder itself when local,
     * else a new local temporary folder; a remote folder is created now, so a location that
     * cannot be written fails before the training.
     */
    public static Path prepare(DataLocation location) {
        if (location.isLocal()) {
            return location.localPath();
        }
        FileSystem fs = location.fileSystem();
        try {
            if (fs.exists(location.hadoopPath()) && !fs.getFileStatus(location.hadoopPath()).isDirectory()) {
                throw new DatasetException(location + ": is a file; expected a folder to export the model into");
            }
            if (!fs.mkdirs(location.hadoopPath())) {
                throw new DatasetException(location + ": cannot create the folder; expected a folder to export the model into");
            }
            return Files.createTempDirectory("finegrained-export-");
        } catch (IOException e) {
            throw location.failure(e, "a folder to export the model into");
        }
    }

    /** Copies the export DJL saved in {@code local} to a remote {@code location} (nothing to do when local). */
    public static void publish(Path local, DataLocation location) {
        if (location.isLocal()) {
            return;
        }
        FileSystem fs = location.fileSystem();
        try (var files = Files.list(local)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) { // what DJL and ModelExport wrote
                try (InputStream in = Files.newInputStream(file);
                     OutputStream out = fs.create(location.resolve(file.getFileName().toString()).hadoopPath(), true)) {
                    in.transferTo(out);
                }
                Files.delete(file);
            }
        } catch (IOException e) {
            throw location.failure(e, "a folder to export the model into");
        }
        try {
            Files.deleteIfExists(local); // our own temporary folder, now empty
        } catch (IOException e) {
            // left in the temporary directory; harmless
        }
    }
}
