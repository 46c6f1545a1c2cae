package dev.convene.conference.internal;

import dev.convene.conference.FileOffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.BitSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fetch not finished, kept in the home so that it survives a restart: the chunks verified so far, written at
 * their place in {@code .part}, the bitmap of those chunks in {@code .bits} (rewritten after each chunk), and the
 * chunk hashes in {@code .hashes} once verified against the offer's root. On opening, every chunk the bitmap marks
 * is checked against its hash again (a chunk whose bit outlived its data, as after a power cut, is fetched
 * again). While open it serves its chunks to other fetchers. Thread-safe: writes are positional, the bitmap is
 * under a lock.
 */
final class Partial implements AutoCloseable {
    final FileOffer offer;
    private final FileStore store;
    private final FileChannel part;
    private final FileChannel bitsFile;
    private final ReentrantLock lock = new ReentrantLock();
    private final BitSet done = new BitSet();
    private volatile byte[] hashes;

    private Partial(FileStore store, FileOffer offer, FileChannel part, FileChannel bitsFile) {
        this.store = store;
        this.offer = offer;
        this.part = part;
        this.bitsFile = bitsFile;
    }

    static Partial open(FileStore store, FileOffer o) throws IOException {
        Files.createDirectories(store.partialDir);
        FileChannel part = FileChannel.open(store.part(o, "part"), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileChannel bits;
        try {
            bits = FileChannel.open(store.part(o, "bits"), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            part.close();
            throw e;
        }
        Partial p = new Partial(store, o, part, bits);
        try {
            p.load();
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
        return p;
    }

    private void load() throws IOException {
        int n = offer.chunkCount();
        if (n == 0) {
            if (FileStore.root(new byte[0]).equals(offer.chunksRoot())) hashes = new byte[0];
            return;
        }
        Path h = store.part(offer, "hashes");
        if (Files.isRegularFile(h) && Files.size(h) == 32L * n) {
            byte[] bytes = Files.readAllBytes(h);
            if (FileStore.root(bytes).equals(offer.chunksRoot())) hashes = bytes;
        }
        if (hashes == null) return; // no chunk can have been verified without them
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(bitsFile.size(), (n + 7) / 8));
        while (b.hasRemaining() && bitsFile.read(b, b.position()) >= 0) {
            // read it all
        }
        BitSet marked = BitSet.valueOf(b.array());
        long partSize = part.size();
        for (int i = marked.nextSetBit(0); i >= 0 && i < n; i = marked.nextSetBit(i + 1)) {
            if ((long) i * offer.chunkSize() + offer.chunkLength(i) > partSize) continue;
            if (Arrays.equals(FileStore.sha256(FileStore.read(part, offer, i)), hash(i))) done.set(i);
        }
    }

    byte[] hashes() {
        return hashes;
    }

    byte[] hash(int i) {
        return Arrays.copyOfRange(hashes, 32 * i, 32 * i + 32);
    }

    /** Takes the chunk hashes if they match the offer's root, and keeps them; false if they do not. */
    boolean setHashes(byte[] h) throws IOException {
        if (hashes != null) return true;
        if (h.length != 32L * offer.chunkCount() || !FileStore.root(h).equals(offer.chunksRoot())) return false;
        Path tmp = store.part(offer, "hashes.tmp");
        Files.write(tmp, h);
        Files.move(tmp, store.part(offer, "hashes"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        hashes = h;
        return true;
    }

    boolean has(int i) {
        lock.lock();
        try {
            return done.get(i);
        } finally {
            lock.unlock();
        }
    }

    BitSet done() {
        lock.lock();
        try {
            return (BitSet) done.clone();
        } finally {
            lock.unlock();
        }
    }

    byte[] bitmap() {
        return Arrays.copyOf(done().toByteArray(), (offer.chunkCount() + 7) / 8);
    }

    int count() {
        lock.lock();
        try {
            return done.cardinality();
        } finally {
            lock.unlock();
        }
    }

    long bytesDone() {
        BitSet d = done();
        long sum = 0;
        for (int i = d.nextSetBit(0); i >= 0; i = d.nextSetBit(i + 1)) sum += offer.chunkLength(i);
        return sum;
    }

    boolean whole() {
        return count() == offer.chunkCount();
    }

    /** Writes a chunk already checked against its hash, then marks it done and rewrites the bitmap. */
    void write(int i, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(data);
        long pos = (long) i * offer.chunkSize();
        while (b.hasRemaining()) part.write(b, pos + b.position());
        lock.lock();
        try {
            done.set(i);
            ByteBuffer bits = ByteBuffer.wrap(Arrays.copyOf(done.toByteArray(), (offer.chunkCount() + 7) / 8));
            while (bits.hasRemaining()) bitsFile.write(bits, bits.position());
        } finally {
            lock.unlock();
        }
    }

    byte[] read(int i) throws IOException {
        return FileStore.read(part, offer, i);
    }

    /** Makes the verified whole the store's content; the partial files go. */
    void promote() throws IOException {
        part.truncate(offer.size());
        part.force(false);
        close();
        Files.createDirectories(store.dir);
        Path content = store.content(offer.sha256());
        Path manifest = store.manifest(offer);
        Path tmp = store.dir.resolve(FileStore.key(offer) + ".hashes.tmp");
        Files.write(tmp, hashes);
        Files.move(tmp, manifest, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        if (Files.isRegularFile(content) && Files.size(content) == offer.size()) Files.delete(store.part(offer, "part"));
        else Files.move(store.part(offer, "part"), content, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        discard();
    }

    /** Deletes the partial files (after promotion, or when the offer turned out false). */
    void discard() throws IOException {
        close();
        for (String ext : new String[] {"part", "bits", "hashes"}) Files.deleteIfExists(store.part(offer, ext));
    }

    /** The part file's SHA-256 (when whole). */
    String hashWhole() throws IOException {
        part.force(false);
        return FileStore.hashFile(store.part(offer, "part"));
    }

    @Override
    public void close() throws IOException {
        try {
            part.close();
        } finally {
            bitsFile.close();
        }
    }
}
