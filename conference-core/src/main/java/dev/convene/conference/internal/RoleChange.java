package dev.convene.conference.internal;

import static dev.convene.conference.internal.Protocol.CONFERENCE_ID;
import static dev.convene.conference.internal.Protocol.MAX_REVISIONS;
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
 * The organiser grants ({@code organiser} true) or revokes the organiser role of a member; {@code revision}
 * grows with each change for that member. A co-organiser's act (an invitation, an end notice) is
 * authorised by the newest change dated at or before the act.
 */
record RoleChange(ConferenceId conference, PeerId peer, boolean organiser, int revision, Instant at, byte[] signature) {
    boolean verifies(byte[] organiserKey) {
        return Identity.verify(organiserKey, bytes(ROLE_BODY, this), signature);
    }

    boolean verifies(byte[] organiserKey, SignatureGate gate, PeerId from) {
        return gate.verify(from, organiserKey, () -> bytes(ROLE_BODY, this), signature);
    }

    static final WireCodec<RoleChange> ROLE_BODY = new WireCodec<>() {
        public void write(WireWriter out, RoleChange r) {
            out.write(r.conference(), CONFERENCE_ID).writePeerId(r.peer()).writeBoolean(r.organiser()).writeVarInt(r.revision())
                    .writeInstant(r.at());
        }

        public RoleChange read(WireReader in) {
            throw new UnsupportedOperationException("read ROLE instead");
        }
    };

    static final WireCodec<RoleChange> ROLE = new WireCodec<>() {
        public void write(WireWriter out, RoleChange r) {
            ROLE_BODY.write(out, r);
            out.writeBytes(r.signature());
        }

        public RoleChange read(WireReader in) {
            return new RoleChange(in.read(CONFERENCE_ID), in.readPeerId(), in.readBoolean(), in.readVarInt(1, MAX_REVISIONS),
                    readTime(in, "role time"), in.readBytesExactly(Identity.SIGNATURE_LENGTH));
        }
    };
}
