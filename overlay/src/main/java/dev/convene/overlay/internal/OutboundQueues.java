package dev.convene.overlay.internal;

import java.util.ArrayDeque;
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
 * Outgoing frames, one bounded FIFO queue per destination, each drained by at most one sender thread at a
 * time, so no caller (the event thread above all) ever waits for the network. A destination that stops
 * reading (withholds flow-control credits) blocks only its own drainer; once its queue holds
 * {@code perDestination} bytes, or all queues {@code total}, further frames for it are dropped and
 * counted. Frames are sealed (given their sequence number) under the queue's lock in the order they are
 * queued, so they leave in sequence order. Thread-safe.
 */
final class OutboundQueues {
    /** Hands one frame to the network; may block. */
    interface Transport {
        void send(Address to, byte[] frame) throws Exception;
    }

    private static final Logger log = LoggerFactory.getLogger(OutboundQueues.class);

    private final class Queue {
        final ReentrantLock lock = new ReentrantLock();
        final ArrayDeque<byte[]> frames = new ArrayDeque<>();
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

    /**
     * Queues a frame of {@code size} bytes for {@code to}; {@code seal} makes it (given the queue's order) under
     * the queue's lock.
     *
     * @return false if it was dropped because a budget is full
     */
    boolean offer(Address to, int size, LongFunction<byte[]> seal) {
        Queue q = queues.computeIfAbsent(to, a -> new Queue());
        boolean start = false;
        q.lock.lock();
        try {
            if (q.bytes + size > perDestination || totalBytes.get() + size > total) {
                dropped.incrementAndGet();
                return false;
            }
            byte[] frame = seal.apply(0L);
            q.frames.add(frame);
            q.bytes += frame.length;
            totalBytes.addAndGet(frame.length);
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
            byte[] frame;
            q.lock.lock();
            try {
                frame = q.frames.peek();
                if (frame == null) {
                    q.draining = false;
                    return;
                }
            } finally {
                q.lock.unlock();
            }
            try {
                transport.send(to, frame);
                sent.incrementAndGet();
            } catch (Exception e) {
                dropped.incrementAndGet();
                log.debug("{}: sending to {} failed: {}", label, to, e.toString());
            }
            q.lock.lock();
            try {
                if (q.frames.peek() == frame) q.frames.poll(); // else cleared by forget() meanwhile
                q.bytes = Math.max(0, q.bytes - frame.length);
                totalBytes.addAndGet(-frame.length);
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
            // The frame being sent stays charged until its send returns; the rest are released now.
            byte[] inFlight = q.draining ? q.frames.peek() : null;
            long released = 0;
            int n = 0;
            for (byte[] f : q.frames) {
                if (f == inFlight) continue;
                released += f.length;
                n++;
            }
            q.frames.clear();
            if (inFlight != null) q.frames.add(inFlight);
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
