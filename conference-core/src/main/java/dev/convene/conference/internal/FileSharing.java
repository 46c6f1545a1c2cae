package dev.convene.conference.internal;

import dev.convene.conference.ConferenceEvent;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferenceListener;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.EventType;
import dev.convene.conference.FetchedFile;
import dev.convene.conference.FileOffer;
import dev.convene.conference.FileProgress;
import dev.convene.conference.FileStats;
import dev.convene.conference.MessageId;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Files shared in conferences (docs/PROTOCOL.md §2 "Files"), built on the peer's public API: offers are durable
 * built-in events ({@link FileCodecs}), chunks move over {@link dev.convene.conference.ConferenceStream}s
 * ({@code convene/files/1}), the home keeps the content and partial fetches. One per peer; any thread.
 */
public final class FileSharing {
    final Path home;
    final String label;
    private final List<ConferenceListener> listeners;
    final LongAdder shared = new LongAdder(), offersRefused = new LongAdder(), chunksServed = new LongAdder(),
            bytesServed = new LongAdder(), requestsRefused = new LongAdder(), chunksFetched = new LongAdder(),
            bytesFetched = new LongAdder(), chunksRejected = new LongAdder(), fetchesCompleted = new LongAdder(),
            fetchesFailed = new LongAdder();
    private final EventType<FileCodecs.Value> offerType = FileCodecs.type(offersRefused);
    volatile ConferencePeer peer;

    /**
     * Sharing for one peer.
     *
     * @param home the peer's home, or null (then sharing and fetching fail)
     * @param label the peer's name, for threads and logs
     * @param listeners the peer's conference listeners, told of offers
     */
    public FileSharing(Path home, String label, List<ConferenceListener> listeners) {
        this.home = home;
        this.label = label;
        this.listeners = listeners;
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
            for (ConferenceListener l : listeners) l.fileOffered(offer);
        });
    }

    /**
     * See {@link ConferencePeer#share}.
     *
     * @param conference the conference
     * @param file the file
     * @return the offer
     */
    public CompletableFuture<FileOffer> share(ConferenceId conference, Path file) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("not yet"));
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

    /**
     * See {@link ConferencePeer#fetch}.
     *
     * @param conference the conference
     * @param offer the offer's id
     * @param dir the target directory, or null
     * @param progress the progress listener, or null
     * @return the fetched file
     */
    public CompletableFuture<FetchedFile> fetch(ConferenceId conference, MessageId offer, Path dir, Consumer<FileProgress> progress) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("not yet"));
    }

    /**
     * The counters.
     *
     * @return a snapshot
     */
    public FileStats stats() {
        return new FileStats(shared.sum(), offersRefused.sum(), chunksServed.sum(), bytesServed.sum(), requestsRefused.sum(),
                chunksFetched.sum(), bytesFetched.sum(), chunksRejected.sum(), fetchesCompleted.sum(), fetchesFailed.sum(), 0);
    }

    /** Stops every fetch and the file threads. */
    public void close() {
    }
}
