package dev.convene.conference.internal;

import dev.convene.conference.ConferenceEvent;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferenceListener;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.EventType;
import dev.convene.conference.FetchedFile;
import dev.convene.conference.FileException;
import dev.convene.conference.FileException.Reason;
import dev.convene.conference.FileOffer;
import dev.convene.conference.FileProgress;
import dev.convene.conference.FileStats;
import dev.convene.conference.MessageId;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Files shared in conferences (docs/PROTOCOL.md §2 "Files"), built on the peer's public API: offers are durable
 * built-in events ({@link FileCodecs}), chunks move over {@link dev.convene.conference.ConferenceStream}s
 * ({@link FileServer#PROTOCOL}), the home keeps the content and the partial fetches ({@link FileStore},
 * {@link Partial}). Hashing, copying, disk and stream work run on the peer's file threads
 * ({@code convene-<name>-files}), never on the event thread. One per peer; any thread.
 */
public final class FileSharing {
    /** The most file threads (fetch coordinators, sources, shares); beyond, a share or fetch fails ({@code IO}) and a source is not started. */
    static final int MAX_THREADS = 64;

    final Path home;
    final String label;
    private final List<ConferenceListener> listeners;
    final LongAdder shared = new LongAdder(), offersRefused = new LongAdder(), chunksServed = new LongAdder(),
            bytesServed = new LongAdder(), requestsRefused = new LongAdder(), chunksFetched = new LongAdder(),
            bytesFetched = new LongAdder(), chunksRejected = new LongAdder(), fetchesCompleted = new LongAdder(),
            fetchesFailed = new LongAdder(), fetchesCancelled = new LongAdder();
    private final EventType<FileCodecs.Value> offerType = FileCodecs.type(offersRefused);
    private final Map<MessageId, FileFetch> fetches = new ConcurrentHashMap<>();
    private final Map<String, Partial> partials = new ConcurrentHashMap<>();
    private final ExecutorService threads;
    private final FileStore store;
    private final FileServer server = new FileServer(this);
    volatile ConferencePeer peer;
    private final long stallNanos;

    /**
     * Sharing for one peer.
     *
     * @param home the peer's home, or null (then sharing and fetching fail)
     * @param label the peer's name, for threads and logs
     * @param listeners the peer's conference listeners, told of offers
     * @param stall how long a fetch waits while no source holds a missing chunk
     */
    public FileSharing(Path home, String label, List<ConferenceListener> listeners, java.time.Duration stall) {
        this.stallNanos = stall.toNanos();
        this.home = home == null ? null : home.toAbsolutePath().normalize();
        this.label = label;
        this.listeners = listeners;
        this.store = home == null ? null : new FileStore(this.home);
        this.threads = new ThreadPoolExecutor(0, MAX_THREADS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "convene-" + label + "-files");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * The offer event type of this peer, to register on its engine before it restores.
     *
     * @return the type
     */
    public EventType<?> offerType() {
        return offerType;
    }

    /**
     * Binds to the started peer: listens to offers and serves chunk requests.
     *
     * @param peer the peer
     */
    public void attach(ConferencePeer peer) {
        this.peer = peer;
        peer.onEvent(offerType, e -> {
            FileOffer offer = e.value().offer(e);
            for (ConferenceListener l : listeners) {
                try {
                    l.fileOffered(offer);
                } catch (RuntimeException ex) {
                    org.slf4j.LoggerFactory.getLogger(FileSharing.class).warn("{}: listener failed", label, ex);
                }
            }
        });
        if (store != null) peer.onStream(FileServer.PROTOCOL, server::serve);
    }

    FileStore store() {
        return store;
    }

    void execute(Runnable r) {
        threads.execute(r);
    }

    /**
     * See {@link ConferencePeer#share}.
     *
     * @param conference the conference
     * @param file the file
     * @return the offer
     */
    public CompletableFuture<FileOffer> share(ConferenceId conference, Path file) {
        if (store == null) return CompletableFuture.failedFuture(new FileException(conference, null, Reason.NO_HOME, null));
        CompletableFuture<FileCodecs.Value> stored = new CompletableFuture<>();
        try {
            threads.execute(() -> {
                try {
                    stored.complete(store(conference, file));
                } catch (FileException e) {
                    stored.completeExceptionally(e);
                } catch (IOException | RuntimeException e) {
                    stored.completeExceptionally(new FileException(conference, null, Reason.IO, e));
                }
            });
        } catch (RuntimeException e) { // shut down, or every file thread busy
            return CompletableFuture.failedFuture(new FileException(conference, null, threads.isShutdown() ? Reason.CLOSED : Reason.IO, e));
        }
        return stored.thenCompose(v -> peer.publish(conference, offerType, v)).thenApply(p -> {
            shared.increment();
            return p.event().value().offer(p.event());
        });
    }

    /** Copies a file into the store while hashing it; its offer's value. File thread. */
    private FileCodecs.Value store(ConferenceId conference, Path file) throws IOException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) throw new FileException(conference, null, Reason.NOT_SHAREABLE, null);
        long size = Files.size(file);
        if (size > FileOffer.MAX_SIZE) throw new FileException(conference, null, Reason.NOT_SHAREABLE, null);
        int chunkSize = FileOffer.DEFAULT_CHUNK_SIZE;
        while ((size + chunkSize - 1) / chunkSize > FileOffer.MAX_CHUNKS) chunkSize *= 2;
        Files.createDirectories(store.dir);
        Path tmp = Files.createTempFile(store.dir, "share-", ".tmp");
        try {
            MessageDigest whole = FileStore.sha256();
            ByteBuffer hashes = ByteBuffer.allocate(32 * (int) ((size + chunkSize - 1) / chunkSize));
            long total = 0;
            try (InputStream in = Files.newInputStream(file); OutputStream out = Files.newOutputStream(tmp)) {
                while (true) {
                    byte[] chunk = in.readNBytes(chunkSize);
                    if (chunk.length == 0) break;
                    total += chunk.length;
                    if (total > size || hashes.remaining() < 32) throw new FileException(conference, null, Reason.NOT_SHAREABLE, null); // it grew
                    whole.update(chunk);
                    hashes.put(FileStore.sha256(chunk));
                    out.write(chunk);
                    if (chunk.length < chunkSize) break;
                }
            }
            if (total != size) {
                // it changed while read: offer what was read, if it is still within bounds
                size = total;
                hashes = ByteBuffer.wrap(java.util.Arrays.copyOf(hashes.array(), hashes.position()));
            }
            byte[] h = java.util.Arrays.copyOf(hashes.array(), hashes.position());
            String sha = FileStore.hex(whole.digest());
            FileCodecs.Value v = new FileCodecs.Value(FileNames.sanitise(String.valueOf(file.getFileName())), size, chunkSize, sha,
                    FileStore.root(h));
            Path content = store.content(sha);
            if (Files.isRegularFile(content, LinkOption.NOFOLLOW_LINKS) && Files.size(content) == size) Files.delete(tmp);
            else Files.move(tmp, content, StandardCopyOption.REPLACE_EXISTING);
            Path m = store.manifest(v.chunksRoot(), chunkSize);
            Path mtmp = store.dir.resolve(FileStore.key(v.chunksRoot(), chunkSize) + ".hashes.tmp");
            Files.write(mtmp, h);
            Files.move(mtmp, m, StandardCopyOption.REPLACE_EXISTING);
            return v;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * See {@link ConferencePeer#files}.
     *
     * @param conference the conference
     * @return the offers in canonical order
     */
    public List<FileOffer> offers(ConferenceId conference) {
        return peer.events(conference, offerType).stream().map(e -> e.value().offer(e)).toList();
    }

    /** An offer of a conference by id, or null. */
    FileOffer offer(ConferenceId conference, MessageId id) {
        for (ConferenceEvent<FileCodecs.Value> e : peer.events(conference, offerType)) {
            if (e.id().equals(id)) return e.value().offer(e);
        }
        return null;
    }

    /**
     * See {@link ConferencePeer#fetch}.
     *
     * @param conference the conference
     * @param offerId the offer's id
     * @param dir the target directory, or null
     * @param progress the progress listener, or null
     * @return the fetched file
     */
    public CompletableFuture<FetchedFile> fetch(ConferenceId conference, MessageId offerId, Path dir, Consumer<FileProgress> progress) {
        if (store == null) return CompletableFuture.failedFuture(new FileException(conference, offerId, Reason.NO_HOME, null));
        FileOffer offer;
        try {
            offer = offer(conference, offerId);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (offer == null) return CompletableFuture.failedFuture(new FileException(conference, offerId, Reason.NOT_FOUND, null));
        FileFetch[] started = new FileFetch[1];
        FileFetch f = fetches.computeIfAbsent(offerId, k -> started[0] = new FileFetch(this, offer, dir, progress, stallNanos));
        if (started[0] != null) {
            try {
                threads.execute(f);
            } catch (RuntimeException e) {
                fetches.remove(offerId, f);
                return CompletableFuture.failedFuture(new FileException(conference, offerId, threads.isShutdown() ? Reason.CLOSED : Reason.IO, e));
            }
        }
        CompletableFuture<FetchedFile> out = f.result.copy();
        out.whenComplete((v, e) -> {
            if (out.isCancelled() && !f.result.isDone()) f.cancel();
        });
        return out;
    }

    Partial openPartial(FileOffer offer) throws IOException {
        String key = FileStore.key(offer);
        Partial p = Partial.open(store, offer);
        Partial had = partials.putIfAbsent(key, p);
        if (had != null) { // another fetch of the same content (another offer of it) is running
            p.close();
            throw new IOException("the same content is being fetched for another offer");
        }
        return p;
    }

    /** The partial of an offer's content being fetched now, or null. */
    Partial partial(FileOffer offer) {
        return partials.get(FileStore.key(offer));
    }

    void closePartial(Partial p) {
        partials.remove(FileStore.key(p.offer), p);
        try {
            p.close();
        } catch (IOException e) {
            // closing: nothing to keep
        }
    }

    void promote(Partial p) throws IOException {
        partials.remove(FileStore.key(p.offer), p);
        p.promote();
    }

    void finished(FileFetch f) {
        fetches.remove(f.offer.id(), f);
    }

    /**
     * See {@link ConferencePeer#fileBytesHeld}.
     *
     * @param offer the offer
     * @return bytes held here: the size when whole, the verified chunks of a fetch not finished, else 0
     */
    public long bytesHeld(FileOffer offer) {
        if (store == null) return 0;
        if (store.complete(offer)) return offer.size();
        Partial running = partial(offer);
        return running != null ? running.bytesDone() : store.markedBytes(offer);
    }

    /**
     * The counters.
     *
     * @return a snapshot
     */
    public FileStats stats() {
        return new FileStats(shared.sum(), offersRefused.sum(), chunksServed.sum(), bytesServed.sum(), requestsRefused.sum(),
                chunksFetched.sum(), bytesFetched.sum(), chunksRejected.sum(), fetchesCompleted.sum(), fetchesFailed.sum(), fetches.size(),
                fetchesCancelled.sum());
    }

    /** Stops every fetch (they fail with {@link Reason#CLOSED}; verified chunks stay) and the file threads. */
    public void close() {
        for (FileFetch f : List.copyOf(fetches.values())) {
            f.stop();
            f.result.completeExceptionally(new FileException(f.offer.conference(), f.offer.id(), Reason.CLOSED, null));
        }
        threads.shutdown();
        try {
            threads.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        threads.shutdownNow();
        for (Partial p : List.copyOf(partials.values())) closePartial(p);
    }
}
