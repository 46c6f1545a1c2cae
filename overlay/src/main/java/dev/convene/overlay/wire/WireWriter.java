package dev.convene.overlay.wire;

import com.esotericsoftware.kryo.kryo5.io.Output;
import dev.convene.overlay.PeerId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

/**
 * The write side of a message body: a thin layer over a Kryo {@link Output} that writes every string,
 * byte array and collection with a length prefix that {@link WireReader} bounds on the way back.
 * Not thread-safe; one per encoding.
 */
public final class WireWriter {
    private final Output out;

    WireWriter(Output out) {
        this.out = out;
    }

    /**
     * A boolean: one byte, 0 or 1.
     *
     * @param v the value
     * @return this writer
     */
    public WireWriter writeBoolean(boolean v) {
        out.writeBoolean(v);
        return this;
    }

    /**
     * One byte: the low eight bits of {@code v}.
     *
     * @param v the value
     * @return this writer
     */
    public WireWriter writeByte(int v) {
        out.writeByte(v);
        return this;
    }

    /**
     * A fixed-length int (four bytes).
     *
     * @param v the value
     * @return this writer
     */
    public WireWriter writeInt(int v) {
        out.writeInt(v);
        return this;
    }

    /**
     * A non-negative int, variable length.
     *
     * @param v the value, {@code >= 0}
     * @return this writer
     */
    public WireWriter writeVarInt(int v) {
        out.writeVarInt(v, true);
        return this;
    }

    /**
     * A fixed-length long (eight bytes).
     *
     * @param v the value
     * @return this writer
     */
    public WireWriter writeLong(long v) {
        out.writeLong(v);
        return this;
    }

    /**
     * A non-negative long, variable length.
     *
     * @param v the value, {@code >= 0}
     * @return this writer
     */
    public WireWriter writeVarLong(long v) {
        out.writeVarLong(v, true);
        return this;
    }

    /**
     * A string: its UTF-8 bytes with a length prefix.
     *
     * @param s the string
     * @return this writer
     */
    public WireWriter writeString(String s) {
        return writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A string or null: a presence flag, then the string.
     *
     * @param s the string, or null
     * @return this writer
     */
    public WireWriter writeNullableString(String s) {
        out.writeBoolean(s != null);
        return s == null ? this : writeString(s);
    }

    /**
     * A byte array with a length prefix.
     *
     * @param b the bytes
     * @return this writer
     */
    public WireWriter writeBytes(byte[] b) {
        out.writeVarInt(b.length, true);
        out.writeBytes(b);
        return this;
    }

    /**
     * An instant: epoch seconds and nanoseconds.
     *
     * @param t the instant
     * @return this writer
     */
    public WireWriter writeInstant(Instant t) {
        out.writeLong(t.getEpochSecond());
        out.writeVarInt(t.getNano(), true);
        return this;
    }

    /**
     * A duration: seconds and nanoseconds.
     *
     * @param d the duration
     * @return this writer
     */
    public WireWriter writeDuration(Duration d) {
        out.writeLong(d.getSeconds());
        out.writeVarInt(d.getNano(), true);
        return this;
    }

    /**
     * A peer id, as a string.
     *
     * @param id the id
     * @return this writer
     */
    public WireWriter writePeerId(PeerId id) {
        return writeString(id.value());
    }

    /**
     * A collection with a count prefix; each element written by {@code codec}, in iteration order.
     *
     * @param <E> the element type
     * @param items the elements
     * @param codec writes one element
     * @return this writer
     */
    public <E> WireWriter writeCollection(Collection<E> items, WireCodec<E> codec) {
        out.writeVarInt(items.size(), true);
        for (E item : items) {
            codec.write(this, item);
        }
        return this;
    }

    /**
     * A nested value written by its codec.
     *
     * @param <E> the value type
     * @param value the value
     * @param codec writes it
     * @return this writer
     */
    public <E> WireWriter write(E value, WireCodec<E> codec) {
        codec.write(this, value);
        return this;
    }
}
