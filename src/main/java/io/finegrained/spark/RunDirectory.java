package io.finegrained.spark;

import io.finegrained.config.JobConfig;
import io.finegrained.config.YamlLoader;
import io.finegrained.search.TrialResult;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;

/**
 * A run's output directory, opened under the rules of ARCHITECTURE.md's run-output contract:
 * <ul>
 *   <li>it is held while the run is open: on the local disk by an OS lock ({@link RunLock}); on
 *       HDFS (any Hadoop file system with append) by the journal's write lease, which a second run
 *       cannot take while the holder renews it, and which {@code --resume} after a driver's
 *       {@code kill -9} waits for and recovers (bounded); on a store without append (S3) by a
 *       {@code run.lock} file created exclusively, which {@code --resume} takes over;</li>
 *   <li>a journal with rows and no {@code --resume}: refused, suggesting {@code --resume} or
 *       another directory;</li>
 *   <li>{@code --resume} on a missing or empty directory: a fresh start;</li>
 *   <li>{@code --resume} with a configuration that differs from the run's {@code config.yml}:
 *       refused, naming each changed key.</li>
 * </ul>
 * A fresh run writes {@code config.yml} (the file as run) and {@code config.sha256} (its hash,
 * in {@code sha256sum} form).
 *
 * <p>Only a run of this tool is ever written to. A directory is one when it holds the marker
 * {@value #MARKER_FILE}, which a fresh run writes first, under the lock; a directory made before
 * the marker existed counts when its {@code config.sha256} is the hash of its {@code config.yml}
 * (both are ours: nobody else writes that pair). An empty or missing directory, or one holding
 * only our {@code run.lock} (a start that died before the marker), is a fresh start. Anything
 * else is refused before a single file is created, changed or deleted in it: the tool never
 * overwrites or deletes what it did not write.
 *
 * <p>Where: a plain path or a {@code file:} URI is a local folder, worked through {@code java.nio}
 * as before; any other URI ({@code hdfs://nn:8020/runs/x}, {@code s3a://bucket/runs/x}) is worked
 * through Hadoop's {@code FileSystem} ({@link RunStore}). A location that cannot be used (no
 * connector for its scheme, permission denied, a file where the folder should be) is a
 * {@link RunRefusedException} here, at the start of the run.
 *
 * <p>For the driver and the executors' deliveries, the directory offers its trial files by id and
 * relative name: {@link #trialsUri}, {@link #writeTrialFile}, {@link #readTrialFile},
 * {@link #deleteTrialFile}. Nothing else touches run outputs with {@code java.nio} directly.
 */
public final class RunDirectory implements Closeable {
    public static final String CONFIG_FILE = "config.yml";
    public static final String HASH_FILE = "config.sha256";
    public static final String TRIALS_FOLDER = "trials";
    /** The file that makes a directory a run of finegrained (see the class comment). */
    public static final String MARKER_FILE = "finegrained.run";
    /** How many of a refused directory's entries its message names. */
    private static final int LISTED_ENTRIES = 6;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final byte[] MARKER_TEXT = "a run directory of finegrained: the search writes and resumes here\n"
            .getBytes(StandardCharsets.UTF_8);

    private final RunStore store;
    private final Closeable lock;
    private final Journal journal;
    private final List<TrialResult> previous;
    private final boolean resume;
    private Path localTrials;

    private RunDirectory(RunStore store, Closeable lock, Journal journal, List<TrialResult> previous, boolean resume) {
        this.store = store;
        this.lock = lock;
        this.journal = journal;
        this.previous = List.copyOf(previous);
        this.resume = resume;
    }

    /** {@code runs/<config name>-<UTC timestamp>}, relative to the working directory. */
    public static Path defaultPath(JobConfig config) {
        return Path.of("runs", config.name() + "-" + ZonedDateTime.now(ZoneOffset.UTC).format(STAMP));
    }

    /**
     * Opens a local directory for a run of {@code config}; {@link RunRefusedException} when the
     * rules above forbid it.
     */
    public static RunDirectory open(Path path, JobConfig config, boolean resume) throws IOException {
        return open(RunStore.local(path), config, null, resume, null);
    }

    /**
     * Opens the directory at {@code location} (a path, or a URI of any Hadoop file system) for a
     * run of {@code config}; {@link RunRefusedException} when the rules above forbid it or the
     * location cannot be used.
     *
     * @param notes where a wait (for a dead driver's lease) is announced; null for none
     */
    public static RunDirectory open(String location, JobConfig config, boolean resume, PrintStream notes) throws IOException {
        return open(location, config, null, resume, notes);
    }

