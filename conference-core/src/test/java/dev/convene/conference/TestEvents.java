package dev.convene.conference;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The event types of the events tests: a poll vote (durable) and a cursor position (ephemeral). */
public final class TestEvents {
    private TestEvents() {
    }

    /** A cursor position. */
    public record Cursor(int x, int y) {
    }

    /** UTF-8 text; refuses bytes that start with '!' (a value a stricter peer does not accept). */
    public static final EventCodec<String> VOTE_CODEC = new EventCodec<>() {
        public byte[] encode(String value) {
            return value.getBytes(StandardCharsets.UTF_8);
        }

        public String decode(byte[] bytes) {
            if (bytes.length > 0 && bytes[0] == '!') throw new IllegalArgumentException("not a vote");
            return new String(bytes, StandardCharsets.UTF_8);
        }
    };

    /** Any text, as a lenient (or malicious) peer encodes it. */
    public static final EventCodec<String> LENIENT_CODEC = new EventCodec<>() {
        public byte[] encode(String value) {
            return value.getBytes(StandardCharsets.UTF_8);
        }

        public String decode(byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    };

    /** Two ints, exactly 8 bytes. */
    public static final EventCodec<Cursor> CURSOR_CODEC = new EventCodec<>() {
        public byte[] encode(Cursor c) {
            return ByteBuffer.allocate(8).putInt(c.x()).putInt(c.y()).array();
        }

        public Cursor decode(byte[] bytes) {
            if (bytes.length != 8) throw new IllegalArgumentException("cursor: " + bytes.length + " bytes");
            ByteBuffer b = ByteBuffer.wrap(bytes);
            return new Cursor(b.getInt(), b.getInt());
        }
    };

    public static final EventType<String> POLL = EventType.of("com.example.poll.vote", 1, VOTE_CODEC, Delivery.DURABLE);
    public static final EventType<Cursor> CURSOR = EventType.of("com.example.cursor", 1, CURSOR_CODEC, Delivery.EPHEMERAL);
}
