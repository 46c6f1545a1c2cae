package dev.convene.conference.internal;

import dev.convene.conference.ConferenceId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Received chat rows written off the engine thread, in batches, and the other rows a chat causes (receipts, proofs,
 * advertisements of peers that come online, the discovery cache's addresses: {@link #saveRecords}, {@link #savePeer},
 * {@link #rememberAddresses}), so the engine thread writes nothing while a conference chats. One persistence thread takes whatever accumulated
 * while the previous batch was being written and writes it in one transaction (group commit); what must wait for a
 * commit ({@link #afterCommit}: an acknowledgement says "stored here") is handed back to the engine thread once the
 * batch holding everything offered before it has committed. So a crash loses only rows nobody was told about.
 *
 * <p>Bounded: at most {@link #MAX_QUEUED_BYTES} of rows wait; an offer beyond is refused (the message is not
 * accepted and comes again through anti-entropy). A batch whose transaction fails is tried again, {@link #ATTEMPTS}
 * times in all (it was rolled back whole; rows are inserted only if absent); one that fails every time stops every
 * later {@code afterCommit} for good (logged) and fails the own posts in it: no acknowledgement ever claims a row
 * that is not there.
 *
 * <p>Offers come from the engine thread only (addresses and advertisements: any thread). {@link #close()} writes what is queued and stops the thread;
 * {@link #crash()} drops it, as a killed process would. Without a persistence thread ({@link #inline}) every write
 * happens at once on the caller's thread and {@code afterCommit} runs at once: for peers without a store and for
 * tests that drive the engine's parts directly.
 */
final class ChatWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConferenceEngine.class);
    /** The most bytes of rows waiting to be written. */
    static final long MAX_QUEUED_BYTES = 16L * 1024 * 1024;
    /**
     * The most rows that nothing waits for (others' receipts and proofs, equivocations, peers seen online, addresses)
     * queued at once: while the store is stalled, more are dropped and counted ({@link #rowsDropped}): the engine
     * thread keeps them in memory, and others send them again. Rows something waits for (own receipts, proofs found
     * here, contacts) are always queued: their producers bound them (one receipt per interval and conference,
     * {@link Receipts#MAX_PROOFS}, a user's contacts).
     */
    static final int MAX_QUEUED_ROWS = 4096;
    /** The most items taken into one transaction. */
    static final int MAX_BATCH = 4096;
    /** What a queued row costs beyond its body (ids, timestamp, signature, bookkeeping). */
    static final int ROW_OVERHEAD = 256;

    private sealed interface Item {
    }

    private record Row(ChatMessage message, String authorName, int bytes) implements Item {
    }

    private record Acked(ConferenceId conference, long sequence) implements Item {
    }

    private record AfterCommit(Runnable onEngine) implements Item {
    }

    private record Stop() implements Item {
    }

    /** This peer's own posts of one batch, signed: never refused; {@code onEngine} once committed, {@code failed} if not. */
    private record Own(List<ConferenceStore.SavedChat> rows, Runnable onEngine, java.util.function.Consumer<RuntimeException> failed)
            implements Item {
    }

    /** This peer's own posts of one batch, to be signed by the persistence thread just before they are written. */
    private record OwnToSign(java.util.function.Supplier<List<ChatMessage>> sign, String authorName,
                             java.util.function.Consumer<List<ChatMessage>> onEngine,
                             java.util.function.Consumer<RuntimeException> failed) implements Item {
    }

    private record Erase(ConferenceId conference, dev.convene.overlay.PeerId author, List<Long> sequences) implements Item {
    }

    /** Metadata rows of one conference (receipts, proofs, equivocations); {@code onEngine} (or null) once committed. */
    private record Records(ConferenceId conference, Map<String, byte[]> rows, Runnable onEngine) implements Item {
    }

    /** A peer's advertisement, kept across restarts; {@code kept} (or null) completed once committed, failed if not. */
    private record Peer(dev.convene.overlay.PeerAdvertisement ad, java.util.concurrent.CompletableFuture<Void> kept) implements Item {
    }

    /** The addresses of a view's members, for the discovery cache. */
    private record Addresses(List<dev.convene.overlay.HostPort> seen) implements Item {
    }

    private final EngineState s;
    private final ConferenceStore store;
    private final boolean inline;
    private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    /** Rows nothing waits for, queued now ({@link #MAX_QUEUED_ROWS}). */
    private final java.util.concurrent.atomic.AtomicInteger queuedRows = new java.util.concurrent.atomic.AtomicInteger();
    private final AtomicLong rowsDropped = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong rows = new AtomicLong();
    private final Thread thread;
    private volatile boolean crashed;
    private volatile boolean failed;
    private volatile boolean closed;
    /** While set, the persistence thread waits before writing its next batch (tests only: a crash before a commit). */
    private volatile CountDownLatch held;

    private ChatWriter(EngineState s, ConferenceStore store, boolean inline, String name) {
        this.s = s;
        this.store = store;
        this.inline = inline;
        if (inline) {
            thread = null;
        } else {
            thread = new Thread(this::run, "convene-" + name + "-store");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** A writer with its own persistence thread, writing to {@code store} (a connection of its own). */
    static ChatWriter threaded(EngineState s, ConferenceStore store) {
        return new ChatWriter(s, store, false, s.label());
    }

    /** A writer that writes at once on the caller's thread. */
    static ChatWriter inline(EngineState s, ConferenceStore store) {
        return new ChatWriter(s, store, true, s.label());
    }

    /** Queues a received message's row; false (nothing queued) if the bytes waiting are at their bound or it is closed. */
    boolean offer(ChatMessage m, String authorName) {
        if (inline) {
            store.saveChat(m, authorName);
            return true;
        }
        if (closed) return false;
        int bytes = m.body().length + ROW_OVERHEAD;
        if (queuedBytes.get() + bytes > MAX_QUEUED_BYTES) return false; // only the engine thread adds: no race
        queuedBytes.addAndGet(bytes);
        queue.add(new Row(m, authorName, bytes));
        return true;
    }

    /**
     * Queues this peer's own posts of one batch (bounded by {@code ChatSigner}: one batch at a time), signed by
     * {@code sign} on the persistence thread just before they are written with what else waits, in one transaction (no
     * hand-off to a signing thread and back first); then {@code onEngine} gets them signed, on the engine thread (they
     * may be sent), or {@code failed} runs if the transaction failed, the writer had failed or closed, or {@code sign}
     * threw (that batch only): they must not be sent. Without a persistence thread, signed and written at once.
     */
    void offerOwnToSign(java.util.function.Supplier<List<ChatMessage>> sign, String authorName,
                        java.util.function.Consumer<List<ChatMessage>> onEngine, java.util.function.Consumer<RuntimeException> failed) {
        if (inline) {
            List<ChatMessage> signed;
            try {
                signed = sign.get();
                store.saveChats(rows(signed, authorName), Map.of());
            } catch (RuntimeException e) {
                failed.accept(e);
                return;
            }
            onEngine.accept(signed);
            return;
        }
        if (closed || this.failed) {
            failed.accept(new IllegalStateException("chat writer " + (closed ? "closed" : "failed")));
            return;
        }
        queue.add(new OwnToSign(sign, authorName, onEngine, failed));
    }

    private static List<ConferenceStore.SavedChat> rows(List<ChatMessage> signed, String authorName) {
        List<ConferenceStore.SavedChat> rows = new ArrayList<>(signed.size());
        for (ChatMessage m : signed) rows.add(new ConferenceStore.SavedChat(m, authorName, false));
        return rows;
    }

    /** Marks this peer's own messages up to {@code sequence} acknowledged, after every row queued before. */
    void markAcknowledged(ConferenceId conference, long sequence) {
        if (inline) {
            store.markAcknowledged(conference, sequence);
        } else if (!closed) {
            queue.add(new Acked(conference, sequence));
        }
    }

    /** Erases messages for good (an author's delete), after every row queued before. */
    void erase(ConferenceId conference, dev.convene.overlay.PeerId author, List<Long> sequences) {
        if (inline) {
            store.eraseChat(conference, author, sequences);
        } else if (!closed) {
            queue.add(new Erase(conference, author, List.copyOf(sequences)));
        }
    }

    /**
     * Writes metadata rows of {@code conference} after everything queued before (a row replaces the stored row of the
     * same key), off the engine thread; then, if {@code onEngine} is not null, runs it on the engine thread once they
     * are committed (never if they were not: what is sent there must be stored first, a receipt for one).
     * Never refused while open.
     */
    void saveRecords(ConferenceId conference, Map<String, byte[]> rows, Runnable onEngine) {
        if (inline) {
            store.saveConference(conference, null, rows);
            if (onEngine != null) onEngine.run();
        } else if (!closed && (onEngine != null || room())) {
            queue.add(new Records(conference, Map.copyOf(rows), onEngine));
        }
    }

    /** Keeps a peer's advertisement across restarts, written after everything queued before. Any thread. */
    void savePeer(dev.convene.overlay.PeerAdvertisement ad) {
        if (inline) {
            store.savePeer(ad);
        } else if (!closed && room()) {
            queue.add(new Peer(ad, null));
        }
    }

    /**
     * As {@link #savePeer(dev.convene.overlay.PeerAdvertisement)}, returning a future completed on the engine thread once
     * the advertisement is committed (a contact the user added: kept across restarts once it completes), failed if the
     * write failed or the writer is closed.
     */
    java.util.concurrent.CompletableFuture<Void> keepPeer(dev.convene.overlay.PeerAdvertisement ad) {
        java.util.concurrent.CompletableFuture<Void> kept = new java.util.concurrent.CompletableFuture<>();
        if (inline) {
            try {
                store.savePeer(ad);
                kept.complete(null);
            } catch (RuntimeException e) {
                kept.completeExceptionally(e);
            }
        } else if (closed) {
            kept.completeExceptionally(new dev.convene.conference.PeerClosedException(s.self));
        } else {
            queue.add(new Peer(ad, kept));
        }
        return kept;
    }

    /** Ranks a view's member addresses first in the discovery cache, written after everything queued before. Any thread. */
    void rememberAddresses(List<dev.convene.overlay.HostPort> seen) {
        if (inline) {
            store.rememberAddresses(seen);
        } else if (!closed && room()) {
            queue.add(new Addresses(List.copyOf(seen)));
        }
    }

    /** Takes a place for a row nothing waits for; false (counted as dropped) if {@link #MAX_QUEUED_ROWS} are queued. */
    private boolean room() {
        if (queuedRows.incrementAndGet() <= MAX_QUEUED_ROWS) return true;
        queuedRows.decrementAndGet();
        rowsDropped.incrementAndGet();
        return false;
    }

    /** Rows nothing waited for that were not queued because {@link #MAX_QUEUED_ROWS} were (a stalled store). */
    long rowsDropped() {
        return rowsDropped.get();
    }

    /** Runs {@code onEngine} on the engine thread once every row queued before it has committed. */
    void afterCommit(Runnable onEngine) {
        if (inline) {
            onEngine.run();
        } else if (!closed) {
            queue.add(new AfterCommit(onEngine));
        }
    }

    private void run() {
        List<Item> batch = new ArrayList<>();
        try {
            while (true) {
                batch.add(queue.take());
                CountDownLatch h = held;
                if (h != null) h.await();
                if (crashed) return;
                queue.drainTo(batch, MAX_BATCH - 1); // what accumulated while the last batch was written
                boolean stop = write(batch);
                batch.clear();
                if (stop) return;
            }
        } catch (InterruptedException e) {
            // crash(): what was not written is lost, as in a killed process
        }
    }

    /** Writes one batch in one transaction and hands its after-commit work to the engine thread; true at Stop. */
    private boolean write(List<Item> batch) {
        List<ConferenceStore.SavedChat> out = new ArrayList<>();
        Map<ConferenceId, Long> acked = new LinkedHashMap<>();
        List<Runnable> after = new ArrayList<>();
        List<Own> own = new ArrayList<>();
        List<Erase> erase = new ArrayList<>();
        List<Runnable> failedToSign = new ArrayList<>();
        List<Item> later = new ArrayList<>();
        long bytes = 0;
        boolean stop = false;
        for (Item item : batch) {
            if (item instanceof Row r) {
                out.add(new ConferenceStore.SavedChat(r.message(), r.authorName(), false));
                bytes += r.bytes();
            } else if (item instanceof Acked a) {
                acked.merge(a.conference(), a.sequence(), Math::max);
            } else if (item instanceof Own o) {
                out.addAll(o.rows());
                own.add(o);
                after.add(o.onEngine());
            } else if (item instanceof OwnToSign o) {
                List<ChatMessage> signed;
                try {
                    signed = o.sign().get();
                } catch (RuntimeException e) {
                    log.warn("{}: signing own posts failed: {}", s.label(), e.toString());
                    failedToSign.add(() -> o.failed().accept(e));
                    continue;
                }
                List<ConferenceStore.SavedChat> rows = rows(signed, o.authorName());
                Runnable onEngine = () -> o.onEngine().accept(signed);
                out.addAll(rows);
                own.add(new Own(rows, onEngine, o.failed()));
                after.add(onEngine);
            } else if (item instanceof AfterCommit a) {
                after.add(a.onEngine());
            } else if (item instanceof Erase e) {
                erase.add(e);
            } else if (item instanceof Records || item instanceof Peer || item instanceof Addresses) {
                later.add(item);
            } else {
                stop = true;
            }
        }
        // Metadata rows go into the chat rows' transaction: one commit for the batch, and what waits for either runs
        // once it is in.
        Map<ConferenceId, Map<String, byte[]>> records = new LinkedHashMap<>();
        List<Runnable> afterRecords = new ArrayList<>();
        for (Item item : later) {
            if (item instanceof Records r) {
                if (r.onEngine() == null) queuedRows.decrementAndGet(); // its place is free again, written or not
                records.computeIfAbsent(r.conference(), k -> new LinkedHashMap<>()).putAll(r.rows()); // a later row of a key replaces an earlier
                if (r.onEngine() != null) afterRecords.add(r.onEngine());
            }
        }
        if (!out.isEmpty() || !acked.isEmpty() || !records.isEmpty()) {
            int attempts = failed ? 1 : ATTEMPTS; // once failed for good, later batches are tried once each, as before
            for (int attempt = 1; ; attempt++) {
                try {
                    store.saveBatch(out, acked, records); // one transaction, rolled back whole if it fails: tried again as it was
                    batches.incrementAndGet();
                    rows.addAndGet(out.size());
                    after.addAll(afterRecords);
                    break;
                } catch (RuntimeException e) {
                    if (attempt < attempts && !crashed && pause(attempt)) {
                        retries.incrementAndGet();
                        log.debug("{}: writing {} chat rows failed (attempt {}), trying again: {}", s.label(), out.size(), attempt, e.toString());
                        continue;
                    }
                    if (!failed) log.warn("{}: writing {} chat rows failed {} times; no acknowledgements from now on: {}", s.label(), out.size(), attempt, e.toString());
                    failed = true;
                    break;
                }
            }
        }
        // After the rows of the same batch: a row queued before its erasure is written, then erased.
        for (Erase e : erase) {
            try {
                store.eraseChat(e.conference(), e.author(), e.sequences());
            } catch (RuntimeException ex) {
                log.warn("{}: erasing {} deleted chat rows failed: {}", s.label(), e.sequences().size(), ex.toString());
            }
        }
        queuedBytes.addAndGet(-bytes);
        if (failed && !own.isEmpty() && !crashed) {
            // Own posts that were not stored are never sent: their futures fail on the engine thread.
            RuntimeException why = new IllegalStateException("storing own posts failed");
            try {
                s.events.execute(() -> own.forEach(o -> o.failed().accept(why)));
            } catch (RejectedExecutionException e) {
                // closing
            }
        }
        if (!failedToSign.isEmpty() && !crashed) {
            try {
                s.events.execute(() -> failedToSign.forEach(Runnable::run));
            } catch (RejectedExecutionException e) {
                // closing
            }
        }
        if (!failed && !crashed && !after.isEmpty() && !stop) {
            try {
                s.events.execute(() -> after.forEach(r -> {
                    try {
                        r.run();
                    } catch (RuntimeException e) {
                        log.warn("{}: work after a commit failed: {}", s.label(), e.toString());
                    }
                }));
            } catch (RejectedExecutionException e) {
                // the engine thread is gone (closing): acknowledgements no longer matter
            }
        }
        writeCaches(later); // after the hand-over: nothing that waits for a commit waits for these
        return stop;
    }

    /**
     * The batch's peers and addresses (caches), after its transaction and the hand-over of what waited for it. A peer
     * or addresses that cannot be written are logged and skipped; a contact's future ({@link #keepPeer}) is told either
     * way, on the engine thread.
     */
    private void writeCaches(List<Item> later) {
        if (later.isEmpty() || crashed) return;
        Map<dev.convene.overlay.PeerId, dev.convene.overlay.PeerAdvertisement> peers = new LinkedHashMap<>();
        Map<dev.convene.overlay.PeerId, List<java.util.concurrent.CompletableFuture<Void>>> kept = new LinkedHashMap<>();
        List<dev.convene.overlay.HostPort> addresses = null;
        for (Item item : later) {
            if (item instanceof Peer p) {
                if (p.kept() == null) queuedRows.decrementAndGet(); // its place is free again, written or not
                peers.remove(p.ad().id()); // re-inserted last: the order of the rows' seen_at follows the order offered
                peers.put(p.ad().id(), p.ad());
                if (p.kept() != null) kept.computeIfAbsent(p.ad().id(), k -> new ArrayList<>()).add(p.kept());
            } else if (item instanceof Addresses a) {
                queuedRows.decrementAndGet();
                addresses = a.seen(); // the latest view ranks first; the members of earlier ones are in it or gone
            }
        }
        List<Runnable> outcomes = new ArrayList<>(); // a contact kept or not: told whatever became of the chat rows
        for (dev.convene.overlay.PeerAdvertisement ad : peers.values()) {
            List<java.util.concurrent.CompletableFuture<Void>> waiting = kept.getOrDefault(ad.id(), List.of());
            try {
                store.savePeer(ad);
                if (!waiting.isEmpty()) outcomes.add(() -> waiting.forEach(f -> f.complete(null)));
            } catch (RuntimeException e) {
                log.warn("{}: cannot keep the advertisement of {}: {}", s.label(), ad.id().shortId(), e.toString());
                if (!waiting.isEmpty()) outcomes.add(() -> waiting.forEach(f -> f.completeExceptionally(e)));
            }
        }
        if (!outcomes.isEmpty()) {
            try {
                s.events.execute(() -> outcomes.forEach(Runnable::run));
            } catch (RejectedExecutionException e) {
                // closing: the peer fails what is still pending
            }
        }
        if (addresses != null) {
            try {
                store.rememberAddresses(addresses);
            } catch (RuntimeException e) {
                log.warn("{}: cannot store the known addresses: {}", s.label(), e.toString());
            }
        }
    }

    /**
     * How often a batch's transaction is tried before the writer fails for good: a transient failure (the disk
     * briefly full, a lock held past the busy timeout) costs a pause, not the batch's own posts.
     */
    static final int ATTEMPTS = 3;
    /** The pause before the second and the third attempt, in milliseconds. */
    static final long[] PAUSES_MILLIS = {20, 200};
    private final AtomicLong retries = new AtomicLong();

    /** Waits before attempt {@code attempt + 1}; false if interrupted (a crash: stop trying). */
    private boolean pause(int attempt) {
        try {
            Thread.sleep(PAUSES_MILLIS[Math.min(attempt - 1, PAUSES_MILLIS.length - 1)]);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Transactions tried again after a failure. */
    long retries() {
        return retries.get();
    }

    /** Writes everything queued, then stops the persistence thread (waits up to 10 s for it). */
    @Override
    public void close() {
        if (inline || closed) return;
        closed = true;
        queue.add(new Stop());
        join(10_000);
    }

    /** Stops at once, as a killed process: rows not yet committed are lost (and were never acknowledged). */
    void crash() {
        if (inline) return;
        crashed = true;
        closed = true;
        queue.clear();
        thread.interrupt();
        join(10_000); // a transaction under way ends (SQLite calls are not interruptible); nothing runs after it
    }

    private void join(long millis) {
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Holds the persistence thread before its next write until {@code release} opens (tests only). */
    void holdForTest(CountDownLatch release) {
        held = release;
    }

    /** Transactions that wrote rows or acknowledgements. */
    long batches() {
        return batches.get();
    }

    /** Rows written. */
    long rows() {
        return rows.get();
    }

    /** Bytes of rows waiting. */
    long queuedBytes() {
        return queuedBytes.get();
    }

    /** Whether a batch failed to write (and acknowledgements stopped). */
    boolean failed() {
        return failed;
    }
}
