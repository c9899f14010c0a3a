package io.finegrained.spark;

import io.finegrained.search.TrialResult;
import io.finegrained.trial.TrialJson;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The run's journal, {@code trials.jsonl}: one JSON row per finished trial, appended and forced
 * to disk ({@link FileChannel#force}) before the trial counts as done. Append-only; the only
 * repair is of a torn last line (a {@code kill -9} in the middle of a write), which
 * {@link #openForAppend} cuts off because that trial never counted as done.
 *
 * <p>Thread safety: {@link #append} is synchronized; the driver appends from one thread anyway.
 */
public final class Journal implements Closeable {
    public static final String FILE_NAME = "trials.jsonl";

    private final Path file;
    private final DurableLines lines;

    private Journal(Path file, DurableLines lines) {
        this.file = file;
        this.lines = lines;
    }

    /** Opens (creating it if needed) for appending, after cutting a torn last line. */
    public static Journal openForAppend(Path file) throws IOException {
        return new Journal(file, DurableLines.open(file, "the journal"));
    }

    public Path file() {
        return file;
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
        if (!Files.exists(file)) {
            return List.of();
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal " + file + ": " + e.getMessage(), e);
        }
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
