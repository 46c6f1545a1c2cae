package dev.convene.conference.internal;

import dev.convene.conference.ConferenceId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
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
 * <p>Rows nothing waits for (others' receipts and proofs, equivocations, peers seen online, addresses) are not queued:
 * they wait by key in {@link PendingRows} (a newer value of a key replaces the older) and go with the next batch
 * written anyway, or, when nothing else is written for {@link #TICK_MILLIS}, on their own (at 100 participants an author
 * binds about 99 receipts a second: no queue item, wake-up or transaction each; the thread, idle a whole tick, waits
 * for an item and is woken once by the first row that becomes pending). A pending row is written in the transaction
 * of, or after, every item queued before it was offered (a bound receipt after the rows of the messages it numbers);
 * a pending metadata row commits before the hand-over of every item queued after it was offered; pending peers and
 * addresses are written after that hand-over.
 *
 * <p>Bounded: at most {@link #MAX_QUEUED_BYTES} of rows wait; an offer beyond is refused (the message is not
 * accepted and comes again through anti-entropy). A batch whose transaction fails is tried again, {@link #ATTEMPTS}
 * times in all (it was rolled back whole; rows are inserted only if absent); one that fails every time stops every
 * later {@code afterCommit} for good (logged) and fails the own posts in it: no acknowledgement ever claims a row
 * that is not there.
 *
 * <p>Offers come from the engine thread only (addresses and advertisements: any thread). {@link #close()} writes what is queued and pending and stops the thread;
 * {@link #crash()} drops both, as a killed process would. Without a persistence thread ({@link #inline}) every write
 * happens at once on the caller's thread and {@code afterCommit} runs at once: for peers without a store and for
 * tests that drive the engine's parts directly.
 */
final class ChatWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConferenceEngine.class);
    /** The most bytes of rows waiting to be written. */
    static final long MAX_QUEUED_BYTES = 16L * 1024 * 1024;
    /**
     * The most distinct keys of rows that nothing waits for (others' receipts and proofs, equivocations, peers seen
     * online; the addresses are one key) pending at once: while the store is stalled, a new key beyond is dropped and
     * counted ({@link #rowsDropped}): the engine thread keeps them in memory, and others send them again. A key already
     * pending is always replaced, never dropped. Rows something waits for (own receipts, proofs found here, contacts)
     * are always queued: their producers bound them (one receipt per interval and conference,
     * {@link Receipts#MAX_PROOFS}, a user's contacts).
     */
    static final int MAX_QUEUED_ROWS = 4096;
    /** The longest a pending row waits for a batch to go with while nothing else is written: then it is written alone. */
    static final long TICK_MILLIS = 100;
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

    /** A row became pending while the persistence thread waited for an item with nothing pending. */
    private record Wake() implements Item {
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

    /** Metadata rows of one conference (own receipts, proofs found here); {@code onEngine} once committed. */
    private record Records(ConferenceId conference, Map<String, byte[]> rows, Runnable onEngine) implements Item {
    }

    /** A contact's advertisement, kept across restarts; {@code kept} completed once committed, failed if not. */
    private record Peer(dev.convene.overlay.PeerAdvertisement ad, java.util.concurrent.CompletableFuture<Void> kept) implements Item {
    }

    private final EngineState s;
    private final ConferenceStore store;
    private final boolean inline;
    private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    /**
     * Items ever queued ({@link #enqueue}): the n-th item queued is the n-th taken, so a row that became pending when
     * {@code enqueued} was n waits until n items are taken (everything queued before it), and goes no later than the
     * batch of the next item queued after it.
     */
    private final AtomicLong enqueued = new AtomicLong();
    /** Makes counting and queuing one step for concurrent offers ({@link #enqueue}); taken after {@link #pendingLock}, never before. */
    private final ReentrantLock enqueueLock = new ReentrantLock();
    /** Items taken from the queue (the persistence thread only). */
    private long taken;
    private final ReentrantLock pendingLock = new ReentrantLock();
    /** Rows nothing waits for, by key ({@link #MAX_QUEUED_ROWS}); guarded by {@link #pendingLock}. */
    private final PendingRows pending = new PendingRows(MAX_QUEUED_ROWS);
    /** Whether the persistence thread waits for an item with nothing pending; guarded by {@link #pendingLock}. */
    private boolean parked;
    private final AtomicLong queuedBytes = new AtomicLong();
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

    /** Queues {@code item} and counts it ({@link #enqueued}), in one step: the count is its place in the queue. */
    private void enqueue(Item item) {
        enqueueLock.lock();
        try {
            queue.add(item);
            enqueued.incrementAndGet();
        } finally {
            enqueueLock.unlock();
        }
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
        enqueue(new Row(m, authorName, bytes));
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
        enqueue(new OwnToSign(sign, authorName, onEngine, failed));
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
            enqueue(new Acked(conference, sequence));
        }
    }

    /** Erases messages for good (an author's delete), after every row queued before. */
    void erase(ConferenceId conference, dev.convene.overlay.PeerId author, List<Long> sequences) {
        if (inline) {
            store.eraseChat(conference, author, sequences);
        } else if (!closed) {
            enqueue(new Erase(conference, author, List.copyOf(sequences)));
        }
    }

    /**
     * Writes metadata rows of {@code conference} after everything queued before (a row replaces the stored row of the
     * same key), off the engine thread; then, if {@code onEngine} is not null, runs it on the engine thread once they
     * are committed (never if they were not: what is sent there must be stored first, a receipt for one): queued,
     * never refused while open. Without {@code onEngine} they are pending ({@link PendingRows}: no queue item; a key
     * already pending is replaced, a new one beyond {@link #MAX_QUEUED_ROWS} dropped).
     */
    void saveRecords(ConferenceId conference, Map<String, byte[]> rows, Runnable onEngine) {
        if (inline) {
            store.saveConference(conference, null, rows);
            if (onEngine != null) onEngine.run();
            return;
        }
        pendingLock.lock();
        try {
            if (closed) return;
            if (onEngine != null) {
                // An older pending value of a key written later would overwrite this one: forgotten. One offered after
                // this is counted after it, so written in its transaction (last) or a later one.
                for (String key : rows.keySet()) pending.supersedeRecord(conference, key);
                enqueue(new Records(conference, Map.copyOf(rows), onEngine));
                return;
            }
            long after = enqueued.get();
            for (Map.Entry<String, byte[]> e : rows.entrySet()) {
                if (!pending.record(conference, e.getKey(), e.getValue(), after)) rowsDropped.incrementAndGet();
            }
            wakeIfParked();
        } finally {
            pendingLock.unlock();
        }
    }

    /** Keeps a peer's advertisement across restarts, written after everything queued before; pending, as {@link #saveRecords} without {@code onEngine}. Any thread. */
    void savePeer(dev.convene.overlay.PeerAdvertisement ad) {
        if (inline) {
            store.savePeer(ad);
            return;
        }
        pendingLock.lock();
        try {
            if (closed) return;
            if (!pending.peer(ad, enqueued.get())) rowsDropped.incrementAndGet();
            wakeIfParked();
        } finally {
            pendingLock.unlock();
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
        } else {
            pendingLock.lock();
            try {
                if (closed) {
                    kept.completeExceptionally(new dev.convene.conference.PeerClosedException(s.self));
                } else {
                    pending.supersedePeer(ad.id()); // an older pending advertisement written later would overwrite this one
                    enqueue(new Peer(ad, kept));
                }
            } finally {
                pendingLock.unlock();
            }
        }
        return kept;
    }

    /**
     * Ranks a view's member addresses first in the discovery cache, written after everything queued before; pending
     * (one key), merged with the lists pending before as remembering each in turn would rank them
     * ({@link PendingRows#merge}). Any thread.
     */
    void rememberAddresses(List<dev.convene.overlay.HostPort> seen) {
        if (inline) {
            store.rememberAddresses(seen);
            return;
        }
        pendingLock.lock();
        try {
            if (closed) return;
            if (!pending.addresses(seen, enqueued.get())) rowsDropped.incrementAndGet();
            wakeIfParked();
        } finally {
            pendingLock.unlock();
        }
    }

    /** Queues a {@link Wake} if the persistence thread waits for an item and a row is pending now (pendingLock held). */
    private void wakeIfParked() {
        if (parked && !pending.isEmpty()) {
            parked = false;
            enqueue(new Wake());
        }
    }

    /** Rows nothing waited for that were dropped because {@link #MAX_QUEUED_ROWS} other keys were pending (a stalled store). */
    long rowsDropped() {
        return rowsDropped.get();
    }

    /** Distinct keys of rows nothing waits for, pending now. */
    int pendingRows() {
        pendingLock.lock();
        try {
            return pending.size();
        } finally {
            pendingLock.unlock();
        }
    }

    /** Whether the persistence thread waits for an item with nothing pending (tests only). */
    boolean parkedForTest() {
        pendingLock.lock();
        try {
            return parked;
        } finally {
            pendingLock.unlock();
        }
    }

    /** Runs {@code onEngine} on the engine thread once every row queued before it has committed. */
    void afterCommit(Runnable onEngine) {
        if (inline) {
            onEngine.run();
        } else if (!closed) {
            enqueue(new AfterCommit(onEngine));
        }
    }

    private void run() {
        List<Item> batch = new ArrayList<>();
        try {
            while (true) {
                Item first = next();
                CountDownLatch h = held;
                if (h != null) h.await();
                if (crashed) return;
                if (first != null) batch.add(first);
                taken += queue.drainTo(batch, MAX_BATCH - batch.size()); // what accumulated while the last batch was written
                PendingRows.Taken rows;
                pendingLock.lock();
                try {
                    rows = pending.take(taken); // after the drain: what was queued before them is in this batch or an earlier one
                } finally {
                    pendingLock.unlock();
                }
                batch.removeIf(i -> i instanceof Wake);
                boolean stop = write(batch, rows);
                batch.clear();
                if (stop) return;
            }
        } catch (InterruptedException e) {
            // crash(): what was not written is lost, as in a killed process
        }
    }

    /**
     * The next item, or null when the pending rows are due: waits for an item at most {@link #TICK_MILLIS} (from now,
     * or from the {@link Wake} that told of a row pending), and after such a wait with nothing pending, until an item
     * comes ({@link #park}): no wake-up while idle. Counts what it takes.
     */
    private Item next() throws InterruptedException {
        long tick = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
        long due = System.nanoTime() + tick;
        while (true) {
            Item i = queue.poll(Math.max(0, due - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (i == null) {
                if (pendingRows() > 0) return null;
                i = park();
                if (i == null || i instanceof Wake) {
                    due = System.nanoTime() + tick; // a row became pending: it waits a tick for a batch to go with
                    continue;
                }
                return i;
            }
            taken++;
            if (!(i instanceof Wake)) return i;
            // a Wake queued just as another item woke this thread: the tick under way stands
        }
    }

    /** Waits for an item, unless a row is pending (then null): a row that becomes pending meanwhile queues a {@link Wake}. */
    private Item park() throws InterruptedException {
        pendingLock.lock();
        try {
            if (!pending.isEmpty()) return null;
            parked = true;
        } finally {
            pendingLock.unlock();
        }
        Item i;
        try {
            i = queue.take();
        } finally {
            pendingLock.lock();
            try {
                parked = false;
            } finally {
                pendingLock.unlock();
            }
        }
        taken++;
        return i;
    }

    /**
     * Writes one batch in one transaction with the pending {@code rows} it may take, and hands its after-commit work
     * to the engine thread; true at Stop.
     */
    private boolean write(List<Item> batch, PendingRows.Taken pendingRows) {
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
            } else if (item instanceof Records || item instanceof Peer) {
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
                records.computeIfAbsent(r.conference(), k -> new LinkedHashMap<>()).putAll(r.rows()); // a later row of a key replaces an earlier
                afterRecords.add(r.onEngine());
            }
        }
        // The pending rows last: one of a key queued here was offered before them (an older pending one was forgotten).
        pendingRows.records().forEach((conference, rows) -> records.computeIfAbsent(conference, k -> new LinkedHashMap<>()).putAll(rows));
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
        writeCaches(later, pendingRows); // after the hand-over: nothing that waits for a commit waits for these
        return stop;
    }

    /**
     * The batch's peers and addresses (caches), after its transaction and the hand-over of what waited for it: the
     * contacts queued, then the pending advertisements and addresses. A peer or addresses that cannot be written are
     * logged and skipped; a contact's future ({@link #keepPeer}) is told either way, on the engine thread.
     */
    private void writeCaches(List<Item> later, PendingRows.Taken pendingRows) {
        if (crashed || (later.isEmpty() && pendingRows.peers().isEmpty() && pendingRows.addresses() == null)) return;
        Map<dev.convene.overlay.PeerId, dev.convene.overlay.PeerAdvertisement> peers = new LinkedHashMap<>();
        Map<dev.convene.overlay.PeerId, List<java.util.concurrent.CompletableFuture<Void>>> kept = new LinkedHashMap<>();
        for (Item item : later) {
            if (item instanceof Peer p) {
                peers.remove(p.ad().id()); // re-inserted last: the order of the rows' seen_at follows the order offered
                peers.put(p.ad().id(), p.ad());
                kept.computeIfAbsent(p.ad().id(), k -> new ArrayList<>()).add(p.kept());
            }
        }
        for (dev.convene.overlay.PeerAdvertisement ad : pendingRows.peers()) { // offered after the contacts of the same id queued here
            peers.remove(ad.id());
            peers.put(ad.id(), ad);
        }
        List<dev.convene.overlay.HostPort> addresses = pendingRows.addresses();
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

    /** Writes everything queued and pending, then stops the persistence thread (waits up to 10 s for it). */
    @Override
    public void close() {
        if (inline || closed) return;
        pendingLock.lock();
        try {
            closed = true; // a row pending from now on is refused; every one before is counted before Stop
        } finally {
            pendingLock.unlock();
        }
        enqueue(new Stop());
        join(10_000);
    }

    /** Stops at once, as a killed process: rows not yet committed, queued or pending, are lost (and were never acknowledged). */
    void crash() {
        if (inline) return;
        crashed = true;
        closed = true;
        queue.clear();
        pendingLock.lock();
        try {
            pending.clear();
        } finally {
            pendingLock.unlock();
        }
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
