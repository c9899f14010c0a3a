package io.finegrained.spark;

import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.fs.CommonPathCapabilities;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.ipc.RemoteException;
import org.apache.hadoop.security.AccessControlException;

/**
 * Where one run directory's files live: the local disk ({@link Local}, through {@code java.nio},
 * so a local run keeps its OS lock, its {@code fsync} and its messages exactly as before) or any
 * Hadoop {@link FileSystem} ({@link Hadoop}: {@code hdfs:}, {@code s3a:}, … whichever connectors
 * are on the classpath, configured by {@link io.finegrained.train.HadoopConf}). Paths inside are
 * relative, with {@code /} between parts ({@code trials/3/checkpoint/state.bin}); the empty
 * string is the directory itself.
 *
 * <p>Append-only files ({@link #openLines}) are durable per line: {@code force} on local disk,
 * {@code hsync} (or {@code hflush}, {@value #SYNC_KEY}) on a file system with append. On one
 * without append (object stores: S3) the file is kept on the driver's local disk and the whole
 * file is uploaded after every line ({@link MirroredSink}): a driver crash loses at most the lines
 * not yet uploaded, which are the trials in flight.
 */
abstract class RunStore {
    /** {@code scheme:} at the start: two letters at least, so a one-letter drive is not a scheme. */
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:.*");
    /** Hadoop setting: {@code hsync} (default: on the DataNodes' disks) or {@code hflush} (in their memory). */
    static final String SYNC_KEY = "finegrained.journal.sync";
    /** Hadoop setting: how long {@code --resume} waits for a dead driver's lease to be recovered, in seconds. */
    static final String LEASE_WAIT_KEY = "finegrained.journal.lease_wait_s";
    static final int DEFAULT_LEASE_WAIT_S = 120;

    /** The directory as the user wrote it (a path, or the URI) for messages. */
    abstract String location();

    /** {@code relative} inside the directory, for messages. */
    abstract String describe(String relative);

    /** {@code relative} as an absolute URI ({@code file:/…} for a local run). */
    abstract String uri(String relative);

    abstract boolean isLocal();

    /** The local folder of a local run; an {@link IllegalStateException} otherwise. */
    abstract Path localPath();

    abstract boolean exists(String relative) throws IOException;

    abstract boolean isFolder(String relative) throws IOException;

    abstract boolean isFile(String relative) throws IOException;

    abstract long size(String relative) throws IOException;

    /** The entries of a folder, sorted by name, each folder with a trailing {@code /}. */
    abstract List<String> list(String relative) throws IOException;

    abstract byte[] read(String relative) throws IOException;

    /**
     * Replaces the file with {@code bytes}, as one step where the store can (a local rename over the
     * old file, HDFS's rename with overwrite, an object store's PUT), so a crash leaves the old or the
     * new content.
     */
    abstract void write(String relative, byte[] bytes) throws IOException;

    /** Copies a stream into a file (replacing it; not atomic: used for trial files, re-sent whole when a trial re-runs). */
    abstract void copy(InputStream in, String relative) throws IOException;

    /** Creates the file with {@code bytes} unless it exists; false when it did. */
    abstract boolean createNew(String relative, byte[] bytes) throws IOException;

    abstract void mkdirs(String relative) throws IOException;

    /** Deletes the file or the folder with everything in it; nothing when it is not there. */
    abstract void delete(String relative) throws IOException;

    /**
     * Opens an append-only file of lines (created when missing), after cutting a torn last line.
     *
     * @param what the file's name for messages ("the journal")
     * @param resume whether a holder that died may be waited for (its lease recovered); without it a
     *               file another writer holds is refused at once
     */
    abstract Sink openLines(String relative, String what, boolean resume, PrintStream notes) throws IOException;

    /** A durable line sink: {@link #append} returns once the bytes survive a crash of this process. */
    interface Sink extends Closeable {
        void append(byte[] bytes) throws IOException;

        /** True when the file is mirrored from the driver's disk (a store without append). */
        default boolean mirrored() {
            return false;
        }
    }

