package dev.convene.conference.internal;

import static dev.convene.conference.internal.Protocol.CONFERENCE_ID;
import static dev.convene.conference.internal.Protocol.MAX_REMOVALS;
import static dev.convene.conference.internal.Protocol.bytes;

import dev.convene.conference.ConferenceId;
import dev.convene.overlay.Identity;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.wire.WireCodec;
import dev.convene.overlay.wire.WireReader;
import dev.convene.overlay.wire.WireWriter;

/**
 * The content key of {@code epoch}, sealed to {@code recipient} by whoever rotated it: the organiser
 * ({@code signer} null) or a co-organiser.
 */
record KeyGrant(ConferenceId conference, PeerId recipient, int epoch, byte[] sealedKey, PeerId signer, byte[] signature) {
    /** A grant by the organiser. */
    KeyGrant(ConferenceId conference, PeerId recipient, int epoch, byte[] sealedKey, byte[] signature) {
        this(conference, recipient, epoch, sealedKey, null, signature);
    }

    boolean verifies(byte[] signerKey) {
        return Identity.verify(signerKey, bytes(GRANT_BODY, this), signature);
    }

    /** Where it is kept: recipient, epoch and rotator. */
    String slot() {
        return slot(recipient, epoch, signer);
    }

    static String slot(PeerId recipient, int epoch, PeerId signer) {
        return recipient.value() + "/" + epoch + "/" + (signer == null ? "" : signer.value());
    }

    boolean verifies(byte[] organiserKey, SignatureGate gate, PeerId from) {
        return gate.verify(from, organiserKey, () -> bytes(GRANT_BODY, this), signature);
    }

    static final WireCodec<KeyGrant> GRANT_BODY = new WireCodec<>() {
        public void write(WireWriter out, KeyGrant g) {
            out.write(g.conference(), CONFERENCE_ID).writePeerId(g.recipient()).writeVarInt(g.epoch()).writeBytes(g.sealedKey())
                    .writeBoolean(g.signer() != null);
            if (g.signer() != null) out.writePeerId(g.signer());
        }

        public KeyGrant read(WireReader in) {
            throw new UnsupportedOperationException("read GRANT instead");
        }
    };

    static final WireCodec<KeyGrant> GRANT = new WireCodec<>() {
        public void write(WireWriter out, KeyGrant g) {
            GRANT_BODY.write(out, g);
            out.writeBytes(g.signature());
        }

        public KeyGrant read(WireReader in) {
            ConferenceId id = in.read(CONFERENCE_ID);
            PeerId recipient = in.readPeerId();
            int epoch = in.readVarInt(1, MAX_REMOVALS);
            byte[] sealed = in.readBytes(128);
            PeerId signer = in.readBoolean() ? in.readPeerId() : null;
            return new KeyGrant(id, recipient, epoch, sealed, signer, in.readBytesExactly(Identity.SIGNATURE_LENGTH));
        }
    };
}
