package dev.convene.overlay.internal;

/**
 * A token bucket for one sending peer: {@code rate} frames a second with a burst of the same size.
 * Thread-safe (JGroups may deliver one sender's frames on different threads, one at a time or not).
 */
final class RateLimiter {
    private final double rate;
    private double tokens;
    private long last = System.nanoTime();

    RateLimiter(int perSecond) {
        this.rate = perSecond;
        this.tokens = perSecond;
    }

    synchronized boolean tryAcquire(long now) {
        tokens = Math.min(rate, tokens + (now - last) * rate / 1e9);
        last = now;
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
    }
}
