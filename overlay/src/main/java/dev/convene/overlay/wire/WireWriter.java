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

    public WireWriter writeBoolean(boolean v) {
        out.writeBoolean(v);
        return this;
    }

    public WireWriter writeByte(int v) {
        out.writeByte(v);
        return this;
    }

    public WireWriter writeInt(int v) {
        out.writeInt(v);
        return this;
    }

    /** A non-negative int, variable length. */
    public WireWriter writeVarInt(int v) {
        out.writeVarInt(v, true);
        return this;
    }

    public WireWriter writeLong(long v) {
        out.writeLong(v);
        return this;
    }

    /** A non-negative long, variable length. */
    public WireWriter writeVarLong(long v) {
        out.writeVarLong(v, true);
        return this;
    }

    /** UTF-8 bytes with a length prefix. */
    public WireWriter writeString(String s) {
        return writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A string or null. */
    public WireWriter writeNullableString(String s) {
        out.writeBoolean(s != null);
        return s == null ? this : writeString(s);
    }

    public WireWriter writeBytes(byte[] b) {
        out.writeVarInt(b.length, true);
        out.writeBytes(b);
        return this;
    }

    public WireWriter writeInstant(Instant t) {
        out.writeLong(t.getEpochSecond());
        out.writeVarInt(t.getNano(), true);
        return this;
    }

    public WireWriter writeDuration(Duration d) {
        out.writeLong(d.getSeconds());
        out.writeVarInt(d.getNano(), true);
        return this;
    }

    public WireWriter writePeerId(PeerId id) {
        return writeString(id.value());
    }

    /** A collection with a count prefix; each element written by {@code codec}. */
    public <E> WireWriter writeCollection(Collection<E> items, WireCodec<E> codec) {
        out.writeVarInt(items.size(), true);
        for (E item : items) {
            codec.write(this, item);
        }
        return this;
    }

    /** A nested value written by its codec. */
    public <E> WireWriter write(E value, WireCodec<E> codec) {
        codec.write(this, value);
        return this;
    }
}
