package dev.convene.overlay.wire;

import com.esotericsoftware.kryo.kryo5.KryoException;
import com.esotericsoftware.kryo.kryo5.io.Input;
import dev.convene.overlay.PeerId;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The read side of a message body over a Kryo {@link Input}. Every length is checked against a caller's
 * maximum and against the bytes actually left before anything is allocated; nesting is limited to
 * {@link #MAX_DEPTH}. Every violation is a {@link WireFormatException}. Not thread-safe.
 */
public final class WireReader {
    /** How deep nested collections and values may go. */
    public static final int MAX_DEPTH = 8;

    private final Input in;
    private int depth;

    WireReader(Input in) {
        this.in = in;
    }

    private int remaining() {
        return in.limit() - in.position();
    }

    private void need(int bytes, String what) {
        if (bytes > remaining()) {
            throw new WireFormatException(what + ": needs " + bytes + " bytes (expected: <= " + remaining() + " left)");
        }
    }

    /**
     * A boolean: one byte, 0 or 1.
     *
     * @return the value
     * @throws WireFormatException if no byte is left or it is neither 0 nor 1
     */
    public boolean readBoolean() {
        need(1, "boolean");
        int b = in.readByte();
        if (b != 0 && b != 1) throw new WireFormatException("boolean: " + b + " (expected: 0 or 1)");
        return b == 1;
    }

    /**
     * One signed byte.
     *
     * @return the value, -128 to 127
     * @throws WireFormatException if the bytes left do not hold one
     */
    public int readByte() {
        need(1, "byte");
        return in.readByte();
    }

    /**
     * A fixed-length int (four bytes).
     *
     * @return the value
     * @throws WireFormatException if the bytes left do not hold one
     */
    public int readInt() {
        need(4, "int");
        return in.readInt();
    }

    /**
     * A variable-length int in {@code [min, max]}.
     *
     * @param min the smallest value accepted
     * @param max the largest value accepted
     * @return the value
     * @throws WireFormatException if truncated or out of range
     */
    public int readVarInt(int min, int max) {
        int v;
        try {
            v = in.readVarInt(true);
        } catch (KryoException e) {
            throw new WireFormatException("varint: truncated");
        }
        if (v < min || v > max) throw new WireFormatException("varint: " + v + " (expected: " + min + "-" + max + ")");
        return v;
    }

    /**
     * A fixed-length long (eight bytes).
     *
     * @return the value
     * @throws WireFormatException if the bytes left do not hold one
     */
    public long readLong() {
        need(8, "long");
        return in.readLong();
    }

    /**
     * A variable-length long in {@code [min, max]}.
     *
     * @param min the smallest value accepted
     * @param max the largest value accepted
     * @return the value
     * @throws WireFormatException if truncated or out of range
     */
    public long readVarLong(long min, long max) {
        long v;
        try {
            v = in.readVarLong(true);
        } catch (KryoException e) {
            throw new WireFormatException("varlong: truncated");
        }
        if (v < min || v > max) throw new WireFormatException("varlong: " + v + " (expected: " + min + "-" + max + ")");
        return v;
    }

    /**
     * A byte array of at most {@code maxLength} bytes, its length checked before it is allocated.
     *
     * @param maxLength the longest array accepted
     * @return the bytes
     * @throws WireFormatException if longer, or longer than the bytes left
     */
    public byte[] readBytes(int maxLength) {
        int n = readVarInt(0, maxLength);
        need(n, "byte array");
        return in.readBytes(n);
    }

    /**
     * A byte array of exactly {@code length} bytes.
     *
     * @param length the length required
     * @return the bytes
     * @throws WireFormatException if of another length or truncated
     */
    public byte[] readBytesExactly(int length) {
        byte[] b = readBytes(length);
        if (b.length != length) throw new WireFormatException("byte array: " + b.length + " bytes (expected: " + length + ")");
        return b;
    }

    /**
     * Valid UTF-8 of at most {@code maxBytes} encoded bytes.
     *
     * @param maxBytes the most encoded bytes accepted
     * @return the string
     * @throws WireFormatException if longer, truncated or not valid UTF-8
     */
    public String readString(int maxBytes) {
        byte[] b = readBytes(maxBytes);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new WireFormatException("string: not valid UTF-8");
        }
    }

    /**
     * A string or null, as written by {@link WireWriter#writeNullableString}.
     *
     * @param maxBytes the most encoded bytes accepted
     * @return the string, or null
     * @throws WireFormatException as {@link #readString}
     */
    public String readNullableString(int maxBytes) {
        return readBoolean() ? readString(maxBytes) : null;
    }

    /**
     * An instant: epoch seconds and nanoseconds.
     *
     * @return the instant
     * @throws WireFormatException if truncated, or outside {@link Instant}'s range
     */
    public Instant readInstant() {
        long seconds = readLong();
        int nanos = readVarInt(0, 999_999_999);
        try {
            return Instant.ofEpochSecond(seconds, nanos);
        } catch (RuntimeException e) {
            throw new WireFormatException("instant: " + seconds + "s (expected: within Instant's range)");
        }
    }

    /**
     * A duration: seconds and nanoseconds. Callers check its range.
     *
     * @return the duration
     * @throws WireFormatException if truncated
     */
    public Duration readDuration() {
        long seconds = readLong();
        int nanos = readVarInt(0, 999_999_999);
        return Duration.ofSeconds(seconds, nanos);
    }

    /**
     * A peer id.
     *
     * @return the id
     * @throws WireFormatException if truncated or not a well-formed peer id
     */
    public PeerId readPeerId() {
        String s = readString(PeerId.LENGTH);
        try {
            return new PeerId(s);
        } catch (IllegalArgumentException e) {
            throw new WireFormatException("peer id: malformed");
        }
    }

    /**
     * A list of at most {@code maxCount} elements, each read by {@code codec}; counts towards the depth limit.
     *
     * @param <E> the element type
     * @param maxCount the most elements accepted
     * @param codec reads one element
     * @return the elements, in order
     * @throws WireFormatException if the count is too large or a lie, an element is malformed, or nesting is too deep
     */
    public <E> List<E> readList(int maxCount, WireCodec<E> codec) {
        int n = readVarInt(0, maxCount);
        // Every element takes at least one byte: a count larger than what is left is a lie.
        need(n, "list of " + n);
        List<E> list = new ArrayList<>(n);
        enter();
        try {
            for (int i = 0; i < n; i++) {
                list.add(codec.read(this));
            }
        } finally {
            depth--;
        }
        return list;
    }

    /**
     * A nested value read by {@code codec}, counting towards the depth limit.
     *
     * @param <E> the value type
     * @param codec reads the value
     * @return the value
     * @throws WireFormatException if the value is malformed or nesting is too deep
     */
    public <E> E read(WireCodec<E> codec) {
        enter();
        try {
            return codec.read(this);
        } finally {
            depth--;
        }
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            depth--;
            throw new WireFormatException("nesting: deeper than " + MAX_DEPTH);
        }
    }

    /**
     * Whether every byte of the body was read: a codec may end with an optional part that older writers left out.
     *
     * @return true when no byte is left
     */
    public boolean atEnd() {
        return remaining() == 0;
    }
}
