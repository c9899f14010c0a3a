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
 */
public final class RunDirectory implements Closeable {
    public static final String CONFIG_FILE = "config.yml";
    public static final String HASH_FILE = "config.sha256";
    public static final String TRIALS_FOLDER = "trials";
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
        Files.createDirectories(path);
        RunLock lock = RunLock.acquire(path);
        try {
            Path journalFile = path.resolve(Journal.FILE_NAME);
            List<TrialResult> rows = Journal.read(journalFile);
            if (!rows.isEmpty() && !resume) {
                throw new RunRefusedException(path + " already holds a run (" + rows.size() + " trials in "
                        + Journal.FILE_NAME + "): add --resume to continue it, or choose another directory with --output");
            }
            Path configFile = path.resolve(CONFIG_FILE);
            if (resume && Files.exists(configFile)) {
                checkSameConfig(configFile, config);
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
