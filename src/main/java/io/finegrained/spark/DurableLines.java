package io.finegrained.spark;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * An append-only file of lines, each durable before {@link #append} returns, so what was appended
 * survives a crash; a torn last line (a {@code kill -9} in the middle of a write) is cut off when
 * the file is opened, since it never counted. The journal and the events file are both one. How
 * a line is made durable depends on where the file is ({@link RunStore}): forced to the local
 * disk, {@code hsync}ed on HDFS, or uploaded whole to a store without append.
 */
final class DurableLines implements Closeable {
    private final String file;
    private final String what;
    private final RunStore.Sink sink;

    private DurableLines(String file, String what, RunStore.Sink sink) {
        this.file = file;
        this.what = what;
        this.sink = sink;
    }

    /**
     * Opens a local file (creating it if needed) for appending, after cutting a torn last line.
     *
     * @param what the file's name for messages ("the journal")
     */
    static DurableLines open(Path file, String what) throws IOException {
        return new DurableLines(file.toString(), what, RunStore.LocalSink.open(file));
    }

    /** Opens {@code relative} in a run directory's store; see {@link RunStore#openLines}. */
    static DurableLines open(RunStore store, String relative, String what, boolean resume, java.io.PrintStream notes)
            throws IOException {
        return new DurableLines(store.describe(relative), what, store.openLines(relative, what, resume, notes));
    }

    /** The file, for messages: a local path or a URI. */
    String file() {
        return file;
    }

    /** Whether the file is mirrored from the driver's disk to a store without append. */
    boolean mirrored() {
        return sink.mirrored();
    }

    /** Writes the line (a newline is added) and makes it durable. */
    synchronized void append(String line) {
        try {
            sink.append((line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        sink.close();
    }
}
