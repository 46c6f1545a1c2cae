package dev.convene.overlay.wire;

import com.esotericsoftware.kryo.kryo5.Kryo;
import com.esotericsoftware.kryo.kryo5.Registration;
import com.esotericsoftware.kryo.kryo5.Serializer;
import com.esotericsoftware.kryo.kryo5.io.Input;
import com.esotericsoftware.kryo.kryo5.io.Output;
import com.esotericsoftware.kryo.kryo5.util.Pool;
import dev.convene.overlay.DropReason;
import dev.convene.overlay.Identity;
import dev.convene.overlay.PeerId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes and checks envelopes: the only place frames become bytes and bytes become messages. Two envelopes
 * share one header; the version byte says which trailer follows the body.
 *
 * <pre>
 *   offset  size  field
 *   0       4     magic "CNV1"
 *   4       1     version: 1 = signed, 2 = authenticated by a pair key
 *   5       2     type id (unsigned)
 *   7       4     body length (0 .. maxBody, checked before any allocation)
 *   11      n     body (Kryo, registration required, one custom serializer per type)
 *
 *   version 1 (signed: advertisements and requests for them, before two peers share a key)
 *   11+n    32    signer: raw Ed25519 public key
 *   43+n    64    signature over bytes [0, 11+n) followed by the 16-byte sender tag
 *
 *   version 2 (every other frame, between peers that exchanged advertisements)
 *   11+n    8     sequence number of this frame from its sender to its receiver (big-endian, from 1)
 *   19+n    32    HMAC-SHA256 under the sender-to-receiver key over bytes [0, 19+n)
 *
 *   version 3 (unauthenticated: no trailer; the receiver admits one type only, an echo it can check itself)
 * </pre>
 *
 * The sender tag is the sender's transport address; binding it into the signature means a frame
 * replayed from another address does not verify. The signature or MAC is checked over the raw bytes
 * before the body is decoded. Thread-safe: Kryo instances come from a pool.
 */
public final class FrameCodec {
    static final byte[] MAGIC = {'C', 'N', 'V', '1'};
    static final int VERSION = 1;
    /** The version of frames authenticated by a pair key. */
    static final int MAC_VERSION = 2;
    /** The version of unauthenticated frames (no trailer). */
    static final int OPEN_VERSION = 3;
    static final int HEADER = 11;
    static final int TRAILER = Identity.KEY_LENGTH + Identity.SIGNATURE_LENGTH;
    static final int MAC_TRAILER = 8 + FrameMac.LENGTH;
    /** Bytes a signed frame adds around its body. */
    public static final int OVERHEAD = HEADER + TRAILER;
    /** Bytes a frame authenticated by a pair key adds around its body. */
    public static final int MAC_OVERHEAD = HEADER + MAC_TRAILER;
    /** Length of the sender tag bound into each signature. */
    public static final int TAG_LENGTH = 16;

    private final Map<Integer, MessageType<?>> byId;
    private final Map<Class<?>, MessageType<?>> byClass;
    private final int maxFrame;
    private final Pool<Kryo> kryos;

    /**
     * @param types the closed set of message types, with unique ids and classes
     * @param maxFrame the largest frame accepted or sent, in bytes
     */
    public FrameCodec(List<MessageType<?>> types, int maxFrame) {
        if (maxFrame < OVERHEAD + 1) throw new IllegalArgumentException("maxFrame: " + maxFrame + " (expected: > " + OVERHEAD + ")");
        Map<Integer, MessageType<?>> ids = new HashMap<>();
        Map<Class<?>, MessageType<?>> classes = new HashMap<>();
        for (MessageType<?> t : types) {
            if (ids.put(t.id(), t) != null) throw new IllegalArgumentException("type id " + t.id() + " registered twice");
            if (classes.put(t.type(), t) != null) throw new IllegalArgumentException(t.type().getName() + " registered twice");
        }
        this.byId = Map.copyOf(ids);
        this.byClass = Map.copyOf(classes);
        this.maxFrame = maxFrame;
        List<MessageType<?>> frozen = List.copyOf(new ArrayList<>(types));
        this.kryos = new Pool<>(true, false, 16) {
            @Override
            protected Kryo create() {
                Kryo kryo = new Kryo();
                kryo.setRegistrationRequired(true);
                kryo.setReferences(false);
                kryo.setMaxDepth(WireReader.MAX_DEPTH);
                for (MessageType<?> t : frozen) {
                    kryo.register(t.type(), new CodecSerializer<>(t.codec()), t.id());
                }
                return kryo;
            }
        };
    }

