package dev.convene.overlay.wire;

import com.esotericsoftware.kryo.kryo5.io.Input;
import com.esotericsoftware.kryo.kryo5.io.Output;

/**
 * Canonical bytes of a value outside an envelope: what layers above sign (an invitation, a reply, a chat
 * message travels further than one hop, so it carries its author's signature over these bytes) and
 * what they store. The same value always gives the same bytes.
 */
public final class WireBytes {
    private WireBytes() {
    }

    /**
     * Encodes {@code value} with {@code codec}.
     *
     * @param <T> the value type
     * @param codec writes the value
     * @param value the value
     * @param maxBytes the most bytes the encoding may take
     * @return the canonical bytes
     * @throws IllegalArgumentException if the encoding exceeds {@code maxBytes}
     */
    public static <T> byte[] encode(WireCodec<T> codec, T value, int maxBytes) {
        Output out = new Output(128, maxBytes);
        try {
            codec.write(new WireWriter(out), value);
        } catch (com.esotericsoftware.kryo.kryo5.io.KryoBufferOverflowException e) {
            throw new IllegalArgumentException("value exceeds " + maxBytes + " bytes");
        }
        return out.toBytes();
    }

    /**
     * Decodes bytes made by {@link #encode}; every byte must be used.
     *
     * @param <T> the value type
     * @param codec reads the value
     * @param bytes the bytes
     * @return the value
     * @throws WireFormatException if malformed
     */
    public static <T> T decode(WireCodec<T> codec, byte[] bytes) {
        Input in = new Input(bytes);
        WireReader reader = new WireReader(in);
        T value;
        try {
            value = codec.read(reader);
        } catch (com.esotericsoftware.kryo.kryo5.KryoException e) {
            throw new WireFormatException("truncated: " + e.getMessage());
        }
        if (!reader.atEnd()) throw new WireFormatException("trailing bytes after " + value.getClass().getSimpleName());
        return value;
    }
}