    /** A plain path is local; {@code file:} URIs are local too; any other scheme is a Hadoop file system. */
    static RunStore of(String location) {
        if (!SCHEME.matcher(location).matches()) {
            return new Local(Path.of(location), location);
        }
        URI uri;
        try {
            uri = new URI(location).normalize();
        } catch (URISyntaxException e) {
            throw new RunRefusedException("the run directory " + location + " is not a valid URI (" + e.getMessage()
                    + "); give a path or a URI such as hdfs://namenode:8020/runs/x with --output");
        }
        if (uri.getScheme().equals("file")) {
            if (uri.getPath() == null || uri.getPath().isEmpty()) {
                throw new RunRefusedException("the run directory " + location + ": a file: URI needs an absolute path"
                        + " (file:/runs/x or file:///runs/x); give it with --output");
            }
            Path path = Path.of(uri.getPath());
            return new Local(path, path.toString());
        }
        return Hadoop.connect(uri);
    }

    /** Whether {@code location} names a Hadoop file system other than the local disk. */
    static boolean isRemote(String location) {
        return SCHEME.matcher(location).matches() && !location.regionMatches(true, 0, "file:", 0, 5);
    }

    static RunStore local(Path path) {
        return new Local(path, path.toString());
    }

    /** The length of {@code bytes} up to and including the last newline. */
    static int completeLength(byte[] bytes) {
        int last = bytes.length - 1;
        while (last >= 0 && bytes[last] != '\n') {
            last--;
        }
        return last + 1;
    }