    /**
     * The largest frame, in bytes.
     *
     * @return the cap
     */
    public int maxFrame() {
        return maxFrame;
    }

    /**
     * The registered type of {@code message}'s class, if any.
     *
     * @param message a message
     * @return its type, or null if its class is not registered
     */
    public MessageType<?> typeOf(Object message) {
        return byClass.get(message.getClass());
    }

    /**
     * Encodes and signs {@code message} into a version-1 frame.
     *
     * @param message a message of a registered type
     * @param signer whose key signs the frame
     * @param senderTag the sender's transport tag, bound into the signature
     * @return the frame
     * @throws IllegalArgumentException if the type is not registered or the frame would exceed the cap
     */
    public byte[] encode(Object message, Identity signer, byte[] senderTag) {
        MessageType<?> type = byClass.get(message.getClass());
        if (type == null) {
            throw new IllegalArgumentException(message.getClass().getName() + " is not a registered message type");
        }
        checkTag(senderTag);
        Kryo kryo = kryos.obtain();
        byte[] frame;
        try {
            Output out = new Output(256, maxFrame);
            out.writeBytes(MAGIC);
            out.writeByte(VERSION);
            // Header fields are big-endian, written by hand (Kryo 5's fixed-width ints are little-endian).
            out.writeByte(type.id() >>> 8);
            out.writeByte(type.id());
            out.writeInt(0); // body length, patched below
            try {
                kryo.writeObject(out, message);
            } catch (com.esotericsoftware.kryo.kryo5.io.KryoBufferOverflowException e) {
                throw new IllegalArgumentException("message of " + type.type().getSimpleName() + " exceeds the frame cap of "
                        + maxFrame + " bytes; send less at once");
            }
            int bodyLength = out.position() - HEADER;
            if (HEADER + bodyLength + TRAILER > maxFrame) {
                throw new IllegalArgumentException("message of " + type.type().getSimpleName() + " is " + bodyLength
                        + " bytes, over the frame cap of " + maxFrame + "; send less at once");
            }
            frame = Arrays.copyOf(out.getBuffer(), HEADER + bodyLength + TRAILER);
            ByteBuffer.wrap(frame).putInt(7, bodyLength);
        } finally {
            kryos.free(kryo);
        }
        int signedLength = frame.length - TRAILER;
        byte[] signature = signer.sign(signedBytes(frame, signedLength, senderTag));
        byte[] key = signer.signingKey();
        System.arraycopy(key, 0, frame, signedLength, key.length);
        System.arraycopy(signature, 0, frame, signedLength + key.length, signature.length);
        return frame;
    }

    /**
     * Checks and decodes a frame: sizes, magic, version, length, type, signature, then the body.
     *
     * @param buf the bytes received
     * @param offset where the frame starts in {@code buf}
     * @param length the frame's length
     * @param senderTag the transport tag of the address it came from, which the signature must cover
     * @return the verified frame
     * @throws FrameException with the reason to count, for anything wrong
     */
    public Frame decode(byte[] buf, int offset, int length, byte[] senderTag) throws FrameException {
        if (length > maxFrame) throw new FrameException(DropReason.OVERSIZED, length + " bytes > cap " + maxFrame);
        if (length < OVERHEAD) throw new FrameException(DropReason.TRUNCATED, length + " bytes < minimum " + OVERHEAD);
        if (!Arrays.equals(buf, offset, offset + 4, MAGIC, 0, 4)) throw new FrameException(DropReason.BAD_MAGIC, "no CNV1 magic");
        int version = buf[offset + 4] & 0xFF;
        if (version != VERSION) throw new FrameException(DropReason.BAD_VERSION, "version " + version + " (expected: " + VERSION + ")");
        ByteBuffer bb = ByteBuffer.wrap(buf, offset, length);
        int typeId = bb.getShort(offset + 5) & 0xFFFF;
        int bodyLength = bb.getInt(offset + 7);
        if (bodyLength < 0) throw new FrameException(DropReason.BAD_LENGTH, "negative body length " + bodyLength);
        if (bodyLength > maxFrame - OVERHEAD) throw new FrameException(DropReason.OVERSIZED, "declared body " + bodyLength + " > cap");
        if (HEADER + bodyLength + TRAILER > length) {
            throw new FrameException(DropReason.TRUNCATED, "declared body " + bodyLength + " but only " + length + " bytes");
        }
        if (HEADER + bodyLength + TRAILER < length) {
            throw new FrameException(DropReason.BAD_LENGTH, (length - HEADER - bodyLength - TRAILER) + " trailing bytes");
        }
        MessageType<?> type = byId.get(typeId);
        if (type == null) throw new FrameException(DropReason.UNKNOWN_TYPE, "type id " + typeId);
        checkTag(senderTag);
        int signedLength = HEADER + bodyLength;
        byte[] signerKey = Arrays.copyOfRange(buf, offset + signedLength, offset + signedLength + Identity.KEY_LENGTH);
        byte[] signature = Arrays.copyOfRange(buf, offset + signedLength + Identity.KEY_LENGTH, offset + length);
        byte[] signed = new byte[signedLength + TAG_LENGTH];
        System.arraycopy(buf, offset, signed, 0, signedLength);
        System.arraycopy(senderTag, 0, signed, signedLength, TAG_LENGTH);
        if (!Identity.verify(signerKey, signed, signature)) {
            throw new FrameException(DropReason.BAD_SIGNATURE, "signature does not verify for type " + typeId);
        }
        Object body = decodeBody(type, buf, offset + HEADER, bodyLength);
        return new Frame(type, body, PeerId.fromSigningKey(signerKey), signerKey);
    }

