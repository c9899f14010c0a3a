package io.finegrained.trial;

import io.finegrained.train.HadoopConf;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;

/**
 * Where a trial's files ({@code trial.log}, {@code stdout.log}, {@code stderr.log}, {@code model/},
 * whatever a command trial's program writes) go, and how they reach the run directory when the
 * executor that ran the trial cannot see it (docs/data.md, "Trial outputs").
 *
 * <p>The driver writes a fresh random token into {@code trials/}{@value #TOKEN_FILE} when the run
 * opens ({@link Destination#create}); each executor JVM checks once per run whether it can read
 * that token at the run directory's location. Only then is the run directory "reachable": a folder
 * that merely exists at the same path on another machine holds no token, or another one.
 * <ul>
 * <li>Reachable, a local path (the driver's JVM, a shared mount): the trial writes in
 *     {@code trials/<id>/} itself, as a single machine always did.</li>
 * <li>Reachable, a URI of another file system ({@code hdfs://}): the trial writes in a local
 *     staging folder (DJL saves to local folders only), then {@link Destination#deliver} copies the
 *     files there through Hadoop's {@code FileSystem}.</li>
 * <li>Not reachable: the trial writes in the staging folder; {@link Destination#deliver} packs its
 *     files, up to {@code trial.return_files_max_mb} in all, into a {@link Returned} that travels to
 *     the driver beside the trial's result; the driver writes them into {@code trials/<id>/}
 *     ({@link #writeInto}). What does not fit stays in the staging folder, and the driver writes
 *     {@value #STAYED_FILE} saying where.</li>
 * </ul>
 * The staging folder is {@code <java.io.tmpdir>/finegrained-trials/<token>/<id>/} on the
 * executor. A trial's {@code checkpoint/} folder is never delivered: a segment's state travels as
 * bytes with its result (docs/async-execution.md), and the driver keeps it.
 */
public final class TrialFiles {
    /** The run's token, in the trials folder: an executor that can read it sees the run directory. */
    public static final String TOKEN_FILE = ".run-token";
    /** Written by the driver in {@code trials/<id>/} when some of the trial's files stayed on its executor. */
    public static final String STAYED_FILE = "files-elsewhere.txt";
    /** The default bound of the files one trial returns to the driver: 16 MiB. */
    public static final double DEFAULT_RETURN_MB = 16;
    /** Never delivered: segment state travels as bytes with the result. */
    static final String CHECKPOINT_FOLDER = "checkpoint";
    /** Returned first when not everything fits: what says how the trial went. */
    private static final List<String> FIRST = List.of("trial.log", "stderr.log", "stdout.log", "candidate.json");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:.*");
    /** Per JVM and run: whether this JVM sees the run directory (checked once; the answer does not change within a run). */
    private static final Map<String, Boolean> REACHABLE = new ConcurrentHashMap<>();

    private TrialFiles() {
    }

    /** A trial that writes files: the Spark side delivers them after it ran. */
    public interface Placed {
        Destination files();
    }

    /**
     * Where a run's trials keep their files. Travels with the trial to the executors.
     *
     * @param trialsDirectory the run directory's {@code trials} folder as the driver names it: a
     *                        local absolute path or a URI
     * @param token the run's token, or null for a trial used off a run (tests, notebooks): then it
     *              writes in {@code trialsDirectory} directly, as before
     * @param returnLimitBytes the most one trial returns to the driver, in bytes (0: nothing)
     */
    public record Destination(String trialsDirectory, String token, long returnLimitBytes) implements Serializable {
        private static final long serialVersionUID = 1L;

        public Destination {
            if (trialsDirectory == null || trialsDirectory.isBlank()) {
                throw new IllegalArgumentException("a trials folder is needed");
            }
            if (returnLimitBytes < 0) {
                throw new IllegalArgumentException("the return bound must be >= 0, got " + returnLimitBytes);
            }
        }

        /** Writes in {@code trialsDirectory} directly, wherever the trial runs (no token, nothing delivered). */
        public static Destination direct(String trialsDirectory) {
            return new Destination(trialsDirectory, null, 0);
        }

