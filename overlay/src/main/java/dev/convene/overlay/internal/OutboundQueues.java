package dev.convene.overlay.internal;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;
import org.jgroups.Address;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outgoing frames, one bounded queue per destination, each drained by at most one sender thread at a
 * time, so no caller (the event thread above all) ever waits for the network. A destination that stops
 * reading (withholds flow-control credits) blocks only its own drainer; once its queue holds
 * {@code perDestination} bytes, or all queues {@code total}, further frames for it are dropped and
 * counted. Each destination's queue has two lanes, each FIFO: bulk frames (stream data,
 * {@link dev.convene.overlay.wire.BulkMessage}) leave only when no other frame waits, so a chat frame waits
 * for at most the one bulk frame being sent, not for a file's backlog. Frames are sealed (given their
 * sequence number) by the drainer under the queue's lock just before they are sent, so they leave in
 * sequence order whatever their lane. Thread-safe.
 */
final class OutboundQueues {
    /** Hands one frame to the network; may block. */
    interface Transport {
        void send(Address to, byte[] frame) throws Exception;
    }

    private static final Logger log = LoggerFactory.getLogger(OutboundQueues.class);

    /** A frame waiting, sealed when it leaves; charged {@code size} bytes. */
    private record Waiting(int size, LongFunction<byte[]> seal) {
    }

    private final class Queue {
        final ReentrantLock lock = new ReentrantLock();
        final ArrayDeque<Waiting> frames = new ArrayDeque<>();
        final ArrayDeque<Waiting> bulk = new ArrayDeque<>();
        long bytes;
        boolean draining;
    }

    private final String label;
    private final Transport transport;
    private final long perDestination;
    private final long total;
    private final Map<Address, Queue> queues = new ConcurrentHashMap<>();
    private final AtomicLong totalBytes = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final ExecutorService drainers;

    OutboundQueues(String name, String label, Transport transport, long perDestination, long total) {
        this.label = label;
        this.transport = transport;
        this.perDestination = perDestination;
        this.total = total;
        AtomicInteger n = new AtomicInteger();
        this.drainers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "convene-" + name + "-send-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** {@link #offer(Address, int, boolean, LongFunction)} of a frame that is not bulk. */
    boolean offer(Address to, int size, LongFunction<byte[]> seal) {
        return offer(to, size, false, seal);
    }

    /**
     * Queues a frame of about {@code size} bytes for {@code to}, in its bulk lane or the other; {@code seal} makes it
     * under the queue's lock when it leaves (on the drainer thread), in the order frames leave.
     *
     * @return false if it was dropped because a budget is full
     */
    boolean offer(Address to, int size, boolean isBulk, LongFunction<byte[]> seal) {
        Queue q = queues.computeIfAbsent(to, a -> new Queue());
        boolean start = false;
        q.lock.lock();
        try {
            if (q.bytes + size > perDestination || totalBytes.get() + size > total) {
                dropped.incrementAndGet();
                return false;
            }
            (isBulk ? q.bulk : q.frames).add(new Waiting(size, seal));
            q.bytes += size;
            totalBytes.addAndGet(size);
            if (!q.draining) {
                q.draining = true;
                start = true;
            }
        } finally {
            q.lock.unlock();
        }
        if (start) {
            try {
                drainers.execute(() -> drain(to, q));
            } catch (RejectedExecutionException e) {
                log.debug("{}: frame for {} after close not sent", label, to);
            }
        }
        return true;
    }

    private void drain(Address to, Queue q) {
        while (true) {
            Waiting next;
            byte[] frame = null;
            q.lock.lock();
            try {
                next = q.frames.poll();
                if (next == null) next = q.bulk.poll();
                if (next == null) {
                    q.draining = false;
                    return;
                }
                try {
                    frame = next.seal().apply(0L);
                } catch (RuntimeException e) {
                    dropped.incrementAndGet();
                    log.debug("{}: sealing a frame for {} failed: {}", label, to, e.toString());
                }
            } finally {
                q.lock.unlock();
            }
            if (frame != null) {
                try {
                    transport.send(to, frame);
                    sent.incrementAndGet();
                } catch (Exception e) {
                    dropped.incrementAndGet();
                    log.debug("{}: sending to {} failed: {}", label, to, e.toString());
                }
            }
            // Charged until its send returned (also if forget() dropped the queue meanwhile).
            q.lock.lock();
            try {
                q.bytes = Math.max(0, q.bytes - next.size());
                totalBytes.addAndGet(-next.size());
            } finally {
                q.lock.unlock();
            }
        }
    }

    /** Drops what is queued for a destination that left the view, and its queue. */
    void forget(Address to) {
        Queue q = queues.remove(to);
        if (q == null) return;
        q.lock.lock();
        try {
            // The frame being sent (taken off the lanes) stays charged until its send returns; the rest are released now.
            long released = 0;
            int n = 0;
            for (ArrayDeque<Waiting> lane : List.of(q.frames, q.bulk)) {
                for (Waiting w : lane) {
                    released += w.size();
                    n++;
                }
                lane.clear();
            }
            q.bytes -= released;
            totalBytes.addAndGet(-released);
            dropped.addAndGet(n);
        } finally {
            q.lock.unlock();
        }
    }

    long sent() {
        return sent.get();
    }

    long dropped() {
        return dropped.get();
    }

    long queuedBytes() {
        return totalBytes.get();
    }

    int destinations() {
        return queues.size();
    }

    /** Sends what is queued for up to {@code millis}, then stops the drainers. */
    void close(long millis) {
        drainers.shutdown();
        try {
            if (!drainers.awaitTermination(millis, TimeUnit.MILLISECONDS)) drainers.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drainers.shutdownNow();
        }
    }

    void shutdownNow() {
        drainers.shutdownNow();
    }
}
