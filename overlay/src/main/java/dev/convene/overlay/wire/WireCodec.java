package dev.convene.overlay.wire;

/**
 * Writes and reads one message type. Implementations read every length through {@link WireReader}, which
 * bounds it before anything is allocated; they must be stateless and thread-safe.
 *
 * @param <T> the message type, normally a record
 */
public interface WireCodec<T> {
    /**
     * Writes {@code value}.
     *
     * @param out where to write
     * @param value the value
     */
    void write(WireWriter out, T value);

    /**
     * Reads a value, validating it.
     *
     * @param in where to read from
     * @return the value
     * @throws WireFormatException on any malformed or out-of-bounds input
     */
    T read(WireReader in);
}
