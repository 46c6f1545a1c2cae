package dev.convene.conference;

import java.time.Instant;
import java.util.Comparator;

/**
 * A hybrid logical clock timestamp: wall-clock milliseconds plus a counter that orders events within one
 * millisecond and keeps causality when clocks disagree (a message is always later than every message
 * its author had seen).
 *
 * @param wallMillis milliseconds since the epoch
 * @param counter logical counter, 0 or more
 */
public record HlcTimestamp(long wallMillis, int counter) implements Comparable<HlcTimestamp> {
    private static final Comparator<HlcTimestamp> ORDER =
            Comparator.comparingLong(HlcTimestamp::wallMillis).thenComparingInt(HlcTimestamp::counter);

    /**
     * Checks the components.
     *
     * @param wallMillis milliseconds since the epoch
     * @param counter logical counter, 0 or more
     * @throws IllegalArgumentException if one is negative
     */
    public HlcTimestamp {
        if (wallMillis < 0) throw new IllegalArgumentException("wallMillis: " + wallMillis + " (expected: >= 0)");
        if (counter < 0) throw new IllegalArgumentException("counter: " + counter + " (expected: >= 0)");
    }

    /**
     * The wall-clock part as an instant.
     *
     * @return the wall-clock part as an instant
     */
    public Instant instant() {
        return Instant.ofEpochMilli(wallMillis);
    }

    @Override
    public int compareTo(HlcTimestamp o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return instant() + "+" + counter;
    }
}
