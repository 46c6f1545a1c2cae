package dev.convene.overlay.internal;

import dev.convene.overlay.DropReason;
import dev.convene.overlay.OverlayStats;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The overlay's counters, incremented from any thread; {@link #snapshot} makes an {@link OverlayStats}. Thread-safe. */
final class Counters {
    final LongAdder sent = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder signatureChecks = new LongAdder();
    final LongAdder macChecks = new LongAdder();
    private final Map<DropReason, LongAdder> drops = new EnumMap<>(DropReason.class);
    /** Keyed by registered type ids only (a closed set), so it cannot grow with what others send. */
    private final Map<Integer, LongAdder> byType = new ConcurrentHashMap<>();

    Counters() {
        for (DropReason r : DropReason.values()) drops.put(r, new LongAdder());
    }

    void drop(DropReason reason) {
        drops.get(reason).increment();
    }

    void receivedType(int typeId) {
        byType.computeIfAbsent(typeId, k -> new LongAdder()).increment();
    }

    OverlayStats snapshot(int members, long queuedBytes, long outboundDropped) {
        Map<DropReason, Long> d = new EnumMap<>(DropReason.class);
        drops.forEach((r, n) -> d.put(r, n.sum()));
        Map<Integer, Long> t = new HashMap<>();
        byType.forEach((k, n) -> t.put(k, n.sum()));
        return new OverlayStats(sent.sum(), received.sum(), delivered.sum(), d, members, t, signatureChecks.sum(), macChecks.sum(),
                outboundDropped, queuedBytes);
    }
}