        /**
         * The driver's side, once per run: a new token in {@code trialsFolder}. The one place the
         * driver writes the token (moved, so an executor never reads half of it).
         */
        public static Destination create(Path trialsFolder, long returnLimitBytes) {
            String token = newToken();
            try {
                Files.createDirectories(trialsFolder);
                Path partial = trialsFolder.resolve(TOKEN_FILE + ".partial");
                Files.writeString(partial, token + "\n", StandardCharsets.UTF_8);
                Files.move(partial, trialsFolder.resolve(TOKEN_FILE), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the run's token in " + trialsFolder + ": " + e.getMessage(), e);
            }
            return new Destination(trialsFolder.toAbsolutePath().toString(), token, returnLimitBytes);
        }

        /**
         * {@link #create(Path, long)} for a run directory at a URI of another file system (HDFS,
         * S3). The token is written whole in one create: a reader that catches it half-written
         * only takes the run directory for unreachable, and the files travel with the result.
         */
        public static Destination create(String trialsUri, long returnLimitBytes) {
            String token = newToken();
            URI uri = URI.create(trialsUri + "/" + TOKEN_FILE);
            try {
                FileSystem fs = FileSystem.get(uri, HadoopConf.get());
                try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(uri), true)) {
                    out.write((token + "\n").getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the run's token in " + trialsUri + ": " + e.getMessage(), e);
            }
            return new Destination(trialsUri, token, returnLimitBytes);
        }

        private static String newToken() {
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            return HexFormat.of().formatHex(random);
        }

        /** Whether the trials folder is a URI of a file system other than the local one. */
        public boolean remote() {
            return SCHEME.matcher(trialsDirectory).matches() && !trialsDirectory.toLowerCase(Locale.ROOT).startsWith("file:");
        }

        /** Whether this JVM sees the run directory: it reads the driver's token there. Checked once per JVM and run. */
        public boolean reachable() {
            if (token == null) {
                return true;
            }
            return REACHABLE.computeIfAbsent(trialsDirectory + "\u0000" + token, k -> readsToken());
        }

        private boolean readsToken() {
            try {
                String text;
                if (remote()) {
                    URI uri = URI.create(trialsDirectory + "/" + TOKEN_FILE);
                    FileSystem fs = FileSystem.get(uri, HadoopConf.get());
                    try (FSDataInputStream in = fs.open(new org.apache.hadoop.fs.Path(uri))) {
                        text = new String(in.readNBytes(256), StandardCharsets.UTF_8);
                    }
                } else {
                    Path file = localTrials().resolve(TOKEN_FILE);
                    if (!Files.isRegularFile(file) || Files.size(file) > 256) {
                        return false;
                    }
                    text = Files.readString(file, StandardCharsets.UTF_8);
                }
                return text.trim().equals(token);
            } catch (IOException | RuntimeException e) {
                return false; // cannot read it: not reachable, the files travel with the result
            }
        }

        Path localTrials() {
            return trialsDirectory.toLowerCase(Locale.ROOT).startsWith("file:") ? Path.of(URI.create(trialsDirectory))
                    : Path.of(trialsDirectory);
        }

        /** Whether the trial writes in the run directory itself (else in the staging folder, delivered afterwards). */
        public boolean inPlace() {
            return token == null || (!remote() && reachable());
        }

        /** The folder trial {@code id} writes in, on this machine. */
        public Path folder(int id) {
            if (inPlace()) {
                return localTrials().resolve(Integer.toString(id));
            }
            return Path.of(System.getProperty("java.io.tmpdir"), "finegrained-trials", token, Integer.toString(id));
        }

        /**
         * The size of each file in the trial's staging folder now (empty when it writes in place):
         * taken before a later segment runs, so that only what it adds to a log is delivered.
         */
        public Map<String, Long> sizes(int id) {
            if (inPlace()) {
                return Map.of();
            }
            Map<String, Long> sizes = new LinkedHashMap<>();
            for (Path file : listFiles(folder(id))) {
                try {
                    sizes.put(name(folder(id), file), Files.size(file));
                } catch (IOException e) {
                    // gone: counts as new
                }
            }
            return sizes;
        }

        /**
         * After the trial ran, on its executor: copies its files to a reachable remote run
         * directory (returns null), or packs them for the driver (not reachable). Null when the
         * trial wrote in place.
         *
         * @param continuing a later segment of the trial: its {@code .log} files are delivered from
         *                   their size in {@code before} on, to be appended to the earlier segments'
         * @param before {@link #sizes} taken before the segment ran
         */
        public Returned deliver(int id, boolean continuing, Map<String, Long> before) {
            if (inPlace()) {
                return null;
            }
            Path folder = folder(id);
            List<Path> files = listFiles(folder);
            if (remote() && reachable()) {
                copyToRemote(id, folder, files, continuing, before);
                return null;
            }
            files.sort(Comparator.comparing((Path p) -> {
                int first = FIRST.indexOf(name(folder, p));
                return first < 0 ? FIRST.size() : first;
            }).thenComparing(p -> name(folder, p)));
            List<File> returned = new ArrayList<>();
            List<Stayed> stayed = new ArrayList<>();
            long budget = returnLimitBytes;
            for (Path file : files) {
                String name = name(folder, file);
                try {
                    long from = continuing && name.endsWith(".log") ? Math.min(before.getOrDefault(name, 0L), Files.size(file)) : 0;
                    long size = Files.size(file) - from;
                    if (size > budget) {
                        stayed.add(new Stayed(name, size));
                        continue;
                    }
                    returned.add(new File(name, read(file, from), continuing && name.endsWith(".log")));
                    budget -= size;
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the trial's file " + file + " on " + Hosts.name() + ": "
                            + e.getMessage(), e);
                }
            }
            if (stayed.isEmpty()) {
                removeDelivered(folder, files);
            }
            return new Returned(id, ManagementFactory.getRuntimeMXBean().getName(), folder.toAbsolutePath().toString(),
                    returnLimitBytes, returned, stayed);
        }

