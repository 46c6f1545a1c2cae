package dev.convene.conference.internal;

import java.util.function.LongSupplier;

/**
 * A token bucket on a nanosecond ticker: {@code capacity} tokens, refilled at {@code perSecond}. Used on the
 * engine thread only.
 */
final class TokenBucket {
    private final long capacity;
    private final double perNano;
    private final LongSupplier nanos;
    private double tokens;
    private long last;

    TokenBucket(long capacity, long perSecond, LongSupplier nanos) {
        if (capacity < 1) throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
        if (perSecond < 1) throw new IllegalArgumentException("perSecond: " + perSecond + " (expected: >= 1)");
        this.capacity = capacity;
        this.perNano = perSecond / 1e9;
        this.nanos = nanos;
        this.tokens = capacity;
        this.last = nanos.getAsLong();
    }

    /** Whether at least one token is there now. */
    boolean hasToken() {
        refill();
        return tokens >= 1;
    }

    private void refill() {
        long now = nanos.getAsLong();
        tokens = Math.min(capacity, tokens + Math.max(0, now - last) * perNano);
        last = now;
    }

    /** Whole tokens there now. */
    long available() {
        refill();
        return (long) tokens;
    }

    /** Takes {@code n} tokens if there are that many; otherwise takes none. */
    boolean tryTake(long n) {
        refill();
        if (tokens < n) return false;
        tokens -= n;
        return true;
    }
}