    /**
     * The checked header of a frame of either version.
     *
     * @param version the frame version, 1 (signed) or 2 (MAC)
     * @param type the registered message type
     * @param bodyLength the body's length, checked against the bytes that came
     */
    public record Header(int version, MessageType<?> type, int bodyLength) {
        /**
         * True for a frame authenticated by a pair key (version 2).
         *
         * @return whether the frame carries a MAC rather than a signature
         */
        public boolean authenticatedByPairKey() {
            return version == MAC_VERSION;
        }

        /**
         * True for an unauthenticated frame (version 3), which carries no trailer.
         *
         * @return whether nothing authenticates the frame
         */
        public boolean unauthenticated() {
            return version == OPEN_VERSION;
        }

        /**
         * A copy of {@code length} bytes of the body, starting {@code fromEnd} bytes before its end, without
         * decoding the body or using a key.
         *
         * @param buf the bytes received
         * @param offset where the frame starts in {@code buf}
         * @param fromEnd how many bytes before the end of the body the copy starts
         * @param length how many bytes to copy, at most {@code fromEnd}
         * @return the bytes, or null if the body is shorter than {@code fromEnd}
         */
        public byte[] bodyTail(byte[] buf, int offset, int fromEnd, int length) {
            if (fromEnd > bodyLength || length > fromEnd || length < 0) return null;
            int from = offset + HEADER + bodyLength - fromEnd;
            return Arrays.copyOfRange(buf, from, from + length);
        }

        /**
         * Whether the body ends with {@code tail}, compared in constant time without decoding the body or using
         * a key: for a field a receiver must see before it spends a signature check.
         *
         * @param buf the bytes received
         * @param offset where the frame starts in {@code buf}
         * @param tail the expected last bytes of the body
         * @return true if the body is at least as long as {@code tail} and ends with it
         */
        public boolean bodyEndsWith(byte[] buf, int offset, byte[] tail) {
            if (bodyLength < tail.length) return false;
            int from = offset + HEADER + bodyLength - tail.length;
            int diff = 0;
            for (int i = 0; i < tail.length; i++) diff |= buf[from + i] ^ tail[i];
            return diff == 0;
        }
    }

