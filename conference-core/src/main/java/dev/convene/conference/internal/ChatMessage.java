package dev.convene.conference.internal;

import static dev.convene.conference.internal.Protocol.CONFERENCE_ID;
import static dev.convene.conference.internal.Protocol.HLC;
import static dev.convene.conference.internal.Protocol.MAX_REMOVALS;
import static dev.convene.conference.internal.Protocol.MAX_TEXT_BYTES;
import static dev.convene.conference.internal.Protocol.bytes;

import dev.convene.conference.ConferenceId;
import dev.convene.conference.HlcTimestamp;
import dev.convene.conference.MessageId;
import dev.convene.overlay.Identity;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.wire.WireCodec;
import dev.convene.overlay.wire.WireReader;
import dev.convene.overlay.wire.WireWriter;

/**
 * A chat message: encrypted body under the content key of {@code keyEpoch}, signed by its author, with the
 * author's {@link Frontier} (null: it had delivered nothing, or a message from before frontiers).
 */
record ChatMessage(ConferenceId conference, PeerId author, long sequence, HlcTimestamp timestamp, int keyEpoch,
                   byte[] body, byte[] signature, Frontier frontier) {
    /** A message without a frontier. */
    ChatMessage(ConferenceId conference, PeerId author, long sequence, HlcTimestamp timestamp, int keyEpoch,
                byte[] body, byte[] signature) {
        this(conference, author, sequence, timestamp, keyEpoch, body, signature, null);
    }

    MessageId id() {
        return new MessageId(author, sequence);
    }

    byte[] aad() {
        return (conference.value() + "|" + author.value() + "|" + sequence).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    boolean verifies(byte[] authorKey) {
        return Identity.verify(authorKey, bytes(CHAT_BODY, this), signature);
    }

    static final WireCodec<ChatMessage> CHAT_BODY = new WireCodec<>() {
        public void write(WireWriter out, ChatMessage m) {
            out.write(m.conference(), CONFERENCE_ID).writePeerId(m.author()).writeVarLong(m.sequence())
                    .write(m.timestamp(), HLC).writeVarInt(m.keyEpoch()).writeBytes(m.body());
            // Only when present, so a message from before frontiers signs (and is stored as) the same bytes as then.
            if (m.frontier() != null) Frontier.CODEC.write(out, m.frontier());
        }

        public ChatMessage read(WireReader in) {
            throw new UnsupportedOperationException("read CHAT instead");
        }
    };

    static final WireCodec<ChatMessage> CHAT = new WireCodec<>() {
        public void write(WireWriter out, ChatMessage m) {
            out.write(m.conference(), CONFERENCE_ID).writePeerId(m.author()).writeVarLong(m.sequence())
                    .write(m.timestamp(), HLC).writeVarInt(m.keyEpoch()).writeBytes(m.body());
            out.writeBytes(m.signature());
            // After the signature, marked 0 (none) or 1: a stored row from before frontiers (nothing after the
            // signature) still decodes, as a message without one (STORED_CHAT).
            if (m.frontier() == null) out.writeByte(0);
            else Frontier.CODEC.write(out, m.frontier());
        }

        public ChatMessage read(WireReader in) {
            return readFields(in, false);
        }
    };

    /**
     * {@link #CHAT} as stored: a row written before frontiers ends at the signature and reads as a message without
     * one. On the wire the marker is required, so a truncated frame is never taken for an older one.
     */
    static final WireCodec<ChatMessage> STORED_CHAT = new WireCodec<>() {
        public void write(WireWriter out, ChatMessage m) {
            CHAT.write(out, m);
        }

        public ChatMessage read(WireReader in) {
            return readFields(in, true);
        }
    };

    private static ChatMessage readFields(WireReader in, boolean frontierOptional) {
        ConferenceId id = in.read(CONFERENCE_ID);
        PeerId author = in.readPeerId();
        long seq = in.readVarLong(1, Long.MAX_VALUE);
        HlcTimestamp ts = in.read(HLC);
        int epoch = in.readVarInt(0, MAX_REMOVALS);
        byte[] body = in.readBytes(MAX_TEXT_BYTES + 64);
        byte[] sig = in.readBytesExactly(Identity.SIGNATURE_LENGTH);
        Frontier frontier = frontierOptional && in.atEnd() ? null : in.read(Frontier.CODEC);
        return new ChatMessage(id, author, seq, ts, epoch, body, sig, frontier);
    }
}
