package dev.convene.overlay.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
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
import java.util.function.Supplier;
import org.jgroups.Address;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outgoing frames, one bounded FIFO queue per destination, each drained by at most one sender thread at a
 * time, so no caller (the event thread above all) ever waits for the network. A destination that stops
 * reading (withholds flow-control credits) blocks only its own drainer; once its queue holds
 * {@code perDestination} bytes, or all queues {@code total}, further frames for it are dropped and
 * counted. Frames are sealed (given their sequence number) under the queue's lock in the order they are
 * queued, so they leave in sequence order. A frame for many destinations ({@link #offerAll}, a multicast) wakes
 * one drainer for all of them whose queues were idle, instead of one thread each: it sends round-robin, and hands
 * a destination whose send could block ({@link Transport#mayBlock}: short of flow-control credits) to a drainer of
 * its own, so that destination still blocks no other.
 *
 * <p>A single small frame ({@link #INLINE_MAX_BYTES} at most) for an idle queue whose send cannot block
 * ({@link Transport#mayBlock} says no: flow control has the credits, and the transport only queues it for its own
 * sender thread) is handed to the transport on the caller's thread, instead of waking a drainer thread to do that
 * one hand-over: the event thread's answers (a {@code Hello}, a {@code Confirm}) and single frames from the layers
 * above cross one thread fewer. Frames queued meanwhile by other threads are left to a drainer. Thread-safe.
 */
final class OutboundQueues {
    /** Hands one frame to the network; may block. */
    interface Transport {
        void send(Address to, byte[] frame) throws Exception;

        /**
         * Whether sending {@code bytes} to {@code to} now could block (e.g. flow control short of credits for it).
         * One drainer serves several destinations only while this says no; a destination it says yes for gets a
         * drainer of its own. The default (yes) gives every destination its own.
         */
        default boolean mayBlock(Address to, int bytes) {
            return true;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(OutboundQueues.class);
    /**
     * The largest frame {@link #offer} may hand to the transport on the caller's thread: one JGroups bundle
     * ({@link Stacks#BUNDLE_BYTES}), so it is neither fragmented nor more than a small, bounded piece of work.
     */
    static final int INLINE_MAX_BYTES = Stacks.BUNDLE_BYTES;

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
    private final AtomicLong drainTasks = new AtomicLong();
    private final AtomicLong inlineSends = new AtomicLong();

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
        byte[] frame;
        q.lock.lock();
        try {
            if (q.bytes + size > perDestination || totalBytes.get() + size > total) {
                dropped.incrementAndGet();
                return false;
            }
            frame = seal.apply(0L);
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
            // The queue was idle, so this frame is its only one and this thread now owns it (draining is set).
            if (frame.length <= INLINE_MAX_BYTES && !transport.mayBlock(to, frame.length)) sendInline(to, q, frame);
            else startDrainer(to, q);
        }
        return true;
    }

    /** Sends the only frame of a queue this thread owns, then leaves what other threads queued meanwhile to a drainer. */
    private void sendInline(Address to, Queue q, byte[] frame) {
        sendOne(to, q, frame);
        inlineSends.incrementAndGet();
        if (nextOrRelease(q) != null) startDrainer(to, q);
    }

    /**
     * Queues one frame of {@code size} bytes for each of {@code to} ({@code seal.get(i)} makes the one for
     * {@code to.get(i)} under that queue's lock), then starts one drainer for all of them whose queues were idle.
     * Frames that would together take more than half the total budget are queued one at a time instead, each
     * destination's drainer started at once (as {@link #offer}), so none is dropped for the others' bytes.
     *
     * @return for each destination, false if its frame was dropped because a budget is full
     */
    boolean[] offerAll(List<Address> to, int size, List<Supplier<byte[]>> seal) {
        boolean[] queued = new boolean[to.size()];
        if (totalBytes.get() + (long) size * to.size() > total / 2) {
            // A large frame for many (the whole metadata to every member): queued all at once before anything leaves, it
            // would find the total budget full for the last ones; one at a time, each leaves while the next is sealed.
            for (int i = 0; i < to.size(); i++) {
                Supplier<byte[]> s = seal.get(i);
                queued[i] = offer(to.get(i), size, ignored -> s.get());
            }
            return queued;
        }
        List<Address> idle = new ArrayList<>(to.size());
        List<Queue> idleQueues = new ArrayList<>(to.size());
        for (int i = 0; i < to.size(); i++) {
            Address a = to.get(i);
            Queue q = queues.computeIfAbsent(a, x -> new Queue());
            q.lock.lock();
            try {
                if (q.bytes + size > perDestination || totalBytes.get() + size > total) {
                    dropped.incrementAndGet();
                    continue;
                }
                byte[] frame = seal.get(i).get();
                q.frames.add(frame);
                q.bytes += frame.length;
                totalBytes.addAndGet(frame.length);
                queued[i] = true;
                if (!q.draining) {
                    q.draining = true;
                    idle.add(a);
                    idleQueues.add(q);
                }
            } finally {
                q.lock.unlock();
            }
        }
        if (idle.size() == 1) {
            startDrainer(idle.get(0), idleQueues.get(0));
        } else if (!idle.isEmpty()) {
            try {
                drainers.execute(() -> drainShared(idle, idleQueues));
                drainTasks.incrementAndGet();
            } catch (RejectedExecutionException e) {
                log.debug("{}: frames for {} destinations after close not sent", label, idle.size());
            }
        }
        return queued;
    }

    private void startDrainer(Address to, Queue q) {
        try {
            drainers.execute(() -> drain(to, q));
            drainTasks.incrementAndGet();
        } catch (RejectedExecutionException e) {
            log.debug("{}: frame for {} after close not sent", label, to);
        }
    }

    /** Drains one queue this thread owns until it is empty. */
    private void drain(Address to, Queue q) {
        while (true) {
            byte[] frame = nextOrRelease(q);
            if (frame == null) return;
            sendOne(to, q, frame);
        }
    }

    /**
     * Drains several queues this thread owns, one frame from each in turn; a queue whose next send could block is
     * handed to a drainer of its own (it stays owned: draining stays set).
     */
    private void drainShared(List<Address> to, List<Queue> qs) {
        List<Integer> active = new ArrayList<>(to.size());
        for (int i = 0; i < to.size(); i++) active.add(i);
        while (!active.isEmpty()) {
            for (java.util.Iterator<Integer> it = active.iterator(); it.hasNext(); ) {
                int i = it.next();
                Queue q = qs.get(i);
                byte[] frame = nextOrRelease(q);
                if (frame == null) {
                    it.remove();
                } else if (transport.mayBlock(to.get(i), frame.length)) {
                    it.remove();
                    startDrainer(to.get(i), q);
                } else {
                    sendOne(to.get(i), q, frame);
                }
            }
        }
    }

    /** The next frame of a queue this thread drains, or null, and then the queue is no longer being drained. */
    private static byte[] nextOrRelease(Queue q) {
        q.lock.lock();
        try {
            byte[] frame = q.frames.peek();
            if (frame == null) q.draining = false;
            return frame;
        } finally {
            q.lock.unlock();
        }
    }

    private void sendOne(Address to, Queue q, byte[] frame) {
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

    /** Drainer tasks started so far (a multicast to idle queues starts one). */
    long drainTasks() {
        return drainTasks.get();
    }

    /** Frames handed to the transport on the caller's thread ({@link #offer} of a small frame to an idle queue). */
    long inlineSends() {
        return inlineSends.get();
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

    /** For diagnostics: each destination with frames queued or a drainer on it, with its frames, bytes and state. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        queues.forEach((a, q) -> {
            q.lock.lock();
            try {
                if (q.frames.isEmpty() && !q.draining) return;
                sb.append(a).append(": ").append(q.frames.size()).append(" frames, ").append(q.bytes).append(" bytes")
                        .append(q.draining ? ", draining" : ", idle").append("; ");
            } finally {
                q.lock.unlock();
            }
        });
        return sb.append("sent ").append(sent.get()).append(", dropped ").append(dropped.get()).append(", inline ")
                .append(inlineSends.get()).append(", drain tasks ").append(drainTasks.get()).toString();
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
