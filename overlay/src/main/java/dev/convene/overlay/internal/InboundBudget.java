package dev.convene.overlay.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What incoming frames waiting for the event thread may hold: bytes per sender (a verified peer, or a view
 * member's address for advertisements), bytes in total and frames in total. A frame is charged when it is
 * queued and released when it was handled. Senders with nothing queued have no entry. Thread-safe.
 */
final class InboundBudget {
    private final long perSender;
    private final long total;
    private final int maxFrames;
    private final Map<Object, AtomicLong> bySender = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong frames = new AtomicLong();

    InboundBudget(long perSender, long total, int maxFrames) {
        this.perSender = perSender;
        this.total = total;
        this.maxFrames = maxFrames;
    }

    /** Charges a frame of {@code size} bytes to {@code sender}; false (nothing charged) if any budget would be exceeded. */
    boolean tryCharge(Object sender, int size) {
        if (frames.incrementAndGet() > maxFrames) {
            frames.decrementAndGet();
            return false;
        }
        if (bytes.addAndGet(size) > total) {
            bytes.addAndGet(-size);
            frames.decrementAndGet();
            return false;
        }
        boolean[] ok = {false};
        bySender.compute(sender, (k, v) -> {
            AtomicLong n = v == null ? new AtomicLong() : v;
            if (n.get() + size <= perSender) {
                n.addAndGet(size);
                ok[0] = true;
            }
            return n.get() == 0 ? null : n;
        });
        if (!ok[0]) {
            bytes.addAndGet(-size);
            frames.decrementAndGet();
        }
        return ok[0];
    }

    /** Releases what {@link #tryCharge} charged. */
    void release(Object sender, int size) {
        bytes.addAndGet(-size);
        frames.decrementAndGet();
        bySender.computeIfPresent(sender, (k, n) -> n.addAndGet(-size) <= 0 ? null : n);
    }

    long queuedBytes() {
        return bytes.get();
    }

    int senders() {
        return bySender.size();
    }
}
