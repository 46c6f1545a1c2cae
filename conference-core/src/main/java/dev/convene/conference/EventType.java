package dev.convene.conference;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An application event type, registered on {@link ConferencePeer.Builder#eventType}. A type is identified by its
 * name and version: peers exchange events of the same (name, version) only; a peer that did not register a type
 * stores and relays its durable events without delivering them.
 *
 * @param name a namespaced name: 2 to 8 dot-separated labels of a-z 0-9 _ - (each starting with a letter),
 *             at most {@value #MAX_NAME_LENGTH} characters, e.g. {@code com.example.poll.vote}
 * @param version 1 to 65535
 * @param codec turns values into bytes and back
 * @param delivery durable or ephemeral
 * @param maxBytes the most bytes an encoded value may have: 1 to {@value #MAX_BYTES}
 * @param perSecond the most events of this type one peer may publish per second (and, for ephemeral events,
 *                  the most this peer accepts from one sender per second, with a burst of as many): 1 to 1000
 * @param <T> the value type
 */
public record EventType<T>(String name, int version, EventCodec<T> codec, Delivery delivery, int maxBytes, int perSecond) {
    /** The longest name. */
    public static final int MAX_NAME_LENGTH = 128;
    /** The largest encoded value of any type (the chat text limit less the type's header). */
    public static final int MAX_BYTES = 16 * 1024 - 256;
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*){1,7}");

    /**
     * Validates.
     *
     * @param name the namespaced name
     * @param version the version
     * @param codec the codec
     * @param delivery the delivery class
     * @param maxBytes the most bytes of an encoded value
     * @param perSecond the most events per second and peer
     * @throws IllegalArgumentException if a value is out of bounds or the name is not namespaced
     * @throws NullPointerException if a part is null
     */
    public EventType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(delivery, "delivery");
        if (name.length() > MAX_NAME_LENGTH || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("event type name: not namespaced (e.g. com.example.poll.vote)");
        }
        if (version < 1 || version > 65535) throw new IllegalArgumentException("event type version: " + version + " (expected: 1-65535)");
        if (maxBytes < 1 || maxBytes > MAX_BYTES) throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: 1-" + MAX_BYTES + ")");
        if (perSecond < 1 || perSecond > 1000) throw new IllegalArgumentException("perSecond: " + perSecond + " (expected: 1-1000)");
    }

    /**
     * A type with the default limits: values up to 4096 bytes, 20 events per second.
     *
     * @param name the namespaced name
     * @param version the version
     * @param codec the codec
     * @param delivery the delivery class
     * @param <T> the value type
     * @return the type
     */
    public static <T> EventType<T> of(String name, int version, EventCodec<T> codec, Delivery delivery) {
        return new EventType<>(name, version, codec, delivery, 4096, 20);
    }

    /**
     * This type with other limits.
     *
     * @param maxBytes the most bytes of an encoded value
     * @param perSecond the most events per second and peer
     * @return a new type
     */
    public EventType<T> withLimits(int maxBytes, int perSecond) {
        return new EventType<>(name, version, codec, delivery, maxBytes, perSecond);
    }

    /**
     * The identity of the type: name and version, as {@code name/version}.
     *
     * @return the key
     */
    public String key() {
        return name + "/" + version;
    }
}