    static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException a) {
            // Local: no reason. S3A: the store's refusal as the reason.
            return "permission denied" + (a.getReason() == null ? "" : " (" + firstLine(a.getReason()) + ")");
        }
        if (e instanceof AccessControlException) {
            return "permission denied";
        }
        if (e instanceof RemoteException r && r.getClassName().endsWith("AccessControlException")) {
            return "permission denied (" + firstLine(r.getMessage()) + ")";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException f) {
            return f.getFile() + " is a file, not a folder";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return (f.getFile() == null ? "" : f.getFile() + ": ") + f.getReason();
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : firstLine(e.getMessage());
        return message.contains("Permission denied") ? "permission denied (" + message + ")" : message;
    }

    static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    /** A run directory on the local disk, through java.nio. */
    static final class Local extends RunStore {
        private final Path root;
        private final String location;

        Local(Path root, String location) {
            this.root = root;
            this.location = location;
        }

        private Path p(String relative) {
            return relative.isEmpty() ? root : root.resolve(relative);
        }

        @Override
        String location() {
            return location;
        }

        @Override
        String describe(String relative) {
            return p(relative).toString();
        }

        @Override
        String uri(String relative) {
            return p(relative).toAbsolutePath().normalize().toUri().toString();
        }

        @Override
        boolean isLocal() {
            return true;
        }

        @Override
        Path localPath() {
            return root;
        }

        @Override
        boolean exists(String relative) {
            return Files.exists(p(relative));
        }

        @Override
        boolean isFolder(String relative) {
            return Files.isDirectory(p(relative));
        }

        @Override
        boolean isFile(String relative) {
            return Files.isRegularFile(p(relative));
        }

        @Override
        long size(String relative) throws IOException {
            return Files.size(p(relative));
        }

        @Override
        List<String> list(String relative) throws IOException {
            try (Stream<Path> list = Files.list(p(relative))) {
                return list.map(q -> q.getFileName().toString() + (Files.isDirectory(q) ? "/" : "")).sorted().toList();
            }
        }

        @Override
        byte[] read(String relative) throws IOException {
            return Files.readAllBytes(p(relative));
        }

        @Override
        void write(String relative, byte[] bytes) throws IOException {
            Path file = p(relative);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path partial = file.resolveSibling(file.getFileName() + ".partial");
            Files.write(partial, bytes);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }

        @Override
        void copy(InputStream in, String relative) throws IOException {
            Path file = p(relative);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }

        @Override
        boolean createNew(String relative, byte[] bytes) throws IOException {
            try {
                Files.write(p(relative), bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return true;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            }
        }

        @Override
        void mkdirs(String relative) throws IOException {
            Files.createDirectories(p(relative));
        }

        @Override
        void delete(String relative) throws IOException {
            Path target = p(relative);
            if (!Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            try (Stream<Path> walk = Files.walk(target)) {
                for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(q);
                }
            }
        }

        @Override
        Sink openLines(String relative, String what, boolean resume, PrintStream notes) throws IOException {
            return LocalSink.open(p(relative));
        }
    }

    /** Appends to a local file, each line forced to disk. */
    static final class LocalSink implements Sink {
        private final FileChannel channel;

        private LocalSink(FileChannel channel) {
            this.channel = channel;
        }

        static LocalSink open(Path file) throws IOException {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
            try {
                long complete = completeLength(Files.readAllBytes(file));
                if (channel.size() > complete) {
                    channel.truncate(complete);
                    channel.force(true);
                }
                channel.position(channel.size());
                return new LocalSink(channel);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }

        @Override
        public void append(byte[] bytes) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** A run directory on a Hadoop file system. */
    static final class Hadoop extends RunStore {
        private final FileSystem fs;
        private final org.apache.hadoop.fs.Path root;
        private final String location;

        private Hadoop(FileSystem fs, org.apache.hadoop.fs.Path root, String location) {
            this.fs = fs;
            this.root = root;
            this.location = location;
        }

        /** The file system of {@code uri}; no connector, a bad authority or an unreachable store is refused at once. */
        static Hadoop connect(URI uri) {
            String location = uri.toString();
            try {
                FileSystem fs = FileSystem.get(uri, io.finegrained.train.HadoopConf.get());
                return new Hadoop(fs, fs.makeQualified(new org.apache.hadoop.fs.Path(uri)), location);
            } catch (UnsupportedFileSystemException e) {
                throw new RunRefusedException("the run directory " + location + ": no file system for the scheme '"
                        + uri.getScheme() + "' (Hadoop has no connector for it on the classpath: s3a needs hadoop-aws,"
                        + " gs the GCS connector, abfs hadoop-azure; see docs/data.md); choose another --output");
            } catch (IOException | IllegalArgumentException e) {
                throw new RunRefusedException("the run directory " + location + ": cannot reach its file system ("
                        + firstLine(String.valueOf(e.getMessage())) + "); choose another --output");
            }
        }

        FileSystem fileSystem() {
            return fs;
        }

        private org.apache.hadoop.fs.Path p(String relative) {
            return relative.isEmpty() ? root : new org.apache.hadoop.fs.Path(root, relative);
        }

        @Override
        String location() {
            return location;
        }

        @Override
        String describe(String relative) {
            return relative.isEmpty() ? location : location.replaceAll("/+$", "") + "/" + relative;
        }

        @Override
        String uri(String relative) {
            return p(relative).toUri().toString();
        }

        @Override
        boolean isLocal() {
            return false;
        }

        @Override
        Path localPath() {
            throw new IllegalStateException("the run directory " + location + " is not on the local disk");
        }

        private FileStatus status(String relative) throws IOException {
            try {
                return fs.getFileStatus(p(relative));
            } catch (FileNotFoundException e) {
                return null;
            }
        }

        @Override
        boolean exists(String relative) throws IOException {
            return status(relative) != null;
        }

        @Override
        boolean isFolder(String relative) throws IOException {
            FileStatus s = status(relative);
            return s != null && s.isDirectory();
        }

        @Override
        boolean isFile(String relative) throws IOException {
            FileStatus s = status(relative);
            return s != null && s.isFile();
        }

        @Override
        long size(String relative) throws IOException {
            return fs.getFileStatus(p(relative)).getLen();
        }

        @Override
        List<String> list(String relative) throws IOException {
            List<String> names = new ArrayList<>();
            for (FileStatus s : fs.listStatus(p(relative))) {
                names.add(s.getPath().getName() + (s.isDirectory() ? "/" : ""));
            }
            names.sort(null);
            return names;
        }

        @Override
        byte[] read(String relative) throws IOException {
            try (InputStream in = fs.open(p(relative))) {
                return in.readAllBytes();
            }
        }

        @Override
        void write(String relative, byte[] bytes) throws IOException {
            org.apache.hadoop.fs.Path file = p(relative);
            if (fs instanceof DistributedFileSystem dfs) {
                org.apache.hadoop.fs.Path partial = file.suffix(".partial");
                try (OutputStream out = fs.create(partial, true)) {
                    out.write(bytes);
                }
                dfs.rename(partial, file, Options.Rename.OVERWRITE); // one step on the NameNode
                return;
            }
            try (OutputStream out = fs.create(file, true)) { // an object store's PUT replaces the object whole
                out.write(bytes);
            }
        }

        @Override
        void copy(InputStream in, String relative) throws IOException {
            try (OutputStream out = fs.create(p(relative), true)) {
                in.transferTo(out);
            }
        }

        @Override
        boolean createNew(String relative, byte[] bytes) throws IOException {
            try (OutputStream out = fs.create(p(relative), false)) {
                out.write(bytes);
                return true;
            } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
                return false;
            } catch (RemoteException e) {
                if (e.getClassName().endsWith("FileAlreadyExistsException")) {
                    return false;
                }
                throw e;
            }
        }

        @Override
        void mkdirs(String relative) throws IOException {
            if (!fs.mkdirs(p(relative))) {
                throw new IOException("cannot create the folder " + describe(relative));
            }
        }

        @Override
        void delete(String relative) throws IOException {
            fs.delete(p(relative), true);
        }

        @Override
        Sink openLines(String relative, String what, boolean resume, PrintStream notes) throws IOException {
            org.apache.hadoop.fs.Path file = p(relative);
            if (!fs.hasPathCapability(root, CommonPathCapabilities.FS_APPEND)) {
                return MirroredSink.open(this, relative, what);
            }
            if (status(relative) == null) {
                try {
                    fs.create(file, false).close(); // then appended to like an old one: one way to take the lease
                } catch (IOException e) {
                    if (!alreadyExists(e)) {
                        throw e;
                    }
                }
            }
            long waitNanos = io.finegrained.train.HadoopConf.get().getLong(LEASE_WAIT_KEY, DEFAULT_LEASE_WAIT_S) * 1_000_000_000L;
            long deadline = System.nanoTime() + waitNanos;
            boolean noted = false;
            while (true) {
                try {
                    byte[] bytes = read(relative);
                    int complete = completeLength(bytes);
                    if (complete < bytes.length) {
                        truncate(file, complete, deadline);
                    }
                    FSDataOutputStream out = fs.append(file);
                    return new AppendingSink(out, !"hflush".equals(io.finegrained.train.HadoopConf.get().get(SYNC_KEY, "hsync")));
                } catch (UnsupportedOperationException e) {
                    return MirroredSink.open(this, relative, what); // a store that says it appends and does not
                } catch (IOException e) {
                    if (!leaseHeld(e)) {
                        throw e;
                    }
                    if (!resume) {
                        throw new RunRefusedException("the run directory " + location + " is in use by another search ("
                                + what + " " + describe(relative) + " is held open for writing: " + holder(e)
                                + "); wait for it to end, or, if its driver died, continue it with --resume");
                    }
                    if (System.nanoTime() > deadline) {
                        throw new RunRefusedException("the run directory " + location + " is in use by another search: "
                                + what + " " + describe(relative) + " was still held open for writing after "
                                + waitNanos / 1_000_000_000L + " s (" + holder(e) + "); a live driver renews its lease."
                                + " Wait for it to end or choose another --output (" + LEASE_WAIT_KEY + " sets the wait)");
                    }
                    if (!noted && notes != null) {
                        notes.println("waiting for the lease on " + describe(relative) + " (a driver that died holds it;"
                                + " the NameNode lets it go a minute after its last renewal) ...");
                        noted = true;
                    }
                    if (recoveryStarted(e) && fs instanceof DistributedFileSystem dfs) {
                        // The NameNode judged the holder dead (its soft limit passed): finish the recovery now.
                        awaitClosed(dfs, file, deadline);
                    } else {
                        sleep(1000);
                    }
                }
            }
        }

        /** Cuts a torn last line; HDFS may need a block recovery first, waited for until the deadline. */
        private void truncate(org.apache.hadoop.fs.Path file, long length, long deadline) throws IOException {
            boolean done = fs.truncate(file, length);
            if (!done && fs instanceof DistributedFileSystem dfs) {
                while (!dfs.isFileClosed(file)) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("the truncation of " + file + " did not finish in time");
                    }
                    sleep(200);
                }
            }
        }

        private static void awaitClosed(DistributedFileSystem dfs, org.apache.hadoop.fs.Path file, long deadline) throws IOException {
            while (!dfs.recoverLease(file)) {
                if (System.nanoTime() > deadline) {
                    return; // the caller's next attempt reports the refusal
                }
                sleep(500);
            }
        }

        private static boolean alreadyExists(IOException e) {
            return e instanceof org.apache.hadoop.fs.FileAlreadyExistsException
                    || e instanceof RemoteException r && r.getClassName().endsWith("FileAlreadyExistsException");
        }

        /** Another client holds (or held, and is being recovered from) the file's write lease. */
        private static boolean leaseHeld(IOException e) {
            String name = e instanceof RemoteException r ? r.getClassName() : e.getClass().getName();
            return name.endsWith("AlreadyBeingCreatedException") || name.endsWith("RecoveryInProgressException")
                    || name.endsWith("LeaseExpiredException");
        }

        private static boolean recoveryStarted(IOException e) {
            String name = e instanceof RemoteException r ? r.getClassName() : e.getClass().getName();
            return name.endsWith("RecoveryInProgressException") || String.valueOf(e.getMessage()).contains("recovery is in progress");
        }

        private static String holder(IOException e) {
            String message = firstLine(String.valueOf(e.getMessage()));
            int at = message.indexOf("owned by ");
            if (at >= 0) {
                return "its lease is held by " + message.substring(at + "owned by ".length()).replaceAll("[.]$", "");
            }
            at = message.indexOf("being created by ");
            return at >= 0 ? "its lease is held by " + message.substring(at + "being created by ".length()) : message;
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedIOException(new java.io.InterruptedIOException("interrupted while waiting for a lease"));
            }
        }
    }

    /** Appends through a Hadoop output stream that holds the file's lease; each line synced. */
    static final class AppendingSink implements Sink {
        private final FSDataOutputStream out;
        private final boolean hsync;

        AppendingSink(FSDataOutputStream out, boolean hsync) {
            this.out = out;
            this.hsync = hsync;
        }

        @Override
        public void append(byte[] bytes) throws IOException {
            out.write(bytes);
            if (hsync) {
                out.hsync();
            } else {
                out.hflush();
            }
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /**
     * For a store without append: the file lives on the driver's disk (a fresh temporary copy of the
     * store's, made on open) and after each line the whole file is uploaded to the store. A PUT
     * replaces an object whole, so the store holds every line of the last upload; a driver crash
     * loses only the lines whose upload had not finished, the trials in flight. The cost grows with
     * the file: one upload of the whole journal per result.
     */
    static final class MirroredSink implements Sink {
        private final Hadoop store;
        private final String relative;
        private final Path local;
        private final LocalSink sink;

        private MirroredSink(Hadoop store, String relative, Path local, LocalSink sink) {
            this.store = store;
            this.relative = relative;
            this.local = local;
            this.sink = sink;
        }

        static MirroredSink open(Hadoop store, String relative, String what) throws IOException {
            Path dir = Files.createTempDirectory("finegrained-mirror-");
            Path local = dir.resolve(new org.apache.hadoop.fs.Path(relative).getName());
            byte[] stored = store.isFile(relative) ? store.read(relative) : new byte[0];
            Files.write(local, java.util.Arrays.copyOf(stored, completeLength(stored)));
            return new MirroredSink(store, relative, local, LocalSink.open(local));
        }

        @Override
        public void append(byte[] bytes) throws IOException {
            sink.append(bytes);
            store.write(relative, Files.readAllBytes(local));
        }

        @Override
        public boolean mirrored() {
            return true;
        }

        @Override
        public void close() throws IOException {
            sink.close();
            Files.deleteIfExists(local);
            Files.deleteIfExists(local.getParent());
        }
    }
}