        private void copyToRemote(int id, Path folder, List<Path> files, boolean continuing, Map<String, Long> before) {
            URI target = URI.create(trialsDirectory + "/" + id);
            try {
                FileSystem fs = FileSystem.get(target, HadoopConf.get());
                for (Path file : files) {
                    String name = name(folder, file);
                    org.apache.hadoop.fs.Path to = new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(target), name);
                    boolean append = continuing && name.endsWith(".log");
                    long from = append ? Math.min(before.getOrDefault(name, 0L), Files.size(file)) : 0;
                    try (OutputStream out = createRemote(fs, to, append); InputStream in = Files.newInputStream(file)) {
                        in.skipNBytes(from);
                        in.transferTo(out);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy trial " + id + "'s files from " + folder + " on " + Hosts.name()
                        + " to " + target + ": " + e.getMessage(), e);
            }
            removeDelivered(folder, files);
        }
    }

    /**
     * A file on another file system, opened for writing; with {@code append}, after what it
     * already holds. Appending by rewriting: logs are small, and not every store can append.
     */
    private static OutputStream createRemote(FileSystem fs, org.apache.hadoop.fs.Path to, boolean append) throws IOException {
        byte[] earlier = new byte[0];
        if (append && fs.exists(to)) {
            try (FSDataInputStream in = fs.open(to)) {
                earlier = in.readAllBytes();
            }
        }
        OutputStream out = fs.create(to, true);
        out.write(earlier);
        return out;
    }

    /**
     * A trial's files on their way to the driver (not reachable), beside its result.
     *
     * @param jvm the executor's JVM ({@code pid@host})
     * @param folder the staging folder on that machine, where what did not fit stayed
     * @param limitBytes the bound it was packed under
     * @param files what came back
     * @param stayed what did not fit, left in {@code folder}
     */
    public record Returned(int id, String jvm, String folder, long limitBytes, List<File> files, List<Stayed> stayed)
            implements Serializable {
        private static final long serialVersionUID = 1L;

        public Returned {
            files = List.copyOf(files);
            stayed = List.copyOf(stayed);
        }

        /** The bytes that came back. */
        public long bytes() {
            return files.stream().mapToLong(f -> f.bytes().length).sum();
        }
    }

