package io.finegrained.trial;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A program's output stream kept on disk within a bound: at most {@code limit} bytes, the end of
 * the output kept. Why the end: the metrics line and the error that ended a program are at the
 * end; a program that prints forever ({@code yes}) must not fill the disk.
 *
 * <p>How: the output goes to {@code file} in segments of {@code limit / 2} bytes; when a segment
 * is full it becomes {@code file.1} (replacing the one before) and a new one starts, so the disk
 * never holds more than {@code limit} bytes and always the last {@code limit / 2} or more. On
 * {@link #close} the two are joined into {@code file}, headed by a line that says how many bytes
 * were dropped. If the JVM dies first, both segments stay readable as they are.
 *
 * <p>A write error (a full disk) is kept, not thrown: the program's output keeps being read and
 * counted, so the program never blocks on a full pipe; the caller asks {@link #failure()}.
 * Writes and close are synchronized: the pump thread writes, the trial's thread closes.
 */
final class BoundedLog implements Closeable {
    private final Path file;
    private final Path previous;
    private final long segmentLimit;
    private final long limit;
    private OutputStream out;
    private long segmentBytes;
    private long total;
    private boolean rotated;
    private boolean closed;
    private IOException failure;

    BoundedLog(Path file, long limit) throws IOException {
        if (limit < 2) {
            throw new IllegalArgumentException("a log needs a limit of at least 2 bytes, got " + limit);
        }
        this.file = file;
        this.previous = file.resolveSibling(file.getFileName() + ".1");
        this.limit = limit;
        this.segmentLimit = limit / 2;
        this.out = Files.newOutputStream(file);
    }

    synchronized void write(byte[] bytes, int offset, int length) {
        total += length;
        if (closed || failure != null) {
            return;
        }
        try {
            while (length > 0) {
                if (segmentBytes == segmentLimit) {
                    rotate();
                }
                int n = (int) Math.min(length, segmentLimit - segmentBytes);
                out.write(bytes, offset, n);
                segmentBytes += n;
                offset += n;
                length -= n;
            }
        } catch (IOException e) {
            failure = e;
        }
    }

    /** Copies the stream into the log until it ends (the pump thread's loop). */
    void drain(InputStream in) {
        byte[] buffer = new byte[64 * 1024];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                write(buffer, 0, n);
            }
        } catch (IOException e) {
            // The pipe was closed under us (the process ended and its streams were closed): done.
        }
    }

    private void rotate() throws IOException {
        out.close();
        Files.move(file, previous, StandardCopyOption.REPLACE_EXISTING);
        out = Files.newOutputStream(file);
        segmentBytes = 0;
        rotated = true;
    }

    /** Bytes the program wrote that are not in the log. */
    synchronized long dropped() {
        return rotated ? total - segmentLimit - segmentBytes : total - segmentBytes;
    }

    /** Bytes the program wrote in all. */
    synchronized long total() {
        return total;
    }

    /** The first error writing the log, or null. */
    synchronized IOException failure() {
        return failure;
    }

    Path file() {
        return file;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
            if (rotated && failure == null) {
                join();
            }
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
        }
    }

    /** {@code file} = the note, then the previous segment, then the current one. */
    private void join() throws IOException {
        Path joined = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream to = Files.newOutputStream(joined)) {
            String note = "[finegrained: the first " + (total - segmentLimit - segmentBytes) + " of " + total
                    + " bytes of this output were dropped; a trial log keeps at most the last " + limit + " bytes]\n";
            to.write(note.getBytes(StandardCharsets.UTF_8));
            Files.copy(previous, to);
            Files.copy(file, to);
        }
        Files.move(joined, file, StandardCopyOption.REPLACE_EXISTING);
        Files.delete(previous);
    }
}
