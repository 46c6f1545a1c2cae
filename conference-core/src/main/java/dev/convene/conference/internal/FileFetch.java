package dev.convene.conference.internal;

import dev.convene.conference.ConferenceStream;
import dev.convene.conference.ConferenceView;
import dev.convene.conference.FetchedFile;
import dev.convene.conference.FileException;
import dev.convene.conference.FileException.Reason;
import dev.convene.conference.FileOffer;
import dev.convene.conference.FileProgress;
import dev.convene.overlay.PeerId;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fetch of an offer (docs/PROTOCOL.md §2 "Files"). A coordinator (this runnable, on a file thread) keeps up
 * to {@link #MAX_SOURCES} sources: online participants that answered {@code HAVE} with chunks still missing. Each
 * source has up to {@link #LANES} streams (the first asks; the others open once it proved to hold missing chunks),
 * each on a file thread of its own and keeping at most {@link #WINDOW} chunk requests in flight; each lane
 * checks each chunk against its hash and writes it into the {@link Partial}. A source whose chunk or hash list does
 * not match is dropped for this fetch; one that breaks (it went offline, was removed) is dropped and its chunks go
 * to the others; one silent for {@link #SILENCE_NANOS} is closed. The coordinator asks the participants again every
 * second while chunks are missing, and fails the fetch when no source held a missing chunk for the stall time.
 * Shared state is under one lock.
 */
final class FileFetch implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(FileFetch.class);
    static final int MAX_SOURCES = 4;
    static final int WINDOW = 4;
    /**
     * Streams per source once it proved to hold missing chunks. Each stream has its own credit window (64 KiB), which
     * bounds one stream's rate by the round trip: over loopback TCP on a loaded 2-core machine a 32 MiB fetch ran at
     * 4-5 MiB/s with one stream, 20-23 with two, 26-31 with four (chat acknowledged throughout in each case).
     */
    static final int LANES = 3;
    static final long SILENCE_NANOS = TimeUnit.SECONDS.toNanos(30);
    static final long ASK_AGAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(1000);
    static final long USELESS_AGAIN_NANOS = TimeUnit.SECONDS.toNanos(2);
    static final long USELESS_NANOS = TimeUnit.SECONDS.toNanos(3);

    final FileOffer offer;
    final CompletableFuture<FetchedFile> result = new CompletableFuture<>();
    private final FileSharing files;
    private final Path dir;
    private final Consumer<FileProgress> progress;
    private final long stallNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final BitSet inFlight = new BitSet();
    private final Map<PeerId, List<Source>> sources = new HashMap<>();
    private final Set<PeerId> banned = new HashSet<>();
    private final Map<PeerId, Long> uselessAt = new HashMap<>();
    private volatile boolean stopped;
    /** Stopped by a cancel (not by the peer closing): counted as cancelled, the result cancelled. */
    private volatile boolean cancelled;
    /** When a source last held a missing chunk or a chunk was written: the stall is measured from it. */
    private volatile long lastUseful = System.nanoTime();
    /** A source just proved to hold missing chunks: give it its other lanes without waiting for the next round. */
    private volatile boolean askSoon;
    private Partial partial;

    FileFetch(FileSharing files, FileOffer offer, Path dir, Consumer<FileProgress> progress, long stallNanos) {
        this.files = files;
        this.offer = offer;
        this.dir = dir;
        this.progress = progress;
        this.stallNanos = stallNanos;
    }

    @Override
    public void run() {
        try {
            if (!files.store().complete(offer)) {
                partial = files.openPartial(offer);
                try {
                    report();
                    gather();
                } finally {
                    stopSources();
                }
                if (stopped) throw new FileException(offer.conference(), offer.id(), Reason.CLOSED, null);
                if (partial.hashes() == null || !partial.hashWhole().equals(offer.sha256())) {
                    files.closePartial(partial);
                    partial.discard();
                    throw new FileException(offer.conference(), offer.id(), Reason.CORRUPT, null);
                }
                files.promote(partial);
            } else {
                report(); // held whole already: nothing to fetch
            }
            FetchedFile f = deliver();
            files.fetchesCompleted.increment();
            files.finished(this); // before the result: who sees it complete sees the fetch gone from the stats
            result.complete(f);
        } catch (FileException e) {
            fail(e);
        } catch (IOException | RuntimeException e) {
            fail(new FileException(offer.conference(), offer.id(), stopped ? Reason.CLOSED : Reason.IO, e));
        } finally {
            if (partial != null && !result.isDone()) files.closePartial(partial);
            files.finished(this);
        }
    }

    private void fail(FileException e) {
        if (partial != null) files.closePartial(partial);
        files.finished(this);
        if (cancelled) {
            files.fetchesCancelled.increment();
            result.cancel(false);
        } else {
            files.fetchesFailed.increment();
            result.completeExceptionally(e);
        }
    }

    /** Until every chunk is verified: keeps sources going. */
    private void gather() throws IOException, FileException {
        lastUseful = System.nanoTime();
        long lastAsked = 0;
        while (!partial.whole()) {
            if (stopped) return;
            long now = System.nanoTime();
            if (now - lastAsked >= ASK_AGAIN_NANOS || askSoon) {
                askSoon = false;
                lastAsked = now;
                ask();
            }
            lock.lock();
            try {
                for (List<Source> ls : sources.values()) {
                    for (Source s : ls) if (now - s.lastHeard > SILENCE_NANOS) s.close();
                }
                if (now - lastUseful > stallNanos) throw new FileException(offer.conference(), offer.id(), Reason.NO_SOURCE, null);
                changed.await(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = true;
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Starts sources among the online participants not used yet (the sharer first). */
    private void ask() {
        ConferenceView view = files.peer.conference(offer.conference()).orElse(null);
        if (view == null) return;
        List<PeerId> candidates = new ArrayList<>();
        if (view.participants().contains(offer.sharer())) candidates.add(offer.sharer());
        for (PeerId p : view.participants()) if (!p.equals(offer.sharer())) candidates.add(p);
        long now = System.nanoTime();
        for (PeerId p : candidates) {
            if (p.equals(files.peer.self()) || !files.peer.directory().isOnline(p)) continue;
            Source s;
            lock.lock();
            try {
                List<Source> ls = sources.get(p);
                if (banned.contains(p)) continue;
                if (ls == null) {
                    Long useless = uselessAt.get(p);
                    if (sources.size() >= MAX_SOURCES || (useless != null && now - useless < USELESS_AGAIN_NANOS)) continue;
                    ls = new ArrayList<>();
                    sources.put(p, ls);
                } else if (ls.size() >= LANES || !ls.stream().allMatch(x -> x.holds)) {
                    continue; // another lane only to a source that holds missing chunks
                }
                s = new Source(p);
                ls.add(s);
            } finally {
                lock.unlock();
            }
            try {
                files.execute(s);
            } catch (RuntimeException e) {
                s.ended(false);
            }
        }
    }

    private void stopSources() {
        List<Source> all;
        lock.lock();
        try {
            all = sources.values().stream().flatMap(List::stream).toList();
        } finally {
            lock.unlock();
        }
        all.forEach(Source::close);
    }

    /** Stops it as {@link #stop} does, counted as cancelled; its verified chunks stay for a later fetch. */
    void cancel() {
        cancelled = true;
        stop();
    }

    void stop() {
        stopped = true;
        stopSources();
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    int sourceCount() {
        lock.lock();
        try {
            return sources.size();
        } finally {
            lock.unlock();
        }
    }

    private void report() {
        if (progress == null) return;
        try {
            progress.accept(new FileProgress(offer, partial == null ? offer.size() : partial.bytesDone(), offer.size(), sourceCount()));
        } catch (RuntimeException e) {
            log.warn("{}: file progress listener failed", files.label, e);
        }
    }

    /** Claims up to {@code max} chunks {@code has} holds that are neither done nor in flight. */
    private List<Integer> claim(BitSet has, int max) {
        List<Integer> out = new ArrayList<>();
        lock.lock();
        try {
            // Read under the lock: a lane writes a chunk before it releases it under this lock, so a chunk released
            // since is seen done here (read before the lock, a lane could claim a chunk another had just written and
            // fetch it twice: chunksFetched 13 of 12 once in CI).
            BitSet done = partial.done();
            for (int i = has.nextSetBit(0); i >= 0 && i < offer.chunkCount() && out.size() < max; i = has.nextSetBit(i + 1)) {
                if (!done.get(i) && !inFlight.get(i)) {
                    inFlight.set(i);
                    out.add(i);
                }
            }
        } finally {
            lock.unlock();
        }
        return out;
    }

    private void release(Iterable<Integer> chunks) {
        lock.lock();
        try {
            for (int i : chunks) inFlight.clear(i);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Writes the verified whole into the target directory under a free, safe name; never outside it. */
    private FetchedFile deliver() throws IOException {
        Path target = (dir != null ? dir : files.home.resolve("downloads").resolve(offer.conference().value())).toAbsolutePath().normalize();
        Files.createDirectories(target);
        String name = FileNames.check(offer.name());
        Path content = files.store().content(offer.sha256());
        for (int n = 0; n < 1000; n++) {
            String candidate = n == 0 ? name : FileNames.numbered(name, n);
            Path out = target.resolve(candidate).normalize();
            if (!target.equals(out.getParent())) throw new IOException("name leaves the directory"); // FileNames makes this impossible
            if (Files.exists(out, java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
            Path tmp = Files.createTempFile(target, ".convene-", ".tmp");
            try {
                Files.copy(content, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, out); // fails if the name was taken meanwhile
                return new FetchedFile(offer, out, offer.sha256(), offer.size());
            } catch (FileAlreadyExistsException e) {
                // taken meanwhile: try the next name
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        throw new IOException("no free name in the directory");
    }

    /**
     * Test seam: one lane of {@code peer} pumping chunk requests and answers over the given streams into
     * {@code partial} (made this fetch's partial), as a source does once {@code has} told it what the peer holds.
     *
     * @return the number of chunks written, or -1 if the lane must stop
     */
    int pumpLane(Partial partial, PeerId peer, InputStream in, OutputStream out, BitSet has) throws IOException {
        this.partial = partial;
        return new Source(peer).pump(in, out, has);
    }

    /** Test seam: the chunks some lane claimed and has not released yet. */
    BitSet inFlight() {
        lock.lock();
        try {
            return (BitSet) inFlight.clone();
        } finally {
            lock.unlock();
        }
    }

    /** One participant chunks come from, with its stream; runs on a file thread. */
    private final class Source implements Runnable {
        final PeerId peer;
        volatile long lastHeard = System.nanoTime();
        /** Its last {@code HAVE} named a missing chunk. */
        volatile boolean holds;
        private volatile ConferenceStream stream;
        private volatile boolean closed;

        Source(PeerId peer) {
            this.peer = peer;
        }

        @Override
        public void run() {
            boolean useful = false;
            try {
                stream = files.peer.openStream(offer.conference(), peer, FileServer.PROTOCOL).get(15, TimeUnit.SECONDS);
                if (closed) stream.close();
                InputStream in = stream.input();
                OutputStream out = stream.output();
                long lastGot = System.nanoTime();
                while (!closed && !stopped && !partial.whole()) {
                    byte[] bitmap = ask(in, out, FileServer.HAVE, 0, (offer.chunkCount() + 7) / 8);
                    if (bitmap == null) return; // holds nothing of it
                    lastHeard = System.nanoTime();
                    if (partial.hashes() == null) {
                        byte[] h = ask(in, out, FileServer.HASHES, 0, 32 * offer.chunkCount());
                        if (h == null) return;
                        if (!partial.setHashes(h)) {
                            files.chunksRejected.increment();
                            ban();
                            return;
                        }
                    }
                    BitSet has = BitSet.valueOf(bitmap);
                    BitSet missing = partial.done();
                    missing.flip(0, offer.chunkCount());
                    boolean held = holds;
                    holds = has.intersects(missing);
                    if (holds) lastUseful = System.nanoTime();
                    if (holds && !held) askSoon = true;
                    int got = pump(in, out, has);
                    if (got < 0) return;
                    if (got > 0) {
                        useful = true;
                        lastGot = System.nanoTime();
                    } else if (System.nanoTime() - lastGot > USELESS_NANOS) {
                        return;
                    } else {
                        Thread.sleep(250);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                log.debug("{}: file source {} ended: {}", files.label, peer.shortId(), e.toString());
            } finally {
                close();
                ended(useful);
            }
        }

        /** Fetches what it can with a window of requests; the number of chunks written, or -1 if it must stop. */
        private int pump(InputStream in, OutputStream out, BitSet has) throws IOException {
            ArrayDeque<Integer> pending = new ArrayDeque<>();
            int got = 0;
            try {
                while (true) {
                    if (!closed && !stopped) {
                        // Pending before the requests go out: a write that fails (the holder left meanwhile) must
                        // release every chunk claimed, or one claimed but not yet written stays in flight for ever
                        // and no other lane fetches it (FileTransferIT once: 199 of 200 chunks, the rest never asked).
                        List<Integer> claimed = claim(has, WINDOW - pending.size());
                        pending.addAll(claimed);
                        for (int i : claimed) out.write(FileServer.request(FileServer.CHUNK, offer.id(), i));
                    }
                    if (pending.isEmpty()) return got;
                    int i = pending.peek();
                    byte[] data = ask(in, null, FileServer.CHUNK, i, offer.chunkLength(i));
                    if (data == null) return -1; // it no longer holds it (or never did)
                    lastHeard = System.nanoTime();
                    if (!Arrays.equals(FileStore.sha256(data), partial.hash(i))) {
                        files.chunksRejected.increment();
                        log.debug("{}: chunk {} from {} does not match its hash", files.label, i, peer.shortId());
                        ban();
                        return -1;
                    }
                    partial.write(i, data);
                    lastUseful = System.nanoTime();
                    pending.poll();
                    release(List.of(i));
                    files.chunksFetched.increment();
                    files.bytesFetched.add(data.length);
                    got++;
                    report();
                }
            } finally {
                release(pending);
            }
        }

        /**
         * Sends a request (unless {@code out} is null: it was sent already) and reads its answer, which must have
         * exactly {@code length} bytes; null if the holder answered {@code NOT_HELD}.
         */
        private byte[] ask(InputStream in, OutputStream out, byte op, int index, int length) throws IOException {
            if (out != null) out.write(FileServer.request(op, offer.id(), index));
            byte[] head = in.readNBytes(5);
            if (head.length < 5) throw new IOException("stream ended");
            ByteBuffer b = ByteBuffer.wrap(head);
            byte status = b.get();
            int n = b.getInt();
            if (status == FileServer.NOT_HELD && n == 0) return null;
            if (status != FileServer.OK || n != length) throw new IOException("bad answer: status " + status + ", " + n + " bytes");
            byte[] data = in.readNBytes(n);
            if (data.length < n) throw new IOException("stream ended");
            return data;
        }

        /** Drops this peer for the rest of the fetch: its other lanes close too. */
        private void ban() {
            List<Source> lanes;
            lock.lock();
            try {
                banned.add(peer);
                lanes = List.copyOf(sources.getOrDefault(peer, List.of()));
            } finally {
                lock.unlock();
            }
            lanes.forEach(Source::close);
        }

        void close() {
            closed = true;
            ConferenceStream s = stream;
            if (s != null) s.close();
        }

        void ended(boolean useful) {
            lock.lock();
            try {
                List<Source> ls = sources.get(peer);
                if (ls != null) {
                    ls.remove(this);
                    if (ls.isEmpty()) {
                        sources.remove(peer);
                        if (!useful) uselessAt.put(peer, System.nanoTime());
                    }
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            report();
        }
    }
}
