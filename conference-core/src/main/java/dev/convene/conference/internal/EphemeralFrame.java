package dev.convene.conference.internal;

import static dev.convene.conference.internal.Protocol.CONFERENCE_ID;
import static dev.convene.conference.internal.Protocol.HLC;
import static dev.convene.conference.internal.Protocol.MAX_REMOVALS;
import static dev.convene.conference.internal.Protocol.MAX_TEXT_BYTES;

import dev.convene.conference.ConferenceId;
import dev.convene.conference.HlcTimestamp;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.wire.MessageType;
import dev.convene.overlay.wire.WireCodec;
import dev.convene.overlay.wire.WireReader;
import dev.convene.overlay.wire.WireWriter;

/**
 * An ephemeral event (type 111), sent to the participants online now and never stored or relayed. Its sender is
 * the peer whose authenticated overlay session delivered it (as for {@link StreamFrame}); the body is the typed
 * plaintext ({@link TypedEvents}) under the content key of {@code keyEpoch}, AES-GCM, bound by {@link #aad} to the
 * conference, the sender and the sequence.
 */
record EphemeralFrame(ConferenceId conference, long sequence, HlcTimestamp timestamp, int keyEpoch, byte[] body) {
    static final int MAX_BODY = MAX_TEXT_BYTES + 64;

    EphemeralFrame {
        if (conference == null || timestamp == null || body == null) throw new IllegalArgumentException("ephemeral frame: missing part");
        if (sequence < 1) throw new IllegalArgumentException("ephemeral frame: sequence " + sequence);
        if (body.length > MAX_BODY) throw new IllegalArgumentException("ephemeral frame: body over " + MAX_BODY);
    }

    /** The associated data: the body is readable only as this sender's event of this conference. */
    byte[] aad(PeerId sender) {
        return ("ephemeral|" + conference.value() + "|" + sender.value() + "|" + sequence).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    static final WireCodec<EphemeralFrame> CODEC = new WireCodec<>() {
        public void write(WireWriter out, EphemeralFrame f) {
            out.write(f.conference(), CONFERENCE_ID).writeVarLong(f.sequence()).write(f.timestamp(), HLC)
                    .writeVarInt(f.keyEpoch()).writeBytes(f.body());
        }

        public EphemeralFrame read(WireReader in) {
            ConferenceId id = in.read(CONFERENCE_ID);
            long seq = in.readVarLong(1, Long.MAX_VALUE);
            HlcTimestamp ts = in.read(HLC);
            int epoch = in.readVarInt(0, MAX_REMOVALS);
            byte[] body = in.readBytes(MAX_BODY);
            return new EphemeralFrame(id, seq, ts, epoch, body);
        }
    };

    static final MessageType<EphemeralFrame> TYPE = new MessageType<>(111, EphemeralFrame.class, CODEC);
}
