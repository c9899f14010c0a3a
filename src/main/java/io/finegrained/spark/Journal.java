package io.finegrained.spark;

import io.finegrained.search.TrialResult;
import io.finegrained.trial.TrialJson;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The run's journal, {@code trials.jsonl}: one JSON row per finished trial, appended and made
 * durable ({@link DurableLines}: forced to the local disk, {@code hsync}ed on HDFS, uploaded whole
 * to a store without append) before the trial counts as done. Append-only; the only repair is of
 * a torn last line (a {@code kill -9} in the middle of a write), which opening cuts off because
 * that trial never counted as done. On HDFS the open journal's write lease is what holds the run
 * (see {@link RunDirectory}).
 *
 * <p>Thread safety: {@link #append} is synchronized; the driver appends from one thread anyway.
 */
public final class Journal implements Closeable {
    public static final String FILE_NAME = "trials.jsonl";

    private final DurableLines lines;

    private Journal(DurableLines lines) {
        this.lines = lines;
    }

    /** Opens a local journal (creating it if needed) for appending, after cutting a torn last line. */
    public static Journal openForAppend(Path file) throws IOException {
        return new Journal(DurableLines.open(file, "the journal"));
    }

    /** Opens the journal of a run directory's store; see {@link RunStore#openLines} for {@code resume}. */
    static Journal openForAppend(RunStore store, boolean resume, java.io.PrintStream notes) throws IOException {
        return new Journal(DurableLines.open(store, FILE_NAME, "the journal", resume, notes));
    }

    /** The journal file, for messages: a local path or a URI. */
    public String file() {
        return lines.file();
    }

    /** Whether it is kept on the driver's disk and uploaded whole after each row (a store without append). */
    public boolean mirrored() {
        return lines.mirrored();
    }

    /** Writes the row and forces it to disk; when this returns the trial is done. */
    public void append(TrialResult result) {
        lines.append(TrialJson.row(result));
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }

    /**
     * Every complete row of a journal, in file order; an absent file reads as empty. A torn last
     * line (no newline at its end) is left out. A damaged line elsewhere is an
     * {@link IllegalStateException} naming the file and the line.
     */
    public static List<TrialResult> read(Path file) {
        return read(file, TrialJson::parseRow);
    }

    /**
     * Every complete line of an append-only JSON-lines file, parsed, with the journal's rules: a
     * torn last line is left out (that trial never counted as done); a line the parser refuses
     * ({@link IllegalArgumentException}) elsewhere is an {@link IllegalStateException} naming the
     * file and the line.
     */
    public static <T> List<T> read(Path file, Function<String, T> parser) {
        return read(RunStore.local(file.getParent() == null ? Path.of("") : file.getParent()), file.getFileName().toString(), parser);
    }

    /** {@link #read(Path, Function)} of a file in a run directory's store. */
    static <T> List<T> read(RunStore store, String relative, Function<String, T> parser) {
        String text;
        try {
            if (!store.exists(relative)) {
                return List.of();
            }
            text = new String(store.read(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal " + store.describe(relative) + ": " + e.getMessage(), e);
        }
        String file = store.describe(relative);
        List<T> rows = new ArrayList<>();
        int lineNumber = 0;
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                break; // torn last line: that trial never counted as done
            }
            lineNumber++;
            String line = text.substring(start, end);
            start = end + 1;
            if (line.isBlank()) {
                continue;
            }
            try {
                rows.add(parser.apply(line));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(file + " line " + lineNumber + ": " + e.getMessage()
                        + " (the journal was edited or damaged)");
            }
        }
        return rows;
    }
}
