package io.finegrained.train;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.apache.hadoop.security.AccessControlException;

/**
 * A file or folder on any Hadoop-compatible file system ({@code file:}, {@code hdfs:},
 * {@code s3a:}, … whichever connectors are on the classpath), read through Hadoop's
 * {@link FileSystem} API with {@link HadoopConf}. A plain path is a local file, relative to a
 * base folder (the job file's). Immutable; equal locations name the same place. Every failure is
 * a {@link DatasetException} that starts with the location and says what went wrong: no such
 * file, permission denied, no file system for the scheme, unreachable.
 */
public record DataLocation(URI uri) {
    /** {@code scheme:} at the start: two letters at least, so a one-letter drive is not a scheme. */
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:.*");

    public DataLocation {
        if (uri == null || uri.getScheme() == null) {
            throw new IllegalArgumentException("a data location needs an absolute URI, got " + uri);
        }
        String text = uri.toString();
        if (text.endsWith("/") && uri.getPath() != null && uri.getPath().length() > 1) {
            uri = URI.create(text.substring(0, text.length() - 1)); // one spelling per folder: equal configs share a cache entry
        }
    }

    /** A URI with a scheme as written, or a plain path resolved against {@code baseDir}. */
    public static DataLocation parse(String text, Path baseDir) {
        if (!SCHEME.matcher(text).matches()) {
            return local(baseDir.resolve(text));
        }
        try {
            URI uri = new URI(text).normalize();
            if (uri.getScheme().equals("file") && uri.getPath() == null) {
                throw new URISyntaxException(text, "a file: URI needs an absolute path (file:/data or file:///data)");
            }
            return new DataLocation(uri);
        } catch (URISyntaxException e) {
            throw new DatasetException(text + ": not a valid URI (" + e.getMessage() + "); expected a path or a URI such as"
                    + " hdfs://namenode:8020/data or s3a://bucket/data");
        }
    }

    /** A local file or folder. */
    public static DataLocation local(Path path) {
        try {
            return new DataLocation(new URI("file", null, path.toAbsolutePath().normalize().toString(), null));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(path + ": not a usable file name", e);
        }
    }

    /** The child {@code name} of this folder. */
    public DataLocation resolve(String name) {
        return new DataLocation(new org.apache.hadoop.fs.Path(hadoopPath(), name).toUri()); // quotes spaces and the like
    }

    /** Whether this is on the local file system. */
    public boolean isLocal() {
        return uri.getScheme().equals("file");
    }

    /** The local path of a {@code file:} location. */
    public Path localPath() {
        if (!isLocal()) {
            throw new IllegalStateException(this + " is not a local file");
        }
        return Path.of(uri);
    }

    /** The last part of the path. */
    public String name() {
        return hadoopPath().getName();
    }

    org.apache.hadoop.fs.Path hadoopPath() {
        return new org.apache.hadoop.fs.Path(uri);
    }

    /** The file system this location is on (Hadoop caches instances per scheme, authority and user). */
    FileSystem fileSystem() {
        try {
            return FileSystem.get(uri, HadoopConf.get());
        } catch (IOException e) {
            throw failure(e, "a file system for it");
        } catch (IllegalArgumentException e) { // Hadoop's way to say: unknown host, bad authority
            throw new DatasetException(this + ": cannot reach its file system (" + firstLine(String.valueOf(e.getMessage()))
                    + ")", e);
        }
    }

    /** Its status; a missing file or any other failure is a {@link DatasetException} expecting {@code expected}. */
    FileStatus status(String expected) {
        FileSystem fs = fileSystem();
        try {
            return fs.getFileStatus(hadoopPath());
        } catch (IOException e) {
            throw failure(e, expected);
        } catch (IllegalArgumentException e) {
            throw new DatasetException(this + ": not a usable location (" + firstLine(String.valueOf(e.getMessage()))
                    + "); expected " + expected, e);
        }
    }

    /** Whether a file (not a folder) is there; false when nothing is. Other failures throw. */
    boolean isFile() {
        FileSystem fs = fileSystem();
        try {
            return fs.getFileStatus(hadoopPath()).isFile();
        } catch (FileNotFoundException e) {
            return false;
        } catch (IOException e) {
            throw failure(e, "a file");
        }
    }

    /** Whether a folder is there; false when nothing (or a file) is. Other failures throw. */
    boolean isFolder() {
        FileSystem fs = fileSystem();
        try {
            return fs.getFileStatus(hadoopPath()).isDirectory();
        } catch (FileNotFoundException e) {
            return false;
        } catch (IOException e) {
            throw failure(e, "a folder");
        }
    }

    /**
     * Checks that this is a folder that can be listed: the check at the start of a run, so a
     * wrong location fails there and not in a trial.
     */
    void requireFolder(String expected) {
        FileSystem fs = fileSystem();
        FileStatus status;
        try {
            status = fs.getFileStatus(hadoopPath());
        } catch (FileNotFoundException e) {
            throw new DatasetException(this + ": no such folder; expected " + expected);
        } catch (IOException e) {
            throw failure(e, expected);
        }
        if (!status.isDirectory()) {
            throw new DatasetException(this + ": is a file, not a folder; expected " + expected);
        }
        list(expected); // listing needs read permission where the status does not
    }

    /** The entries of this folder, sorted by name. */
    List<FileStatus> list(String expected) {
        FileSystem fs = fileSystem();
        try {
            List<FileStatus> out = new ArrayList<>(List.of(fs.listStatus(hadoopPath())));
            out.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
            return out;
        } catch (IOException e) {
            throw failure(e, expected);
        }
    }

    /** Opens the file for reading (local files directly: Hadoop's local file system adds a checksum-file probe per open). */
    InputStream open(String expected) {
        if (isLocal()) {
            try {
                return java.nio.file.Files.newInputStream(localPath());
            } catch (IOException e) {
                throw failure(e, expected);
            }
        }
        FileSystem fs = fileSystem();
        try {
            return fs.open(hadoopPath(), 1 << 16);
        } catch (IOException e) {
            throw failure(e, expected);
        }
    }

    /** The whole file. */
    byte[] readAll(String expected) {
        if (isLocal()) {
            try {
                return java.nio.file.Files.readAllBytes(localPath());
            } catch (IOException e) {
                throw failure(e, expected);
            }
        }
        try (InputStream in = open(expected)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw failure(e, expected);
        }
    }

    /** The failure in words, starting with this location. */
    DatasetException failure(IOException e, String expected) {
        if (e instanceof UnsupportedFileSystemException) {
            return new DatasetException(this + ": no file system for the scheme '" + uri.getScheme() + "' (Hadoop has no"
                    + " connector for it on the classpath: s3a needs hadoop-aws, gs the GCS connector, abfs hadoop-azure;"
                    + " see docs/data.md)");
        }
        if (e instanceof FileNotFoundException || e instanceof java.nio.file.NoSuchFileException) {
            return new DatasetException(this + ": no such file or folder; expected " + expected);
        }
        String message = String.valueOf(e.getMessage());
        if (e instanceof AccessControlException || e instanceof AccessDeniedException
                || message.contains("Permission denied")) {
            return new DatasetException(this + ": permission denied (" + firstLine(message) + "); expected " + expected, e);
        }
        return new DatasetException(this + ": cannot read (" + e.getClass().getSimpleName() + ": " + firstLine(message)
                + "); expected " + expected, e);
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    /** A local location as its path (so messages read as they did), any other as its URI. */
    @Override
    public String toString() {
        return isLocal() ? Path.of(uri).toString() : uri.toString();
    }
}
