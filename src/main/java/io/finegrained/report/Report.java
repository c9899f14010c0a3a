package io.finegrained.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * {@code report.html}: one self-contained, offline HTML file per run directory (no script or
 * style sheet fetched at view time), drawn from the journal and {@code config.yml}: the trials
 * over two objectives with the front, best-so-far against trials and time, a timeline of trials
 * per executor slot, the trial table and the best network's module table.
 *
 * <p>Each write is a full rewrite, atomic: the page goes to a temporary file in the same folder,
 * then replaces {@code report.html} by a move, so a browser or a copy never sees half a page. A
 * {@code report.html} that this tool did not write is left alone (an {@link IOException} says so).
 */
public final class Report {
    public static final String FILE_NAME = "report.html";

    private Report() {
    }

    /**
     * Writes {@code runDir/report.html} and returns its path. {@link IllegalArgumentException}
     * when the folder holds no journal.
     */
    public static Path write(Path runDir) throws IOException {
        String page = render(runDir);
        Path target = runDir.resolve(FILE_NAME);
        if (Files.exists(target) && !writtenByUs(target)) {
            throw new IOException(target + " exists and was not written by finegrained: left as it is");
        }
        // A temporary name of its own, so the driver's writer and `finegrained report` never write into one file
        // (not createTempFile: its owner-only permissions would hide the report from others on a shared disk)
        Path temp = runDir.resolve("." + FILE_NAME + "." + ProcessHandle.current().pid() + "." + Thread.currentThread().getId()
                + "." + System.nanoTime() + ".tmp");
        try {
            Files.writeString(temp, page, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        return target;
    }

    /** The page of a run directory, as {@link #write} would write it now. */
    public static String render(Path runDir) {
        return Html.page(RunData.read(runDir), Instant.now());
    }

    private static boolean writtenByUs(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(512);
        }
        return new String(head, StandardCharsets.UTF_8).contains(Html.GENERATOR);
    }
}
