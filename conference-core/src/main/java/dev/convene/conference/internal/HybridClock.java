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
            counter++;
        }
        return new HlcTimestamp(wall, counter);
    }

    /** Takes a received timestamp into account. */
    void observe(HlcTimestamp remote) {
        long pt = clock.millis();
        long max = Math.max(Math.max(wall, remote.wallMillis()), pt);
        if (max == wall && max == remote.wallMillis()) {
            counter = Math.max(counter, remote.counter()) + 1;
        } else if (max == wall) {
            counter++;
        } else if (max == remote.wallMillis()) {
            counter = remote.counter() + 1;
        } else {
            counter = 0;
        }
        wall = max;
    }
}
