package dev.convene.overlay.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jgroups.Address;

/**
 * A bounded pen of frames held by claimed source address, in arrival order: at most {@code perAddress} frames
 * per address, {@code maxFrames} and {@code maxBytes} in all. When it is full, a frame from an address holding
 * fewer frames than the largest holder takes the place of that holder's oldest frame (fair eviction): filling
 * the pen from many addresses or few never keeps a newcomer out, each address keeps a share. Not thread-safe:
 * the gate guards it with its lock.
 */
final class HeldFrames {
    /** A held frame and when it arrived (nanos). */
    record Held(Address src, byte[] frame, long since) {
    }

    private final int perAddress;
    private final int maxFrames;
    private final long maxBytes;
    private final LinkedList<Held> frames = new LinkedList<>();
    private final Map<Address, Integer> byAddress = new HashMap<>();
    private long bytes;

    HeldFrames(int perAddress, int maxFrames, long maxBytes) {
        this.perAddress = perAddress;
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
    }

    /**
     * Holds a frame (the caller's copy), evicting the oldest frames of the largest holder while it does not fit;
     * {@code evicted} runs once per frame evicted. Returns false if this one is not held: its address is at its
     * limit or holds at least as many frames as any other, or the frame is larger than the pen.
     */
    boolean add(Address src, byte[] frame, long now, Runnable evicted) {
        int here = byAddress.getOrDefault(src, 0);
        if (here >= perAddress || frame.length > maxBytes) return false;
        while (frames.size() >= maxFrames || bytes + frame.length > maxBytes) {
            Address largest = null;
            int most = 0;
            for (var e : byAddress.entrySet()) {
                if (e.getValue() > most) {
                    most = e.getValue();
                    largest = e.getKey();
                }
            }
            if (largest == null || largest.equals(src) || most <= here) return false;
            removeOldest(largest);
            evicted.run();
        }
        frames.add(new Held(src, frame, now));
        byAddress.put(src, here + 1);
        bytes += frame.length;
        return true;
    }

    private void removeOldest(Address src) {
        Iterator<Held> it = frames.iterator();
        while (it.hasNext()) {
            Held h = it.next();
            if (h.src().equals(src)) {
                forget(it, h);
                return;
            }
        }
    }

    /** Takes the frames of {@code src}, in arrival order. */
    List<byte[]> release(Address src) {
        List<byte[]> out = new ArrayList<>();
        if (!byAddress.containsKey(src)) return out;
        Iterator<Held> it = frames.iterator();
        while (it.hasNext()) {
            Held h = it.next();
            if (!h.src().equals(src)) continue;
            forget(it, h);
            out.add(h.frame());
        }
        return out;
    }

    /**
     * Drops the frames older than {@code maxAgeNanos} whose address {@code drop} accepts; returns how many.
     * The pen is in arrival order, so this stops at the first frame young enough.
     */
    int expire(long now, long maxAgeNanos, Predicate<Address> drop) {
        if (frames.isEmpty() || now - frames.peekFirst().since() < maxAgeNanos) return 0;
        int n = 0;
        Iterator<Held> it = frames.iterator();
        while (it.hasNext()) {
            Held h = it.next();
            if (now - h.since() < maxAgeNanos) break;
            if (!drop.test(h.src())) continue;
            forget(it, h);
            n++;
        }
        return n;
    }

    private void forget(Iterator<Held> it, Held h) {
        it.remove();
        bytes -= h.frame().length;
        byAddress.computeIfPresent(h.src(), (k, n) -> n <= 1 ? null : n - 1);
    }

    Set<Address> addresses() {
        return Set.copyOf(byAddress.keySet());
    }

    int size() {
        return frames.size();
    }

    long bytes() {
        return bytes;
    }
}
