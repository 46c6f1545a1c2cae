package dev.convene.conference;

/**
 * Turns an application's event values into bytes and back. {@link #decode} gets bytes from other peers, so it
 * must check them and throw on anything it does not accept (any {@link RuntimeException}): such an event is
 * counted ({@link EventStats#malformed()}) and not delivered. Both methods may run on the peer's event thread:
 * keep them quick and free of blocking.
 *
 * @param <T> the value type
 */
public interface EventCodec<T> {
    /**
     * Encodes a value.
     *
     * @param value the value, not null
     * @return its bytes (at most the type's {@link EventType#maxBytes()} or publishing fails)
     */
    byte[] encode(T value);

    /**
     * Decodes bytes received from a participant.
     *
     * @param bytes at most the type's {@link EventType#maxBytes()}
     * @return the value, not null
     * @throws RuntimeException if the bytes are not a valid value
     */
    T decode(byte[] bytes);
}