    /**
     * {@link #open(String, JobConfig, boolean, PrintStream)} for a search whose searcher names the
     * parameters it proposes ({@link io.finegrained.search.Searcher#genome()}): a resume checks
     * the journal's values against them.
     */
    public static RunDirectory open(String location, JobConfig config, io.finegrained.search.Genome searched, boolean resume,
            PrintStream notes) throws IOException {
        return open(RunStore.of(location), config, searched, resume, notes);
    }

    private static RunDirectory open(RunStore store, JobConfig config, io.finegrained.search.Genome searched, boolean resume,
            PrintStream notes) throws IOException {
        checkOurs(store);
        try {
            store.mkdirs("");
        } catch (IOException e) {
            throw new RunRefusedException("cannot create the run directory " + store.location() + ": " + creationReason(store, e)
                    + "; choose another folder with --output");
        }
        Closeable lock;
        Journal journal = null;
        if (store.isLocal()) {
            try {
                lock = RunLock.acquire(store.localPath());
            } catch (java.nio.file.AccessDeniedException | java.nio.file.ReadOnlyFileSystemException e) {
                throw new RunRefusedException("cannot write in the run directory " + store.location() + " (permission denied); "
                        + "choose another folder with --output");
            }
        } else {
            try {
                store.createNew(MARKER_FILE, MARKER_TEXT);
                journal = Journal.openForAppend(store, resume, notes); // on HDFS its lease holds the run
            } catch (IOException e) {
                throw new RunRefusedException("cannot write in the run directory " + store.location() + " ("
                        + RunStore.reason(e) + "); choose another folder with --output");
            }
            lock = journal.mirrored() ? fileLock(store, resume, journal) : () -> { };
        }
        try {
            store.createNew(MARKER_FILE, MARKER_TEXT);
            if (resume && store.exists(CONFIG_FILE)) {
                checkSameConfig(store, config); // first: it names what changed
            }
            // On resume the journal is checked whole, before anything runs (JournalCheck).
            List<TrialResult> rows = resume ? JournalCheck.read(store, Journal.FILE_NAME, config, searched)
                    : Journal.read(store, Journal.FILE_NAME, io.finegrained.trial.TrialJson::parseRow);
            if (!rows.isEmpty() && !resume) {
                throw new RunRefusedException(store.location() + " already holds a run (" + rows.size() + " trials in "
                        + Journal.FILE_NAME + "): add --resume to continue it, or choose another directory with --output");
            }
            if (rows.isEmpty() || !store.exists(CONFIG_FILE)) {
                store.write(CONFIG_FILE, config.text().getBytes(StandardCharsets.UTF_8));
                store.write(HASH_FILE, (sha256(config.text()) + "  " + CONFIG_FILE + "\n").getBytes(StandardCharsets.UTF_8));
            }
            store.mkdirs(TRIALS_FOLDER);
            if (journal == null) {
                journal = Journal.openForAppend(store, resume, notes);
            }
            return new RunDirectory(store, lock, journal, rows, resume);
        } catch (IOException | RuntimeException e) {
            if (journal != null) {
                journal.close();
            }
            lock.close();
            throw e;
        }
    }

    /**
     * The lock of a store without append (no lease to hold): {@code run.lock}, created only when
     * absent. A run that died leaves it; {@code --resume} takes it over, saying so.
     */
    private static Closeable fileLock(RunStore store, boolean resume, Journal journal) throws IOException {
        String text = "host=" + java.net.InetAddress.getLocalHost().getHostName() + " pid=" + ProcessHandle.current().pid()
                + " started=" + java.time.Instant.now() + "\n";
        if (!store.createNew(RunLock.FILE_NAME, text.getBytes(StandardCharsets.UTF_8))) {
            String holder = new String(store.read(RunLock.FILE_NAME), StandardCharsets.UTF_8).strip();
            if (!resume) {
                journal.close();
                throw new RunRefusedException("the run directory " + store.location() + " is in use by another search ("
                        + (holder.isEmpty() ? "holder unknown" : holder) + "; the store has no append, so " + RunLock.FILE_NAME
                        + " is the lock); wait for it to end, or, if it died, continue it with --resume");
            }
            store.write(RunLock.FILE_NAME, text.getBytes(StandardCharsets.UTF_8));
        }
        return () -> store.delete(RunLock.FILE_NAME);
    }

