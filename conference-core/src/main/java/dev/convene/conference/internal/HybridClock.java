package dev.convene.conference.internal;

import dev.convene.conference.HlcTimestamp;
import java.time.Clock;

/**
 * A hybrid logical clock (Kulkarni et al.): timestamps follow wall time but never go backwards and always
 * exceed every timestamp seen. Used only on the engine thread.
 */
final class HybridClock {
    private final Clock clock;
    private long wall;
    private int counter;

    HybridClock(Clock clock) {
        this.clock = clock;
    }

    /** A timestamp for a local event. */
    HlcTimestamp now() {
        long pt = clock.millis();
        if (pt > wall) {
            wall = pt;
            counter = 0;
        } else {
            tickCounter();
        }
        return new HlcTimestamp(wall, counter);
    }

    /** Takes a received timestamp into account. */
    void observe(HlcTimestamp remote) {
        long pt = clock.millis();
        long max = Math.max(Math.max(wall, remote.wallMillis()), pt);
        if (max == wall && max == remote.wallMillis()) {
            counter = Math.max(counter, remote.counter());
            wall = max;
            tickCounter();
        } else if (max == wall) {
            tickCounter();
        } else if (max == remote.wallMillis()) {
            wall = max;
            counter = remote.counter();
            tickCounter();
        } else {
            wall = max;
            counter = 0;
        }
    }

    /**
     * Advances the counter; at its limit (a peer sent a huge counter) the wall part moves one millisecond
     * on instead, which keeps the order and can never overflow.
     */
    private void tickCounter() {
        if (counter == Integer.MAX_VALUE) {
            wall++;
            counter = 0;
        } else {
            counter++;
        }
    }
}
