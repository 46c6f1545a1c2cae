package dev.convene.conference.internal;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A map that counts its changes: {@link Conference} keeps its membership sets ({@code invitees()},
 * {@code participants()}) computed once per change of the maps they come from instead of once per call (an author
 * of a conference of 100 asked for them with every acknowledgement and receipt: half its engine thread's samples).
 * Every way to change it goes through a counted method; the views it hands out are read-only, so nothing changes it
 * behind the count. Engine thread only, like the conference.
 */
final class Counted<K, V> extends LinkedHashMap<K, V> {
    private long changes;

    long changes() {
        return changes;
    }

    @Override
    public V put(K key, V value) {
        changes++;
        return super.put(key, value);
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> m) {
        changes++;
        super.putAll(m);
    }

    @Override
    public V remove(Object key) {
        changes++;
        return super.remove(key);
    }

    @Override
    public boolean remove(Object key, Object value) {
        changes++;
        return super.remove(key, value);
    }

    @Override
    public void clear() {
        changes++;
        super.clear();
    }

    @Override
    public V putIfAbsent(K key, V value) {
        changes++;
        return super.putIfAbsent(key, value);
    }

    @Override
    public V computeIfAbsent(K key, Function<? super K, ? extends V> f) {
        changes++;
        return super.computeIfAbsent(key, f);
    }

    @Override
    public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> f) {
        changes++;
        return super.computeIfPresent(key, f);
    }

    @Override
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> f) {
        changes++;
        return super.compute(key, f);
    }

    @Override
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> f) {
        changes++;
        return super.merge(key, value, f);
    }

    @Override
    public V replace(K key, V value) {
        changes++;
        return super.replace(key, value);
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        changes++;
        return super.replace(key, oldValue, newValue);
    }

    @Override
    public void replaceAll(BiFunction<? super K, ? super V, ? extends V> f) {
        changes++;
        super.replaceAll(f);
    }

    @Override
    public Set<K> keySet() {
        return java.util.Collections.unmodifiableSet(super.keySet());
    }

    @Override
    public Collection<V> values() {
        return java.util.Collections.unmodifiableCollection(super.values());
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        return java.util.Collections.unmodifiableSet(super.entrySet());
    }
}