    /**
     * Checks what every frame has: size, magic, version, declared body length against the bytes that came,
     * and the type. Nothing is allocated and no key is used.
     *
     * @param buf the bytes received
     * @param offset where the frame starts in {@code buf}
     * @param length the frame's length
     * @return the checked header
     * @throws FrameException with the reason to count, for anything wrong
     */
    public Header header(byte[] buf, int offset, int length) throws FrameException {
        if (length > maxFrame) throw new FrameException(DropReason.OVERSIZED, length + " bytes > cap " + maxFrame);
        if (length < MAC_OVERHEAD) throw new FrameException(DropReason.TRUNCATED, length + " bytes < minimum " + MAC_OVERHEAD);
        if (!Arrays.equals(buf, offset, offset + 4, MAGIC, 0, 4)) throw new FrameException(DropReason.BAD_MAGIC, "no CNV1 magic");
        int version = buf[offset + 4] & 0xFF;
        if (version != VERSION && version != MAC_VERSION && version != OPEN_VERSION) {
            throw new FrameException(DropReason.BAD_VERSION, "version " + version + " (expected: " + VERSION + ", " + MAC_VERSION
                    + " or " + OPEN_VERSION + ")");
        }
        int trailer = version == VERSION ? TRAILER : version == MAC_VERSION ? MAC_TRAILER : 0;
        if (length < HEADER + trailer) throw new FrameException(DropReason.TRUNCATED, length + " bytes < minimum " + (HEADER + trailer));
        ByteBuffer bb = ByteBuffer.wrap(buf, offset, length);
        int typeId = bb.getShort(offset + 5) & 0xFFFF;
        int bodyLength = bb.getInt(offset + 7);
        if (bodyLength < 0) throw new FrameException(DropReason.BAD_LENGTH, "negative body length " + bodyLength);
        if (bodyLength > maxFrame - HEADER - trailer) throw new FrameException(DropReason.OVERSIZED, "declared body " + bodyLength + " > cap");
        if (HEADER + bodyLength + trailer > length) {
            throw new FrameException(DropReason.TRUNCATED, "declared body " + bodyLength + " but only " + length + " bytes");
        }
        if (HEADER + bodyLength + trailer < length) {
            throw new FrameException(DropReason.BAD_LENGTH, (length - HEADER - bodyLength - trailer) + " trailing bytes");
        }
        MessageType<?> type = byId.get(typeId);
        if (type == null) throw new FrameException(DropReason.UNKNOWN_TYPE, "type id " + typeId);
        return new Header(version, type, bodyLength);
    }

    /**
     * Encodes {@code message} into an unauthenticated version-3 frame (no trailer): only for a message whose
     * receiver checks it by itself (an echo of a nonce the receiver chose).
     *
     * @param message a message of a registered type
     * @return the frame
     * @throws IllegalArgumentException if the type is not registered or the frame would exceed the cap
     */
    public byte[] encodeUnauthenticated(Object message) {
        byte[] unsealed = encodeUnsealed(message);
        byte[] frame = Arrays.copyOf(unsealed, unsealed.length - MAC_TRAILER);
        frame[4] = (byte) OPEN_VERSION;
        return frame;
    }

    /**
     * Encodes {@code message} into a version-2 frame whose sequence number and MAC are still zero: encode once,
     * then {@link #seal} a copy for each receiver.
     *
     * @param message a message of a registered type
     * @return the unsealed frame
     * @throws IllegalArgumentException if the type is not registered or the frame would exceed the cap
     */
    public byte[] encodeUnsealed(Object message) {
        MessageType<?> type = byClass.get(message.getClass());
        if (type == null) {
            throw new IllegalArgumentException(message.getClass().getName() + " is not a registered message type");
        }
        Kryo kryo = kryos.obtain();
        try {
            Output out = new Output(256, maxFrame);
            out.writeBytes(MAGIC);
            out.writeByte(MAC_VERSION);
            out.writeByte(type.id() >>> 8);
            out.writeByte(type.id());
            out.writeInt(0); // body length, patched below
            try {
                kryo.writeObject(out, message);
            } catch (com.esotericsoftware.kryo.kryo5.io.KryoBufferOverflowException e) {
                throw new IllegalArgumentException("message of " + type.type().getSimpleName() + " exceeds the frame cap of "
                        + maxFrame + " bytes; send less at once");
            }
            int bodyLength = out.position() - HEADER;
            if (HEADER + bodyLength + MAC_TRAILER > maxFrame) {
                throw new IllegalArgumentException("message of " + type.type().getSimpleName() + " is " + bodyLength
                        + " bytes, over the frame cap of " + maxFrame + "; send less at once");
            }
            byte[] frame = Arrays.copyOf(out.getBuffer(), HEADER + bodyLength + MAC_TRAILER);
            ByteBuffer.wrap(frame).putInt(7, bodyLength);
            return frame;
        } finally {
            kryos.free(kryo);
        }
    }

    /**
     * A sealed copy of a frame from {@link #encodeUnsealed}: its sequence number and MAC under {@code key}.
     *
     * @param unsealed the frame from {@link #encodeUnsealed}, left unchanged
     * @param sequence the sender's next sequence number to this receiver, {@code > 0}
     * @param key the sender-to-receiver pair key
     * @return the sealed frame
     * @throws IllegalArgumentException if {@code sequence} is not positive
     */
    public static byte[] seal(byte[] unsealed, long sequence, byte[] key) {
        if (sequence < 1) throw new IllegalArgumentException("sequence: " + sequence + " (expected: > 0)");
        byte[] frame = unsealed.clone();
        int seqAt = frame.length - MAC_TRAILER;
        ByteBuffer.wrap(frame).putLong(seqAt, sequence);
        FrameMac.compute(key, frame, 0, seqAt + 8, frame, seqAt + 8);
        return frame;
    }

