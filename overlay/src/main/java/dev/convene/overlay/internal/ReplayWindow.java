package dev.convene.overlay.internal;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The sequence numbers already received from one peer in one session: the highest, and a bitmap of the
 * {@link #SIZE} below it (the sliding window of IPsec and DTLS). A number seen before, or older than the
 * window, is a replay. Fixed size whatever is sent. Thread-safe.
 */
final class ReplayWindow {
    /** How far behind the highest number a frame may arrive and still be accepted once. */
    static final int SIZE = 1024;
    private static final int WORDS = SIZE / 64;

    private final ReentrantLock lock = new ReentrantLock();
    /** Bit i of the window: number {@code highest - i} was received. */
    private final long[] bits = new long[WORDS];
    private long highest;

    /**
     * Records {@code sequence} if it was not received before.
     *
     * @return false for a replay: seen, older than the window, or below 1
     */
    boolean accept(long sequence) {
        if (sequence < 1) return false;
        lock.lock();
        try {
            if (sequence > highest) {
                shift(sequence - highest);
                highest = sequence;
                bits[0] |= 1L;
                return true;
            }
            long behind = highest - sequence;
            if (behind >= SIZE) return false;
            int word = (int) (behind >>> 6);
            long mask = 1L << (behind & 63);
            if ((bits[word] & mask) != 0) return false;
            bits[word] |= mask;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The highest number received, 0 before any. */
    long highest() {
        lock.lock();
        try {
            return highest;
        } finally {
            lock.unlock();
        }
    }

    /** Moves the window up by {@code by}: bit i becomes bit i + by. */
    private void shift(long by) {
        if (by >= SIZE) {
            java.util.Arrays.fill(bits, 0L);
            return;
        }
        int words = (int) (by >>> 6);
        int rest = (int) (by & 63);
        for (int i = WORDS - 1; i >= 0; i--) {
            int from = i - words;
            long v = from >= 0 ? bits[from] << rest : 0L;
            if (rest != 0 && from - 1 >= 0) v |= bits[from - 1] >>> (64 - rest);
            bits[i] = v;
        }
    }
}
