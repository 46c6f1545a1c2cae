package dev.convene.overlay.wire;

import dev.convene.overlay.Identity;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Builds and damages envelopes by hand, byte by byte, the way a hostile peer would: frames with any version,
 * type id and body, signed by any identity over any sender tag. Offsets follow the layout in {@link FrameCodec}.
 * Part of the test-jar.
 */
public final class TestFrames {
    /** Offset of the version byte. */
    public static final int VERSION_OFFSET = 4;
    /** Offset of the 2-byte type id. */
    public static final int TYPE_OFFSET = 5;
    /** Offset of the 4-byte body length. */
    public static final int LENGTH_OFFSET = 7;
    /** Offset of the body. */
    public static final int BODY_OFFSET = FrameCodec.HEADER;
    /** The wire version this build speaks. */
    public static final int VERSION = FrameCodec.VERSION;

    private TestFrames() {
    }

    /** A frame of version {@link #VERSION} around {@code body}, signed by {@code signer} over {@code tag}. */
    public static byte[] signed(int typeId, byte[] body, Identity signer, byte[] tag) {
        return signed(VERSION, typeId, body, signer, tag);
    }

    /** A frame of any version and type around {@code body}, signed by {@code signer} over {@code tag}. */
    public static byte[] signed(int version, int typeId, byte[] body, Identity signer, byte[] tag) {
        byte[] frame = new byte[FrameCodec.OVERHEAD + body.length];
        ByteBuffer b = ByteBuffer.wrap(frame);
        b.put(FrameCodec.MAGIC).put((byte) version).putShort((short) typeId).putInt(body.length).put(body);
        int signedLength = FrameCodec.HEADER + body.length;
        byte[] signedBytes = Arrays.copyOf(frame, signedLength + tag.length);
        System.arraycopy(tag, 0, signedBytes, signedLength, tag.length);
        b.put(signer.signingKey()).put(signer.sign(signedBytes));
        return frame;
    }

    /** The body of a well-formed frame (a copy). */
    public static byte[] body(byte[] frame) {
        return Arrays.copyOfRange(frame, BODY_OFFSET, BODY_OFFSET + bodyLength(frame));
    }

    /** The declared body length of a frame. */
    public static int bodyLength(byte[] frame) {
        return ByteBuffer.wrap(frame).getInt(LENGTH_OFFSET);
    }

    /** Offset of the signer's key in a well-formed frame. */
    public static int signerOffset(byte[] frame) {
        return FrameCodec.HEADER + bodyLength(frame);
    }

    /** Offset of the signature in a well-formed frame. */
    public static int signatureOffset(byte[] frame) {
        return signerOffset(frame) + Identity.KEY_LENGTH;
    }

    /** A copy with the declared body length replaced (not re-signed: lengths are checked before signatures). */
    public static byte[] withDeclaredLength(byte[] frame, int declared) {
        byte[] copy = frame.clone();
        ByteBuffer.wrap(copy).putInt(LENGTH_OFFSET, declared);
        return copy;
    }

    /** A copy with the type id replaced. */
    public static byte[] withType(byte[] frame, int typeId) {
        byte[] copy = frame.clone();
        ByteBuffer.wrap(copy).putShort(TYPE_OFFSET, (short) typeId);
        return copy;
    }

    /** A copy with byte {@code offset} set to {@code value}. */
    public static byte[] withByte(byte[] frame, int offset, int value) {
        byte[] copy = frame.clone();
        copy[offset] = (byte) value;
        return copy;
    }

    /** A copy with one bit flipped, counting bits from the start of the frame. */
    public static byte[] flipBit(byte[] frame, int bit) {
        byte[] copy = frame.clone();
        copy[bit / 8] ^= (byte) (1 << (bit % 8));
        return copy;
    }

    /** The first {@code length} bytes. */
    public static byte[] truncate(byte[] frame, int length) {
        return Arrays.copyOf(frame, length);
    }
}
