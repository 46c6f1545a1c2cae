package dev.convene.conference.internal;

import static dev.convene.conference.internal.Protocol.CONFERENCE_ID;
import static dev.convene.conference.internal.Protocol.MAX_REMOVALS;
import static dev.convene.conference.internal.Protocol.bytes;
import static dev.convene.conference.internal.Protocol.readTime;

import dev.convene.conference.ConferenceId;
import dev.convene.overlay.Identity;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.wire.WireCodec;
import dev.convene.overlay.wire.WireReader;
import dev.convene.overlay.wire.WireWriter;
import java.time.Instant;

/**
 * The organiser removes a peer; the content key moves to {@code newEpoch}, which the removed peer never gets.
 * {@code upTo} is the removed peer's last sequence the organiser held: its messages up to it stay valid,
 * every later one is invalid at every peer.
 */
record Removal(ConferenceId conference, PeerId peer, int newEpoch, Instant at, long upTo, PeerId signer, byte[] signature) {
    Removal {
        if (upTo < 0) throw new IllegalArgumentException("upTo: " + upTo);
    }

    /** A removal by the organiser. */
    Removal(ConferenceId conference, PeerId peer, int newEpoch, Instant at, long upTo, byte[] signature) {
        this(conference, peer, newEpoch, at, upTo, null, signature);
    }

    /** A removal that keeps none of the removed peer's messages. */
    Removal(ConferenceId conference, PeerId peer, int newEpoch, Instant at, byte[] signature) {
        this(conference, peer, newEpoch, at, 0, null, signature);
    }

    boolean verifies(byte[] signerKey) {
        return Identity.verify(signerKey, bytes(REMOVAL_BODY, this), signature);
    }

    boolean verifies(byte[] organiserKey, SignatureGate gate, PeerId from) {
        return gate.verify(from, organiserKey, () -> bytes(REMOVAL_BODY, this), signature);
    }

    static final WireCodec<Removal> REMOVAL_BODY = new WireCodec<>() {
        public void write(WireWriter out, Removal r) {
            out.write(r.conference(), CONFERENCE_ID).writePeerId(r.peer()).writeVarInt(r.newEpoch()).writeInstant(r.at())
                    .writeVarLong(r.upTo()).writeBoolean(r.signer() != null);
            if (r.signer() != null) out.writePeerId(r.signer());
        }

        public Removal read(WireReader in) {
            throw new UnsupportedOperationException("read REMOVAL instead");
        }
    };

    static final WireCodec<Removal> REMOVAL = new WireCodec<>() {
        public void write(WireWriter out, Removal r) {
            REMOVAL_BODY.write(out, r);
            out.writeBytes(r.signature());
        }

        public Removal read(WireReader in) {
            ConferenceId id = in.read(CONFERENCE_ID);
            PeerId peer = in.readPeerId();
            int epoch = in.readVarInt(1, MAX_REMOVALS);
            Instant at = readTime(in, "removal time");
            long upTo = in.readVarLong(0, Long.MAX_VALUE);
            PeerId signer = in.readBoolean() ? in.readPeerId() : null;
            return new Removal(id, peer, epoch, at, upTo, signer, in.readBytesExactly(Identity.SIGNATURE_LENGTH));
        }
    };
}
