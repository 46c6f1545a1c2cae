package dev.convene.overlay.internal;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A token bucket: {@code rate} tokens a second with a burst of {@code burst}. Thread-safe (JGroups may
 * deliver one sender's frames on different threads).
 */
final class RateLimiter {
    private final ReentrantLock lock = new ReentrantLock();
    private final double rate;
    private final double burst;
    private double tokens;
    private long last;

    RateLimiter(int perSecond) {
        this(perSecond, perSecond, System.nanoTime());
    }

    RateLimiter(double perSecond, double burst, long now) {
        this.rate = perSecond;
        this.burst = burst;
        this.tokens = burst;
        this.last = now;
    }

    boolean tryAcquire(long now) {
        lock.lock();
        try {
            tokens = Math.min(burst, tokens + Math.max(0, now - last) * rate / 1e9);
            last = now;
            if (tokens < 1) return false;
            tokens -= 1;
            return true;
        } finally {
            lock.unlock();
        }
    }
}
