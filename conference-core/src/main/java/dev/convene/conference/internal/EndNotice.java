package dev.convene.conference.internal;

import static dev.convene.conference.internal.Protocol.CONFERENCE_ID;
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
 * An organiser ends (or, before the start, cancels) a conference; {@code signer} is a co-organiser, or null
 * for the organiser itself. Of several, the earliest wins at every peer.
 */
record EndNotice(ConferenceId conference, Instant at, PeerId signer, byte[] signature) {
    /** An end notice by the organiser. */
    EndNotice(ConferenceId conference, Instant at, byte[] signature) {
        this(conference, at, null, signature);
    }

    boolean verifies(byte[] signerKey) {
        return Identity.verify(signerKey, bytes(END_BODY, this), signature);
    }

    boolean verifies(byte[] signerKey, SignatureGate gate, PeerId from) {
        return gate.verify(from, signerKey, () -> bytes(END_BODY, this), signature);
    }

    static final WireCodec<EndNotice> END_BODY = new WireCodec<>() {
        public void write(WireWriter out, EndNotice e) {
            out.write(e.conference(), CONFERENCE_ID).writeInstant(e.at()).writeBoolean(e.signer() != null);
            if (e.signer() != null) out.writePeerId(e.signer());
        }

        public EndNotice read(WireReader in) {
            throw new UnsupportedOperationException("read END instead");
        }
    };

    static final WireCodec<EndNotice> END = new WireCodec<>() {
        public void write(WireWriter out, EndNotice e) {
            END_BODY.write(out, e);
            out.writeBytes(e.signature());
        }

        public EndNotice read(WireReader in) {
            ConferenceId id = in.read(CONFERENCE_ID);
            Instant at = readTime(in, "end time");
            PeerId signer = in.readBoolean() ? in.readPeerId() : null;
            return new EndNotice(id, at, signer, in.readBytesExactly(Identity.SIGNATURE_LENGTH));
        }
    };
}
