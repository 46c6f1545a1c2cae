package dev.convene.conference.internal;

import dev.convene.conference.HomeLockedException;
import dev.convene.conference.StoreException;
import dev.convene.overlay.PeerId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The lock that keeps a home directory to one running peer: an OS file lock ({@link FileChannel#tryLock()})
 * on {@code HOME/convene.lock}, held until {@link #close()}; the file then says who holds it ({@code pid} and
 * {@code peer} lines). The OS drops the lock when the process dies, so a crash never leaves it stale; the file
 * itself stays.
 */
public final class HomeLock implements AutoCloseable {
    /** The lock file's name inside the home directory. */
    public static final String FILE = "convene.lock";
    private final FileChannel channel;
    private final FileLock lock;

    private HomeLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code home} for {@code self}.
     *
     * @throws HomeLockedException if another peer (this process or another) holds it
     * @throws StoreException if the lock file cannot be created
     */
    public static HomeLock acquire(Path home, PeerId self) {
        Path file = home.resolve(FILE);
        FileChannel ch = null;
        try {
            Files.createDirectories(home);
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this JVM
            }
            if (lock == null) {
                HomeLockedException held = holder(home, ch);
                ch.close();
                throw held;
            }
            byte[] who = ("pid=" + ProcessHandle.current().pid() + "\npeer=" + self.value() + "\n").getBytes(StandardCharsets.US_ASCII);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(who), 0);
            ch.force(false);
            return new HomeLock(ch, lock);
        } catch (IOException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // closing after a failure
                }
            }
            throw new StoreException(file, e);
        }
    }

    private static HomeLockedException holder(Path home, FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(256);
        ch.read(b, 0);
        long pid = -1;
        PeerId peer = null;
        for (String line : new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).split("\n")) {
            try {
                if (line.startsWith("pid=")) pid = Long.parseLong(line.substring(4).strip());
                if (line.startsWith("peer=")) peer = new PeerId(line.substring(5).strip());
            } catch (IllegalArgumentException e) {
                // a partly written or foreign file: the holder stays unknown
            }
        }
        return new HomeLockedException(home, pid, peer);
    }

    /** Releases the lock (idempotent). */
    @Override
    public void close() {
        try {
            if (lock.isValid()) lock.release();
            channel.close();
        } catch (IOException e) {
            // the channel is gone either way; the OS releases the lock with it
        }
    }
}
