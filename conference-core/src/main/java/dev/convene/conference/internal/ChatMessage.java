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
 * author's {@link Frontier} (null: it had delivered nothing, or a message from before frontiers). {@code proof}
 * is empty when the signature covers this message's body alone; otherwise the signature covers a batch of messages
 * posted together and {@code proof} is this message's path to the batch's root ({@link BatchSignature}).
 */
record ChatMessage(ConferenceId conference, PeerId author, long sequence, HlcTimestamp timestamp, int keyEpoch,
                   byte[] body, byte[] signature, Frontier frontier, byte[] proof) {
    private static final byte[] NO_PROOF = new byte[0];

    ChatMessage {
        proof = proof == null ? NO_PROOF : BatchSignature.checkProof(proof);
    }

    /** A message signed by itself. */
    ChatMessage(ConferenceId conference, PeerId author, long sequence, HlcTimestamp timestamp, int keyEpoch,
                byte[] body, byte[] signature, Frontier frontier) {
        this(conference, author, sequence, timestamp, keyEpoch, body, signature, frontier, NO_PROOF);
    }

    /** A message without a frontier. */
    ChatMessage(ConferenceId conference, PeerId author, long sequence, HlcTimestamp timestamp, int keyEpoch,
                byte[] body, byte[] signature) {
        this(conference, author, sequence, timestamp, keyEpoch, body, signature, null);
    }

    /** This message with {@code signature} and {@code proof} (the author's signature of its batch, or of it alone). */
    ChatMessage signed(byte[] signature, byte[] proof) {
        return new ChatMessage(conference, author, sequence, timestamp, keyEpoch, body, signature, frontier, proof);
    }

    /** Whether its signature covers a batch (it carries a path to the batch's root). */
    boolean batched() {
        return proof.length > 0;
    }

    /** The bytes its author's signature covers: its body alone, or its batch's statement (root from its path). */
    byte[] signedBytes() {
        return batched() ? BatchSignature.statement(BatchSignature.root(this)) : bytes(CHAT_BODY, this);
    }

    MessageId id() {
        return new MessageId(author, sequence);
    }

    byte[] aad() {
        return (conference.value() + "|" + author.value() + "|" + sequence).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    boolean verifies(byte[] authorKey) {
        return Identity.verify(authorKey, signedBytes(), signature);
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
            // The batch path last (empty: signed alone); a stored row from before batch signatures ends before it.
            out.writeBytes(m.proof());
        }

        public ChatMessage read(WireReader in) {
            return readFields(in, false);
        }
    };

    /**
     * {@link #CHAT} as stored: a row written before frontiers ends at the signature and reads as a message without
     * one, a row written before batch signatures ends after the frontier and reads as signed alone. On the wire both
     * are required, so a truncated frame is never taken for an older one.
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
        byte[] proof = frontierOptional && in.atEnd() ? NO_PROOF : in.readBytes(BatchSignature.MAX_STEPS * BatchSignature.STEP);
        return new ChatMessage(id, author, seq, ts, epoch, body, sig, frontier, proof);
    }
}
