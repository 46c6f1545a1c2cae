package dev.convene.overlay;

import dev.convene.overlay.wire.MessageType;
import dev.convene.overlay.wire.WireCodec;
import dev.convene.overlay.wire.WireReader;
import dev.convene.overlay.wire.WireWriter;

/**
 * A small message type for overlay tests (id {@value #NOTE_ID}, in the range the overlay leaves to layers
 * above). Part of the test-jar.
 */
public final class TestMessages {
    /** The wire id of {@link Note}. */
    public static final int NOTE_ID = 100;
    /** Longest note text, in UTF-8 bytes. */
    public static final int MAX_TEXT = 64 << 10;

    private TestMessages() {
    }

    /**
     * A numbered line of text.
     *
     * @param seq a non-negative sequence number
     * @param text the text
     */
    public record Note(int seq, String text) {
        public Note {
            if (seq < 0) throw new IllegalArgumentException("seq: " + seq + " (expected: >= 0)");
        }
    }

    /** The codec of {@link Note}: a varint and a bounded string. */
    public static final WireCodec<Note> NOTE_CODEC = new WireCodec<>() {
        @Override
        public void write(WireWriter out, Note value) {
            out.writeVarInt(value.seq()).writeString(value.text());
        }

        @Override
        public Note read(WireReader in) {
            return new Note(in.readVarInt(0, Integer.MAX_VALUE), in.readString(MAX_TEXT));
        }
    };

    /** The {@link Note} type. */
    public static final MessageType<Note> NOTE = new MessageType<>(NOTE_ID, Note.class, NOTE_CODEC);
}
