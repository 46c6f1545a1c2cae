package dev.convene.overlay.wire;

import java.util.Objects;

/**
 * A message type of the closed set the overlay carries: a fixed id on the wire, its Java class and its
 * codec. Ids 1-99 belong to the overlay, 100-999 to conference-core; an id is never reused.
 *
 * @param id the type id written in every envelope, 1 to 65535
 * @param type the record class
 * @param codec how it is written and read
 * @param <T> the message type
 */
public record MessageType<T>(int id, Class<T> type, WireCodec<T> codec) {
    /**
     * Checks the components.
     *
     * @param id the type id, 1 to 65535
     * @param type the record class
     * @param codec how it is written and read
     * @throws IllegalArgumentException if the id is out of range
     */
    public MessageType {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(codec, "codec");
        if (id < 1 || id > 0xFFFF) throw new IllegalArgumentException("type id: " + id + " (expected: 1-65535)");
    }
}
