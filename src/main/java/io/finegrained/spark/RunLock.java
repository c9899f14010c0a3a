package io.finegrained.spark;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * An operating-system lock on a run directory ({@code run.lock}). Why the OS lock rather than a
 * marker file: the kernel drops it when the holder dies, even by {@code kill -9}, so no stale lock
 * is ever left to clean up. The file's text names the holder (host, pid, start time) for the
 * message another process gets.
 */
public final class RunLock implements Closeable {
    public static final String FILE_NAME = "run.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock or throws {@link RunRefusedException} naming its holder. */
    public static RunLock acquire(Path directory) throws IOException {
        Path file = directory.resolve(FILE_NAME);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this very JVM (another run in the same process)
        }
        if (lock == null) {
            channel.close();
            String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
            throw new RunRefusedException("the run directory " + directory + " is in use by another search ("
                    + (holder.isEmpty() ? "holder unknown" : holder) + "); wait for it to end or choose another --output");
        }
        String text = "host=" + hostName() + " pid=" + ProcessHandle.current().pid() + " started=" + Instant.now() + "\n";
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(false);
        return new RunLock(channel, lock);
    }

    /** True when the text is what {@link #acquire} writes (or empty: a holder that died before writing it). */
    static boolean isHolderText(String text) {
        return text.isEmpty() || text.matches("host=\\S+ pid=\\d+ started=\\S+\n");
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
