package dev.convene.conference.internal;

import dev.convene.conference.ConferenceEvent;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.Delivery;
import dev.convene.conference.EventStats;
import dev.convene.conference.EventType;
import dev.convene.conference.HlcTimestamp;
import dev.convene.conference.MessageId;
import dev.convene.overlay.DropReason;
import dev.convene.overlay.PeerId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Typed application events (docs/EVENTS.md). A typed event travels as the plaintext of a chat message (durable)
 * or of an {@link EphemeralFrame}: {@code 0xFF | name length (1 byte) | name (ASCII) | version (2 bytes, big
 * endian) | value}. A chat text is UTF-8, in which the byte 0xFF never occurs, so a plaintext that starts with it
 * is a typed event and any other (every row stored before typed events) is chat. Engine thread, except the
 * registry and the counters, which any thread reads.
 */
final class TypedEvents {
    private static final Logger log = LoggerFactory.getLogger(ConferenceEngine.class);
    static final byte MARKER = (byte) 0xFF;
    /** The most (sender, type) rate buckets kept for ephemeral events; beyond, they start again. */
    static final int MAX_BUCKETS = 4096;

    private final EngineState s;
    private final Dispatch dispatch;
    private final Map<String, EventType<?>> types = new ConcurrentHashMap<>();
    private final Map<String, List<Consumer<ConferenceEvent<?>>>> listeners = new ConcurrentHashMap<>();
    private final Map<String, TokenBucket> ownRate = new HashMap<>();
    private final Map<String, TokenBucket> senderRate = new HashMap<>();
    private long ephemeralSequence;

    final LongAdder delivered = new LongAdder();
    final LongAdder unknownType = new LongAdder();
    final LongAdder oversized = new LongAdder();
    final LongAdder malformed = new LongAdder();
    final LongAdder ephemeralRefused = new LongAdder();
    final LongAdder ephemeralRateLimited = new LongAdder();
    final LongAdder durableRateLimited = new LongAdder();
    /**
     * Per conference, author and durable type: how many events were accepted at each wall millisecond of their
     * timestamps, within the second before the latest (older entries can no longer count).
     */
    private final Map<String, java.util.TreeMap<Long, Integer>> accepted = new HashMap<>();

    TypedEvents(EngineState s, Dispatch dispatch) {
        this.s = s;
        this.dispatch = dispatch;
    }

    /** A parsed plaintext: the type's key and the value's bytes. */
    record Parsed(String name, int version, byte[] value) {
        String key() {
            return name + "/" + version;
        }
    }

    static boolean isTyped(byte[] plain) {
        return plain.length > 0 && plain[0] == MARKER;
    }

    static byte[] plaintext(EventType<?> type, byte[] value) {
        return plaintext(type.name(), type.version(), value);
    }

    static byte[] plaintext(String typeName, int version, byte[] value) {
        byte[] name = typeName.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[4 + name.length + value.length];
        out[0] = MARKER;
        out[1] = (byte) name.length;
        System.arraycopy(name, 0, out, 2, name.length);
        out[2 + name.length] = (byte) (version >>> 8);
        out[3 + name.length] = (byte) version;
        System.arraycopy(value, 0, out, 4 + name.length, value.length);
        return out;
    }

    /** Parses a typed plaintext; null if its header is malformed. */
    static Parsed parse(byte[] plain) {
        if (plain.length < 4 || plain[0] != MARKER) return null;
        int n = plain[1] & 0xFF;
        if (n < 1 || n > EventType.MAX_NAME_LENGTH || plain.length < 4 + n) return null;
        for (int i = 2; i < 2 + n; i++) if (plain[i] < 0x20 || plain[i] > 0x7E) return null;
        String name = new String(plain, 2, n, StandardCharsets.US_ASCII);
        int version = ((plain[2 + n] & 0xFF) << 8) | (plain[3 + n] & 0xFF);
        return new Parsed(name, version, java.util.Arrays.copyOfRange(plain, 4 + n, plain.length));
    }

    // ---- registry (any thread) --------------------------------------------------------------------------

    void register(EventType<?> type) {
        EventType<?> had = types.putIfAbsent(type.key(), type);
        if (had != null && had != type) throw new IllegalArgumentException("event type " + type.key() + " registered twice");
    }

    EventType<?> type(String key) {
        return types.get(key);
    }

