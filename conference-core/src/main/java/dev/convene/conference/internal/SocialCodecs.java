package dev.convene.conference.internal;

import dev.convene.conference.EventType;
import dev.convene.conference.MessageId;
import dev.convene.conference.Reaction;
import dev.convene.overlay.PeerId;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The wire of the built-in types (PROTOCOL.md §2, Built-in types): a reference to a message is the author's
 * printed id (32 ASCII bytes) and the sequence (8 bytes, big endian, 1 or more); a reply is a chat message whose
 * plaintext is a typed event {@code convene.reply}/1 whose value is a reference and the text (UTF-8); a reaction's
 * value is a reference, one byte (1 add, 0 withdraw) and the emoji (UTF-8); typing's value is the one byte 1.
 * Every decoder checks what it reads and throws {@link IllegalArgumentException} on anything else. Public for the
 * API package only (this package is not exported).
 */
public final class SocialCodecs {
    /** The reserved first label of built-in type names. */
    public static final String NAMESPACE = "convene";
    /** The reply type's name. */
    public static final String REPLY_NAME = "convene.reply";
    /** The reply type's version. */
    public static final int REPLY_VERSION = 1;
    /** The bytes of a reference to a message. */
    public static final int REFERENCE_BYTES = PeerId.LENGTH + 8;
    /** The most bytes of a reply's text (the typed event's value limit less the reference). */
    public static final int MAX_REPLY_TEXT_BYTES = EventType.MAX_BYTES - REFERENCE_BYTES;

    private SocialCodecs() {
    }

    /** A decoded reply: the message it answers and its text. */
    record ReplyText(MessageId to, String text) {
    }

    /**
     * Writes a reference.
     *
     * @param id the message
     * @param out the buffer to write to
     */
    static void writeReference(MessageId id, ByteBuffer out) {
        out.put(id.author().value().getBytes(StandardCharsets.US_ASCII));
        out.putLong(id.sequence());
    }

    /** Reads a reference at the buffer's position; throws IllegalArgumentException if it is not well-formed. */
    static MessageId readReference(ByteBuffer in) {
        if (in.remaining() < REFERENCE_BYTES) throw new IllegalArgumentException("reference: too short");
        byte[] author = new byte[PeerId.LENGTH];
        in.get(author);
        for (byte b : author) {
            if (!(b >= 'a' && b <= 'z' || b >= '2' && b <= '7')) throw new IllegalArgumentException("reference: not a peer id");
        }
        long sequence = in.getLong();
        if (sequence < 1) throw new IllegalArgumentException("reference: sequence below 1");
        return new MessageId(new PeerId(new String(author, StandardCharsets.US_ASCII)), sequence);
    }

    /** Strict UTF-8: malformed or unmappable bytes throw IllegalArgumentException. */
    static String utf8(ByteBuffer in) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(in).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not UTF-8", e);
        }
    }

    /** The plaintext of a reply (a typed event of the reply type); the text is checked by the caller. */
    static byte[] replyPlaintext(MessageId to, String text) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(REFERENCE_BYTES + t.length);
        writeReference(to, b);
        b.put(t);
        return TypedEvents.plaintext(REPLY_NAME, REPLY_VERSION, b.array());
    }

    /** True if a (typed) plaintext is of the reply type, whatever its value. */
    static boolean isReply(TypedEvents.Parsed p) {
        return p != null && p.version() == REPLY_VERSION && p.name().equals(REPLY_NAME);
    }

    /**
     * Decodes a reply's value: a well-formed reference and a text of 1 to {@link #MAX_REPLY_TEXT_BYTES} bytes of
     * UTF-8, not blank; throws IllegalArgumentException otherwise.
     */
    static ReplyText reply(byte[] value) {
        if (value.length > REFERENCE_BYTES + MAX_REPLY_TEXT_BYTES) throw new IllegalArgumentException("reply: too long");
        ByteBuffer in = ByteBuffer.wrap(value);
        MessageId to = readReference(in);
        String text = utf8(in);
        if (text.isBlank()) throw new IllegalArgumentException("reply: blank text");
        return new ReplyText(to, text);
    }

    /**
     * Encodes a reaction.
     *
     * @param r the reaction
     * @return its bytes
     */
    public static byte[] encodeReaction(Reaction r) {
        byte[] e = r.emoji().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(REFERENCE_BYTES + 1 + e.length);
        writeReference(r.to(), b);
        b.put((byte) (r.added() ? 1 : 0));
        b.put(e);
        return b.array();
    }

    /**
     * Decodes a reaction.
     *
     * @param bytes the bytes received
     * @return the reaction
     * @throws IllegalArgumentException if they are not a well-formed reaction with a valid emoji
     */
    public static Reaction decodeReaction(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        MessageId to = readReference(in);
        if (!in.hasRemaining()) throw new IllegalArgumentException("reaction: no flag");
        byte flag = in.get();
        if (flag != 0 && flag != 1) throw new IllegalArgumentException("reaction: flag " + flag);
        String emoji = utf8(in);
        try {
            return new Reaction(to, emoji, flag == 1);
        } catch (dev.convene.conference.InvalidInputException e) {
            throw new IllegalArgumentException("reaction: " + e.getMessage(), e);
        }
    }

    /**
     * Encodes a typing signal.
     *
     * @param typing must be true
     * @return its bytes
     */
    public static byte[] encodeTyping(Boolean typing) {
        if (!typing) throw new IllegalArgumentException("typing: only true is sent");
        return new byte[] {1};
    }

    /**
     * Decodes a typing signal.
     *
     * @param bytes the bytes received
     * @return true
     * @throws IllegalArgumentException unless they are the one byte 1
     */
    public static Boolean decodeTyping(byte[] bytes) {
        if (!Arrays.equals(bytes, new byte[] {1})) throw new IllegalArgumentException("typing: not the byte 1");
        return Boolean.TRUE;
    }
}