    /**
     * One file: its path under {@code trials/<id>/} ({@code /}-separated), its bytes, and whether
     * they continue the driver's copy (a later segment's log) rather than replace it.
     */
    public record File(String name, byte[] bytes, boolean append) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** A file left on the executor, and its size. */
    public record Stayed(String name, long bytes) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * The driver's side: writes the returned files into {@code trialsFolder/<id>/} and, when some
     * stayed on the executor, {@value #STAYED_FILE} naming them and where they are. The one method
     * that writes returned files into the run directory.
     *
     * @return a one-line note for the console when some files stayed, else null
     */
    public static String writeInto(String trialsDirectory, Returned returned) {
        Destination where = new Destination(trialsDirectory, null, 0);
        if (!where.remote()) {
            return writeInto(where.localTrials(), returned);
        }
        String folder = trialsDirectory + "/" + returned.id();
        try {
            FileSystem fs = FileSystem.get(URI.create(folder), HadoopConf.get());
            for (File file : returned.files()) {
                org.apache.hadoop.fs.Path to = new org.apache.hadoop.fs.Path(folder + "/" + file.name());
                if (!to.toUri().getPath().startsWith(URI.create(folder).getPath() + "/") || file.name().contains("..")) {
                    throw new IOException("a returned file escapes its trial's folder: " + file.name());
                }
                try (OutputStream out = createRemote(fs, to, file.append())) {
                    out.write(file.bytes());
                }
            }
            if (returned.stayed().isEmpty()) {
                return null;
            }
            org.apache.hadoop.fs.Path stayedFile = new org.apache.hadoop.fs.Path(folder + "/" + STAYED_FILE);
            try (OutputStream out = createRemote(fs, stayedFile, true)) {
                out.write(stayedText(returned).getBytes(StandardCharsets.UTF_8));
            }
            return stayedNote(returned, stayedFile.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write trial " + returned.id() + "'s returned files into " + folder + ": "
                    + e.getMessage(), e);
        }
    }

    static String writeInto(Path trialsFolder, Returned returned) {
        Path folder = trialsFolder.resolve(Integer.toString(returned.id()));
        try {
            Files.createDirectories(folder);
            for (File file : returned.files()) {
                Path target = folder.resolve(file.name()).normalize();
                if (!target.startsWith(folder)) {
                    throw new IOException("a returned file escapes its trial's folder: " + file.name());
                }
                Files.createDirectories(target.getParent());
                if (file.append()) {
                    Files.write(target, file.bytes(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                } else {
                    Files.write(target, file.bytes());
                }
            }
            if (returned.stayed().isEmpty()) {
                return null;
            }
            Files.writeString(folder.resolve(STAYED_FILE), stayedText(returned), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return stayedNote(returned, folder.resolve(STAYED_FILE).toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write trial " + returned.id() + "'s returned files into " + folder + ": "
                    + e.getMessage(), e);
        }
    }

    /** What {@value #STAYED_FILE} says: the files that stayed on the executor, and where. */
    private static String stayedText(Returned returned) {
        StringBuilder text = new StringBuilder();
        text.append("Trial ").append(returned.id()).append("'s files below did not fit in trial.return_files_max_mb (")
                .append(megabytes(returned.limitBytes())).append(" MB, ").append(returned.bytes())
                .append(" bytes came back) and stayed on the executor ").append(returned.jvm()).append(" in ")
                .append(returned.folder()).append(":\n");
        for (Stayed s : returned.stayed()) {
            text.append(s.name()).append('\t').append(s.bytes()).append(" bytes\n");
        }
        return text.toString();
    }

    private static String stayedNote(Returned returned, String listedIn) {
        long stayedBytes = returned.stayed().stream().mapToLong(Stayed::bytes).sum();
        return "note: trial " + returned.id() + ": " + returned.stayed().size() + " file(s), " + stayedBytes
                + " bytes, over trial.return_files_max_mb stayed on " + returned.jvm() + " in " + returned.folder()
                + " (listed in " + listedIn + ")";
    }

    private static String megabytes(long bytes) {
        double mb = bytes / (double) (1 << 20);
        return mb == Math.rint(mb) ? Long.toString((long) mb) : String.format(Locale.ROOT, "%.3f", mb);
    }

    /** Every regular file under {@code folder} but those in {@code checkpoint/}; empty when there is no folder. */
    static List<Path> listFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            return new ArrayList<>();
        }
        Path checkpoints = folder.resolve(CHECKPOINT_FOLDER);
        try (Stream<Path> walk = Files.walk(folder)) {
            return new ArrayList<>(walk.filter(Files::isRegularFile).filter(p -> !p.startsWith(checkpoints)).sorted().toList());
        } catch (IOException | UncheckedIOException e) {
            throw new UncheckedIOException("cannot list the trial's folder " + folder + " on " + Hosts.name(),
                    e instanceof IOException io ? io : ((UncheckedIOException) e).getCause());
        }
    }

    private static String name(Path folder, Path file) {
        return folder.relativize(file).toString().replace(java.io.File.separatorChar, '/');
    }

    private static byte[] read(Path file, long from) throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            long size = channel.size() - from;
            if (size > Integer.MAX_VALUE - 16) {
                throw new IOException(file + " is too large to return (" + size + " bytes)");
            }
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate((int) size);
            while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) > 0) {
                // read until full
            }
            return buffer.position() == buffer.capacity() ? buffer.array() : java.util.Arrays.copyOf(buffer.array(), buffer.position());
        }
    }

    /** The delivered files, then the folders left empty; {@code checkpoint/} stays for a later segment on this machine. */
    private static void removeDelivered(Path folder, List<Path> files) {
        try {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
            try (Stream<Path> walk = Files.walk(folder)) {
                for (Path dir : walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                    try (Stream<Path> entries = Files.list(dir)) {
                        if (entries.findAny().isEmpty()) {
                            Files.delete(dir);
                        }
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // left in the temporary folder: harmless, and the driver has the files
        }
    }
}
