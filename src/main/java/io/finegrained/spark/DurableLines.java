package io.finegrained.spark;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An append-only file of lines, each forced to disk before {@link #append} returns, so what was
 * appended survives a crash; a torn last line (a {@code kill -9} in the middle of a write) is cut
 * off when the file is opened, since it never counted. The journal and the events file are both
 * one.
 */
final class DurableLines implements Closeable {
    private final Path file;
    private final String what;
    private final FileChannel channel;

    private DurableLines(Path file, String what, FileChannel channel) {
        this.file = file;
        this.what = what;
        this.channel = channel;
    }

    /**
     * Opens (creating it if needed) for appending, after cutting a torn last line.
     *
     * @param what the file's name for messages ("the journal")
     */
    static DurableLines open(Path file, String what) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        long complete = completeLength(file);
        if (channel.size() > complete) {
            channel.truncate(complete);
            channel.force(true);
        }
        channel.position(channel.size());
        return new DurableLines(file, what, channel);
    }

    Path file() {
        return file;
    }

    /** Writes the line (a newline is added) and forces it to disk. */
    synchronized void append(String line) {
        ByteBuffer buffer = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }

    /** The length of the file up to and including its last newline. */
    private static long completeLength(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int last = bytes.length - 1;
        while (last >= 0 && bytes[last] != '\n') {
            last--;
        }
        return last + 1L;
    }
}
