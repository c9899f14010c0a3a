package io.finegrained.report;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Keeps a run's {@code report.html} current while the run goes, for the driver to call after
 * each result: {@link #maybeWrite} rewrites the report at most once per interval (each write
 * reads the whole journal again, so writing after every result of a fast run would cost more
 * than the trials), {@link #finish} writes it once more at the end.
 *
 * <p>A report that cannot be written never stops the search: the first failure is printed as a
 * warning on the given stream, later ones are silent, and the search goes on. Thread-safe.
 */
public final class ReportWriter {
    /** The default interval between two writes. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

    private final Path runDir;
    private final long intervalNanos;
    private final PrintStream warnings;
    private long lastWrite;
    private long lastDuration;
    private boolean written;
    private boolean warned;

    /** @param warnings where the first failure to write is reported (stderr in the CLI) */
    public ReportWriter(Path runDir, Duration interval, PrintStream warnings) {
        this.runDir = runDir;
        this.intervalNanos = interval.toNanos();
        this.warnings = warnings;
    }

    public ReportWriter(Path runDir, PrintStream warnings) {
        this(runDir, DEFAULT_INTERVAL, warnings);
    }

    /**
     * Rewrites the report when the interval has passed since the last write, and at least ten
     * times the last write's own duration (so a long journal costs the driver at most a tenth of
     * its time); true when it wrote.
     */
    public synchronized boolean maybeWrite() {
        long now = System.nanoTime();
        if (written && now - lastWrite < Math.max(intervalNanos, 10 * lastDuration)) {
            return false;
        }
        return write(now);
    }

    /** Writes the report now (the run's end); the path, or null when it could not be written. */
    public synchronized Path finish() {
        return write(System.nanoTime()) ? runDir.resolve(Report.FILE_NAME) : null;
    }

    private boolean write(long now) {
        written = true;
        lastWrite = now;
        try {
            Report.write(runDir);
            lastDuration = System.nanoTime() - now;
            return true;
        } catch (Exception e) {
            if (!warned) {
                warned = true;
                warnings.println("warning: cannot write " + runDir.resolve(Report.FILE_NAME) + ": " + e.getMessage()
                        + " (the search goes on; `finegrained report " + runDir + "` writes it later)");
            }
            return false;
        }
    }
}
