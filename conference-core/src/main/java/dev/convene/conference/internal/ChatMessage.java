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

/** A chat message: encrypted body under the content key of {@code keyEpoch}, signed by its author. */
record ChatMessage(ConferenceId conference, PeerId author, long sequence, HlcTimestamp timestamp, int keyEpoch,
                   byte[] body, byte[] signature) {
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
        }

        public ChatMessage read(WireReader in) {
            throw new UnsupportedOperationException("read CHAT instead");
        }
    };

    static final WireCodec<ChatMessage> CHAT = new WireCodec<>() {
        public void write(WireWriter out, ChatMessage m) {
            CHAT_BODY.write(out, m);
            out.writeBytes(m.signature());
        }

        public ChatMessage read(WireReader in) {
            ConferenceId id = in.read(CONFERENCE_ID);
            PeerId author = in.readPeerId();
            long seq = in.readVarLong(1, Long.MAX_VALUE);
            HlcTimestamp ts = in.read(HLC);
            int epoch = in.readVarInt(0, MAX_REMOVALS);
            byte[] body = in.readBytes(MAX_TEXT_BYTES + 64);
            byte[] sig = in.readBytesExactly(Identity.SIGNATURE_LENGTH);
            return new ChatMessage(id, author, seq, ts, epoch, body, sig);
        }
    };
}