    /**
     * A version-2 frame around any body bytes, sealed under {@code key}: for tests that build hostile frames.
     *
     * @param typeId the type id to declare
     * @param body the body bytes, unchecked
     * @param sequence the sequence number, {@code > 0}
     * @param key the pair key
     * @return the sealed frame
     */
    public static byte[] sealBody(int typeId, byte[] body, long sequence, byte[] key) {
        byte[] unsealed = new byte[HEADER + body.length + MAC_TRAILER];
        ByteBuffer.wrap(unsealed).put(MAGIC).put((byte) MAC_VERSION).putShort((short) typeId).putInt(body.length).put(body);
        return seal(unsealed, sequence, key);
    }

    /**
     * Checks the MAC of a version-2 frame under the sender-to-receiver key and returns its sequence number.
     *
     * @param header the frame's checked header
     * @param buf the bytes received
     * @param offset where the frame starts in {@code buf}
     * @param key the sender-to-receiver pair key
     * @return the frame's sequence number, for the caller's replay check
     * @throws IllegalArgumentException if the header is not of a version-2 frame
     * @throws FrameException {@link DropReason#BAD_MAC} if it does not verify
     */
    public static long verifyMac(Header header, byte[] buf, int offset, byte[] key) throws FrameException {
        if (!header.authenticatedByPairKey()) throw new IllegalArgumentException("not a version-2 frame");
        int seqAt = offset + HEADER + header.bodyLength();
        if (!FrameMac.verify(key, buf, offset, HEADER + header.bodyLength() + 8, buf, seqAt + 8)) {
            throw new FrameException(DropReason.BAD_MAC, "MAC does not verify for type " + header.type().id());
        }
        return ByteBuffer.wrap(buf).getLong(seqAt);
    }

    /**
     * Decodes the body of a frame whose header was checked and whose authenticator verified.
     *
     * @param header the frame's checked header
     * @param buf the bytes received
     * @param offset where the frame starts in {@code buf}
     * @return the message
     * @throws FrameException {@link DropReason#MALFORMED_BODY} if the body does not decode
     */
    public Object body(Header header, byte[] buf, int offset) throws FrameException {
        return decodeBody(header.type(), buf, offset + HEADER, header.bodyLength());
    }

    private Object decodeBody(MessageType<?> type, byte[] buf, int offset, int length) throws FrameException {
        Kryo kryo = kryos.obtain();
        try {
            Input in = new Input(buf, offset, length);
            Object body = kryo.readObject(in, type.type());
            if (in.position() != offset + length) {
                throw new FrameException(DropReason.MALFORMED_BODY, (offset + length - in.position()) + " unread body bytes");
            }
            if (body == null) throw new FrameException(DropReason.MALFORMED_BODY, "empty body");
            return body;
        } catch (FrameException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            // KryoException, WireFormatException, validation in a record's constructor, ...: all count the same.
            throw new FrameException(DropReason.MALFORMED_BODY, type.type().getSimpleName() + ": " + e.getMessage());
        } finally {
            kryo.reset();
            kryos.free(kryo);
        }
    }

    private static byte[] signedBytes(byte[] frame, int signedLength, byte[] tag) {
        byte[] signed = Arrays.copyOf(frame, signedLength + TAG_LENGTH);
        System.arraycopy(tag, 0, signed, signedLength, TAG_LENGTH);
        return signed;
    }

    private static void checkTag(byte[] tag) {
        if (tag == null || tag.length != TAG_LENGTH) throw new IllegalArgumentException("sender tag: expected " + TAG_LENGTH + " bytes");
    }

    /** Adapts a {@link WireCodec} to Kryo. */
    private static final class CodecSerializer<T> extends Serializer<T> {
        private final WireCodec<T> codec;

        CodecSerializer(WireCodec<T> codec) {
            super(false, true);
            this.codec = codec;
        }

        @Override
        public void write(Kryo kryo, Output output, T object) {
            codec.write(new WireWriter(output), object);
        }

        @Override
        public T read(Kryo kryo, Input input, Class<? extends T> type) {
            return codec.read(new WireReader(input));
        }
    }

    /** For tests: the registration Kryo would use for an id. */
    Registration registration(int id) {
        Kryo kryo = kryos.obtain();
        try {
            return kryo.getRegistration(id);
        } finally {
            kryos.free(kryo);
        }
    }
}