    @SuppressWarnings("unchecked")
    <T> void onEvent(EventType<T> type, Consumer<ConferenceEvent<T>> listener) {
        if (types.get(type.key()) != type) throw new IllegalArgumentException("event type " + type.key() + " is not registered");
        listeners.computeIfAbsent(type.key(), k -> new CopyOnWriteArrayList<>()).add(e -> listener.accept((ConferenceEvent<T>) e));
    }

    EventStats stats() {
        return new EventStats(delivered.sum(), unknownType.sum(), oversized.sum(), malformed.sum(), ephemeralRefused.sum(),
                ephemeralRateLimited.sum(), durableRateLimited.sum());
    }

    // ---- engine thread ----------------------------------------------------------------------------------

    /**
     * Checks a value this peer is about to publish against its type's limits and returns its bytes.
     *
     * @throws dev.convene.conference.EventLimitException if unregistered, too large or over the rate
     */
    <T> byte[] encodeOwn(EventType<T> type, T value) {
        if (types.get(type.key()) != type) {
            throw new dev.convene.conference.EventLimitException(type.key(), dev.convene.conference.EventLimitException.Limit.UNREGISTERED, 0, 0);
        }
        byte[] bytes = type.codec().encode(java.util.Objects.requireNonNull(value, "value"));
        if (bytes.length > type.maxBytes()) {
            throw new dev.convene.conference.EventLimitException(type.key(), dev.convene.conference.EventLimitException.Limit.SIZE, type.maxBytes(), bytes.length);
        }
        TokenBucket b = ownRate.computeIfAbsent(type.key(), k -> new TokenBucket(type.perSecond(), type.perSecond(), System::nanoTime));
        if (!b.tryTake(1)) {
            throw new dev.convene.conference.EventLimitException(type.key(), dev.convene.conference.EventLimitException.Limit.RATE, type.perSecond(), 0);
        }
        return bytes;
    }

    long nextEphemeralSequence() {
        return ++ephemeralSequence;
    }

    /**
     * A durable event whose message was delivered in its author's sequence (decrypted, valid by membership): kept
     * and delivered if its type is registered here and it decodes, otherwise counted. Either way the message stays
     * held and stored, so it is relayed. Returns the event or null.
     */
    ConferenceEvent<?> received(Conference c, ChatMessage m, byte[] plain) {
        Parsed p = parse(plain);
        if (p == null) {
            malformed.increment();
            log.debug("{}: event {} has a malformed header", s.label(), m.id());
            return null;
        }
        EventType<?> type = types.get(p.key());
        if (type == null) {
            unknownType.increment();
            log.debug("{}: event {} of a type not registered here: kept, not delivered", s.label(), m.id());
            return null;
        }
        if (type.delivery() != Delivery.DURABLE) {
            malformed.increment();
            return null;
        }
        ConferenceEvent<?> e = decode(type, c.id, m.id(), m.timestamp(), p.value());
        if (e == null) return null;
        if (!admit(c, m.author(), type, m.timestamp())) {
            log.debug("{}: event {} of {} over its author's rate: kept, not delivered", s.label(), m.id(), type.key());
            return null;
        }
        record(c, e);
        return e;
    }

    /**
     * The receive-side rate of a durable type: an author's event is delivered only if fewer than the type's
     * {@code perSecond} of its events of that type were delivered with timestamps in the second up to its own
     * (wall milliseconds {@code t-999} to {@code t}). Decided by the signed timestamps, in the author's sequence, so
     * every peer (the author too, {@link Operations#publish}) decides the same; counted otherwise.
     */
    boolean admit(Conference c, PeerId author, EventType<?> type, HlcTimestamp ts) {
        java.util.TreeMap<Long, Integer> w = accepted.computeIfAbsent(c.id.value() + "|" + author.value() + "|" + type.key(),
                k -> new java.util.TreeMap<>());
        long t = ts.wallMillis();
        int within = 0;
        for (int n : w.subMap(t - 999, true, t, true).values()) within += n;
        if (within >= type.perSecond()) {
            durableRateLimited.increment();
            return false;
        }
        w.merge(t, 1, Integer::sum);
        w.headMap(w.lastKey() - 999, false).clear(); // bounded: at most a second of entries
        return true;
    }

    /** Keeps a durable event in its conference and tells listeners (not while restoring). */
    void record(Conference c, ConferenceEvent<?> e) {
        c.eventIds.add(e.id());
        c.events.computeIfAbsent(e.type().key(), k -> new java.util.concurrent.ConcurrentSkipListMap<>(ConferenceEvent.CANONICAL_ORDER))
                .put(e, e);
        // A banned author's event held before the ban and delivered during it is kept, not told (events() leaves it out).
        if (!c.restoring && !s.banned.contains(e.author())) fire(e);
    }