    /**
     * Refuses a path that is not a folder, or a non-empty folder that is not a run of this tool,
     * saying what it found and what to do. Reads only: nothing is created before this passes.
     */
    static void checkOurs(Path path) throws IOException {
        checkOurs(RunStore.local(path));
    }

    private static void checkOurs(RunStore store) throws IOException {
        String path = store.location();
        try {
            if (store.isLocal()) {
                Path local = store.localPath();
                if (!Files.exists(local, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    return;
                }
                if (!Files.isDirectory(local)) {
                    throw new RunRefusedException("the run directory " + path + " is " + (Files.isRegularFile(local) ? "a file" : "a broken link")
                            + ", not a folder; nothing was changed; choose a new or empty folder with --output");
                }
            } else {
                if (!store.exists("")) {
                    return;
                }
                if (!store.isFolder("")) {
                    throw new RunRefusedException("the run directory " + path + " is a file, not a folder; nothing was changed;"
                            + " choose a new or empty folder with --output");
                }
            }
        } catch (IOException e) {
            throw new RunRefusedException("cannot read the run directory " + path + ": " + RunStore.reason(e)
                    + "; choose another folder with --output");
        }
        List<String> entries;
        try {
            entries = store.list("");
        } catch (IOException e) {
            throw new RunRefusedException("cannot read the run directory " + path + ": " + RunStore.reason(e)
                    + "; choose another folder with --output");
        }
        if (entries.isEmpty() || entries.contains(MARKER_FILE) || isLegacyRun(store) || onlyOurLock(store, entries)) {
            return;
        }
        String listed = String.join(", ", entries.subList(0, Math.min(LISTED_ENTRIES, entries.size())))
                + (entries.size() > LISTED_ENTRIES ? ", and " + (entries.size() - LISTED_ENTRIES) + " more" : "");
        throw new RunRefusedException("the run directory " + path + " is not empty and is not a run of finegrained: it holds "
                + entries.size() + (entries.size() == 1 ? " entry (" : " entries (") + listed + ") and no " + MARKER_FILE
                + " (the file every run of finegrained starts with); nothing in it was changed. "
                + "Choose a new or empty folder with --output (e.g. " + store.describe("run") + ")");
    }

    /** A run made before the marker: its config.sha256 is the hash of its config.yml. */
    private static boolean isLegacyRun(RunStore store) {
        try {
            if (!store.isFile(CONFIG_FILE) || !store.isFile(HASH_FILE) || store.size(HASH_FILE) > 1024
                    || store.size(CONFIG_FILE) > YamlLoader.MAX_FILE_BYTES) {
                return false;
            }
            String expected = sha256(new String(store.read(CONFIG_FILE), StandardCharsets.UTF_8)) + "  " + CONFIG_FILE + "\n";
            return expected.equals(new String(store.read(HASH_FILE), StandardCharsets.UTF_8));
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /** Only run.lock, with our holder line or empty: a start that died before writing the marker. */
    private static boolean onlyOurLock(RunStore store, List<String> entries) {
        if (!entries.equals(List.of(RunLock.FILE_NAME))) {
            return false;
        }
        try {
            return store.size(RunLock.FILE_NAME) < 1024
                    && RunLock.isHolderText(new String(store.read(RunLock.FILE_NAME), StandardCharsets.UTF_8));
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /** Why a folder cannot be made: a file in the way (the usual case) or the system's reason. */
    private static String creationReason(RunStore store, IOException e) {
        if (store.isLocal()) {
            for (Path p = store.localPath().toAbsolutePath().getParent(); p != null; p = p.getParent()) {
                if (Files.exists(p)) {
                    return Files.isDirectory(p) ? RunStore.reason(e) : p + " is a file, not a folder";
                }
            }
        } else if (e instanceof org.apache.hadoop.fs.ParentNotDirectoryException
                || e instanceof org.apache.hadoop.ipc.RemoteException r && r.getClassName().endsWith("ParentNotDirectoryException")) {
            return "a file is in the way, where a folder of its path should be (" + RunStore.firstLine(String.valueOf(e.getMessage())) + ")";
        }
        return RunStore.reason(e);
    }

    private static void checkSameConfig(RunStore store, JobConfig config) throws IOException {
        String runText = new String(store.read(CONFIG_FILE), StandardCharsets.UTF_8);
        if (runText.equals(config.text())) {
            return;
        }
        Object run = YamlLoader.parse(runText, store.describe(CONFIG_FILE)).toPlain();
        Object now = config.root().toPlain();
        List<String> changes = ConfigChanges.between(run, now);
        if (!changes.isEmpty()) {
            throw new RunRefusedException("cannot resume " + store.location() + ": " + config.file()
                    + " differs from the configuration the run was made with (" + CONFIG_FILE + "):\n  "
                    + String.join("\n  ", changes)
                    + "\nrestore those values to resume, or start a new run in another directory");
        }
    }

    public static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The directory as given (a path, or a URI), for messages and {@code --output}. */
    public String location() {
        return store.location();
    }

    /** Whether it is on the local disk ({@link #path} is usable). */
    public boolean isLocal() {
        return store.isLocal();
    }

    /** The local folder; an {@link IllegalStateException} for a directory on another file system (see {@link #location}). */
    public Path path() {
        return store.localPath();
    }

    RunStore store() {
        return store;
    }

    public Journal journal() {
        return journal;
    }

    /** The rows the journal held when the directory was opened (empty for a fresh run). */
    public List<TrialResult> previousResults() {
        return previous;
    }

    /**
     * Where trials running on the driver's machine write their working folders and logs
     * ({@code trials/<id>/}): the run directory's {@code trials} folder when it is local; for a
     * directory on another file system, a local working folder of the driver's (made on first
     * use), from which {@link #writeTrialFile} delivers what belongs in the run directory.
     */
    public synchronized Path trialsFolder() {
        if (store.isLocal()) {
            return store.localPath().resolve(TRIALS_FOLDER);
        }
        if (localTrials == null) {
            try {
                localTrials = Files.createTempDirectory("finegrained-trials-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make a local working folder for the trials: " + e.getMessage(), e);
            }
        }
        return localTrials;
    }

    /**
     * The run directory's {@code trials} folder as an absolute URI ({@code file:/…/trials} for a
     * local run, {@code hdfs://nn:8020/…/trials} on HDFS): what an executor that can reach the
     * run directory copies a trial's files under, {@code <trialsUri>/<id>/<relative>}, through
     * Hadoop's {@code FileSystem} (configured by {@link io.finegrained.train.HadoopConf}).
     */
    public String trialsUri() {
        return store.uri(TRIALS_FOLDER);
    }

    /**
     * Writes one file of trial {@code id} into the run directory at {@code trials/<id>/<relative>}
     * ({@code relative} with {@code /} between parts: {@code "trial.log"}, {@code "model/x.params"}),
     * replacing a file of that name; folders are made as needed. For the driver's side of a
     * trial's outputs (files an executor sent back with the result, checkpoints). Thread-safe.
     */
    public void writeTrialFile(int id, String relative, InputStream content) throws IOException {
        store.copy(content, trialPath(id, relative));
    }

    /** {@link #writeTrialFile(int, String, InputStream)}, replaced in one step where the store can (checkpoints). */
    public void writeTrialFile(int id, String relative, byte[] content) throws IOException {
        store.write(trialPath(id, relative), content);
    }

    /** The bytes of {@code trials/<id>/<relative>}, or null when there is no such file. */
    public byte[] readTrialFile(int id, String relative) throws IOException {
        String path = trialPath(id, relative);
        return store.isFile(path) ? store.read(path) : null;
    }

    /** Deletes {@code trials/<id>/<relative>} (a file or a folder); nothing when absent. */
    public void deleteTrialFile(int id, String relative) throws IOException {
        store.delete(trialPath(id, relative));
    }

    /** {@code trials/<id>/<relative>} for messages: a local path or a URI. */
    public String describeTrialFile(int id, String relative) {
        return store.describe(trialPath(id, relative));
    }

    private static String trialPath(int id, String relative) {
        if (relative.startsWith("/") || relative.contains("..")) {
            throw new IllegalArgumentException("a trial file's name must be relative, without '..': " + relative);
        }
        return TRIALS_FOLDER + "/" + id + (relative.isEmpty() ? "" : "/" + relative);
    }

    /** Writes a file of the run's own ({@code pareto.csv}) in one step where the store can. */
    public void writeFile(String name, byte[] content) throws IOException {
        store.write(name, content);
    }

    /** The run's events file for appending ({@link Events}); on HDFS a second lease, recovered on resume like the journal's. */
    public Events openEvents() throws IOException {
        return store.isLocal() ? Events.openForAppend(store.localPath().resolve(Events.FILE_NAME))
                : Events.openForAppend(store, resume, null);
    }

    /** The events recorded so far. */
    public List<Events.Event> readEvents() {
        return Events.read(store);
    }

    @Override
    public void close() throws IOException {
        try {
            journal.close();
        } finally {
            lock.close();
        }
    }
}
