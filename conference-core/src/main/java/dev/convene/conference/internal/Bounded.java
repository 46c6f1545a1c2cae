package dev.convene.conference.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** A map of at most {@code max} entries that evicts the least recently used one. Not thread-safe. */
final class Bounded<K, V> extends LinkedHashMap<K, V> {
    private static final long serialVersionUID = 1L;
    private final int max;

    Bounded(int max) {
        super(16, 0.75f, true);
        this.max = max;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > max;
    }
}