    /** Takes a durable event out and tells the listeners ({@code eventRetracted}, not while restoring) why. */
    void retract(Conference c, MessageId id, String reason) {
        if (!c.eventIds.remove(id)) return;
        List<ConferenceEvent<?>> out = new java.util.ArrayList<>();
        for (var perType : c.events.values()) {
            perType.keySet().removeIf(e -> {
                if (!e.id().equals(id)) return false;
                out.add(e);
                return true;
            });
        }
        for (ConferenceEvent<?> e : out) {
            // No longer counts toward its author's rate: if it comes back (a rebuild), it is decided as at first.
            var w = accepted.get(c.id.value() + "|" + e.author().value() + "|" + e.type().key());
            if (w != null) w.computeIfPresent(e.timestamp().wallMillis(), (t, n) -> n <= 1 ? null : n - 1);
        }
        if (c.restoring || s.banned.contains(id.author())) return;
        for (ConferenceEvent<?> e : out) dispatch.fire(l -> l.eventRetracted(e, reason));
    }

    private <T> ConferenceEvent<T> decode(EventType<T> type, ConferenceId conference, MessageId id, HlcTimestamp ts, byte[] value) {
        if (value.length > type.maxBytes()) {
            oversized.increment();
            log.debug("{}: event {} of {} has {} bytes, over {}", s.label(), id, type.key(), value.length, type.maxBytes());
            return null;
        }
        T v;
        try {
            v = type.codec().decode(value);
            if (v == null) throw new IllegalArgumentException("codec returned null");
        } catch (RuntimeException ex) {
            malformed.increment();
            log.debug("{}: event {} of {} did not decode: {}", s.label(), id, type.key(), ex.toString());
            return null;
        }
        return new ConferenceEvent<>(conference, id, ts, type, v);
    }

    void fire(ConferenceEvent<?> e) {
        delivered.increment();
        List<Consumer<ConferenceEvent<?>>> ls = listeners.get(e.type().key());
        if (ls == null || ls.isEmpty()) return;
        dispatch.callback(() -> ls.forEach(l -> dispatch.safely(() -> l.accept(e))));
    }

    /**
     * An ephemeral event from {@code from}, whose overlay session authenticated it: delivered if {@code from} and
     * this peer are current participants, it decrypts, its type is a registered ephemeral one, its sender is within
     * the type's rate and its value decodes; otherwise counted and dropped.
     */
    void onEphemeral(PeerId from, EphemeralFrame f) {
        Conference c = s.conferences.get(f.conference());
        if (c == null || c.removals.containsKey(from) || !c.participants().contains(from) || !c.participants().contains(s.self)
                || c.state.isOver()) {
            refuse("from a non-participant, or for a conference this peer is not in");
            return;
        }
        // Before decryption, one bucket per sender at the highest rate any type allows (the work it can cost is bounded).
        if (!bucket(from.value(), 1000).tryTake(1)) {
            ephemeralRateLimited.increment();
            return;
        }
        byte[] key = c.keys.get(f.keyEpoch());
        if (key == null) {
            refuse("under an unknown key");
            return;
        }
        byte[] plain;
        try {
            plain = ContentCrypto.decrypt(key, f.body(), f.aad(from));
        } catch (GeneralSecurityException e) {
            refuse("undecryptable");
            return;
        }
        Parsed p = parse(plain);
        if (p == null) {
            malformed.increment();
            return;
        }
        EventType<?> type = types.get(p.key());
        if (type == null || type.delivery() != Delivery.EPHEMERAL) {
            refuse("type not registered as ephemeral");
            return;
        }
        if (!bucket(from.value() + "|" + type.key(), type.perSecond()).tryTake(1)) {
            ephemeralRateLimited.increment();
            return;
        }
        ConferenceEvent<?> e = decode(type, c.id, new MessageId(from, f.sequence()), f.timestamp(), p.value());
        if (e != null) fire(e);
    }

    private TokenBucket bucket(String key, int perSecond) {
        if (senderRate.size() >= MAX_BUCKETS && !senderRate.containsKey(key)) senderRate.clear();
        return senderRate.computeIfAbsent(key, k -> new TokenBucket(perSecond, perSecond, System::nanoTime));
    }

    private void refuse(String why) {
        ephemeralRefused.increment();
        if (s.overlay != null) s.overlay.countDrop(DropReason.REJECTED);
        log.debug("{}: ephemeral event refused: {}", s.label(), why);
    }
}
