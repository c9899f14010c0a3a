package io.finegrained.spark;

import io.finegrained.config.JobConfig;
import io.finegrained.config.YamlLoader;
import io.finegrained.search.TrialResult;
import java.io.Closeable;
import java.io.IOException;
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
import java.util.stream.Stream;

/**
 * A run's output directory, opened under the rules of ARCHITECTURE.md's run-output contract:
 * <ul>
 *   <li>it is held by an OS lock ({@link RunLock}) while the run is open;</li>
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

    private final Path path;
    private final RunLock lock;
    private final Journal journal;
    private final List<TrialResult> previous;

    private RunDirectory(Path path, RunLock lock, Journal journal, List<TrialResult> previous) {
        this.path = path;
        this.lock = lock;
        this.journal = journal;
        this.previous = List.copyOf(previous);
    }

    /** {@code runs/<config name>-<UTC timestamp>}, relative to the working directory. */
    public static Path defaultPath(JobConfig config) {
        return Path.of("runs", config.name() + "-" + ZonedDateTime.now(ZoneOffset.UTC).format(STAMP));
    }

    /**
     * Opens the directory for a run of {@code config}; {@link RunRefusedException} when the rules
     * above forbid it.
     */
    public static RunDirectory open(Path path, JobConfig config, boolean resume) throws IOException {
        checkOurs(path);
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new RunRefusedException("cannot create the run directory " + path + ": " + creationReason(path, e)
                    + "; choose another folder with --output");
        }
        RunLock lock;
        try {
            lock = RunLock.acquire(path);
        } catch (java.nio.file.AccessDeniedException | java.nio.file.ReadOnlyFileSystemException e) {
            throw new RunRefusedException("cannot write in the run directory " + path + " (permission denied); "
                    + "choose another folder with --output");
        }
        try {
            Path marker = path.resolve(MARKER_FILE);
            if (!Files.exists(marker)) {
                Files.writeString(marker, "a run directory of finegrained: the search writes and resumes here\n", StandardCharsets.UTF_8);
            }
            Path journalFile = path.resolve(Journal.FILE_NAME);
            Path configFile = path.resolve(CONFIG_FILE);
            if (resume && Files.exists(configFile)) {
                checkSameConfig(configFile, config);
            }
            // On resume the journal is checked whole, before anything runs (JournalCheck).
            List<TrialResult> rows = resume ? JournalCheck.read(journalFile, config) : Journal.read(journalFile);
            if (!rows.isEmpty() && !resume) {
                throw new RunRefusedException(path + " already holds a run (" + rows.size() + " trials in "
                        + Journal.FILE_NAME + "): add --resume to continue it, or choose another directory with --output");
            }
            if (rows.isEmpty() || !Files.exists(configFile)) {
                Files.writeString(configFile, config.text(), StandardCharsets.UTF_8);
                Files.writeString(path.resolve(HASH_FILE), sha256(config.text()) + "  " + CONFIG_FILE + "\n", StandardCharsets.UTF_8);
            }
            Files.createDirectories(path.resolve(TRIALS_FOLDER));
            return new RunDirectory(path, lock, Journal.openForAppend(journalFile), rows);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Refuses a path that is not a folder, or a non-empty folder that is not a run of this tool,
     * saying what it found and what to do. Reads only: nothing is created before this passes.
     */
    static void checkOurs(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(path)) {
            throw new RunRefusedException("the run directory " + path + " is " + (Files.isRegularFile(path) ? "a file" : "a broken link")
                    + ", not a folder; nothing was changed; choose a new or empty folder with --output");
        }
        List<String> entries;
        try (Stream<Path> list = Files.list(path)) {
            entries = list.map(p -> p.getFileName().toString() + (Files.isDirectory(p) ? "/" : "")).sorted().toList();
        } catch (IOException e) {
            throw new RunRefusedException("cannot read the run directory " + path + ": " + reason(e)
                    + "; choose another folder with --output");
        }
        if (entries.isEmpty() || entries.contains(MARKER_FILE) || isLegacyRun(path) || onlyOurLock(path, entries)) {
            return;
        }
        String listed = String.join(", ", entries.subList(0, Math.min(LISTED_ENTRIES, entries.size())))
                + (entries.size() > LISTED_ENTRIES ? ", and " + (entries.size() - LISTED_ENTRIES) + " more" : "");
        throw new RunRefusedException("the run directory " + path + " is not empty and is not a run of finegrained: it holds "
                + entries.size() + (entries.size() == 1 ? " entry (" : " entries (") + listed + ") and no " + MARKER_FILE
                + " (the file every run of finegrained starts with); nothing in it was changed. "
                + "Choose a new or empty folder with --output (e.g. " + path.resolve("run") + ")");
    }

    /** A run made before the marker: its config.sha256 is the hash of its config.yml. */
    private static boolean isLegacyRun(Path path) {
        Path config = path.resolve(CONFIG_FILE);
        Path hash = path.resolve(HASH_FILE);
        try {
            if (!Files.isRegularFile(config) || !Files.isRegularFile(hash) || Files.size(hash) > 1024
                    || Files.size(config) > YamlLoader.MAX_FILE_BYTES) {
                return false;
            }
            String expected = sha256(Files.readString(config, StandardCharsets.UTF_8)) + "  " + CONFIG_FILE + "\n";
            return expected.equals(Files.readString(hash, StandardCharsets.UTF_8));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    /** Only run.lock, with our holder line or empty: a start that died before writing the marker. */
    private static boolean onlyOurLock(Path path, List<String> entries) {
        if (!entries.equals(List.of(RunLock.FILE_NAME))) {
            return false;
        }
        try {
            Path lock = path.resolve(RunLock.FILE_NAME);
            return Files.size(lock) < 1024 && RunLock.isHolderText(Files.readString(lock, StandardCharsets.UTF_8));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    /** Why a folder cannot be made: a file in the way (the usual case) or the system's reason. */
    private static String creationReason(Path path, IOException e) {
        for (Path p = path.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                return Files.isDirectory(p) ? reason(e) : p + " is a file, not a folder";
            }
        }
        return reason(e);
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException f) {
            return f.getFile() + " is a file, not a folder";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return (f.getFile() == null ? "" : f.getFile() + ": ") + f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void checkSameConfig(Path configFile, JobConfig config) throws IOException {
        String runText = Files.readString(configFile, StandardCharsets.UTF_8);
        if (runText.equals(config.text())) {
            return;
        }
        Object run = YamlLoader.parse(runText, configFile.toString()).toPlain();
        Object now = config.root().toPlain();
        List<String> changes = ConfigChanges.between(run, now);
        if (!changes.isEmpty()) {
            throw new RunRefusedException("cannot resume " + configFile.getParent() + ": " + config.file()
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

    public Path path() {
        return path;
    }

    public Journal journal() {
        return journal;
    }

    /** The rows the journal held when the directory was opened (empty for a fresh run). */
    public List<TrialResult> previousResults() {
        return previous;
    }

    /** Where the per-trial working folders and logs go ({@code trials/<id>/}). */
    public Path trialsFolder() {
        return path.resolve(TRIALS_FOLDER);
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
