package dev.convene.conference.internal;

import static dev.convene.conference.internal.Protocol.MAX_REMOVALS;
import static dev.convene.conference.internal.Protocol.MAX_SEALED_KEYS;
import static dev.convene.conference.internal.Protocol.SIGNED_CONTEXT;
import static dev.convene.conference.internal.Protocol.bytes;
import static dev.convene.conference.internal.Protocol.check;
import static dev.convene.conference.internal.Protocol.readTime;

import dev.convene.conference.ConferenceId;
import dev.convene.overlay.Identity;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.wire.WireCodec;
import dev.convene.overlay.wire.WireReader;
import dev.convene.overlay.wire.WireWriter;
import java.time.Instant;

/**
 * A signed capability: {@code inviter} invites {@code invitee} (bound to its keys) to a conference until
 * {@code expiry}; {@code nonce} makes each invitation unique; {@code sealedKey} is the content keys of
 * epochs {@code firstEpoch..keyEpoch}, concatenated and sealed to the invitee in one box, so a newcomer
 * reads what was said before it came (history visibility {@code shared}); {@code issuedAt} dates it, for the
 * role a co-organiser inviter held then.
 */
record Invitation(SignedContext context, PeerId invitee, byte[] inviteeKey, byte[] inviteeAgreementKey, PeerId inviter,
                  byte[] inviterKey, Instant expiry, byte[] nonce, int firstEpoch, int keyEpoch, byte[] sealedKey,
                  Instant issuedAt, byte[] signature) {
    Invitation {
        if (!PeerId.fromSigningKey(inviteeKey).equals(invitee)) throw new IllegalArgumentException("invitee key does not match");
        if (!PeerId.fromSigningKey(inviterKey).equals(inviter)) throw new IllegalArgumentException("inviter key does not match");
        if (firstEpoch < 0 || firstEpoch > keyEpoch) throw new IllegalArgumentException("epochs: " + firstEpoch + ".." + keyEpoch);
    }

    /** This invitation with {@code same}, an equal signed context, in place of its own copy (Conference#sharingContext). */
    Invitation withContext(SignedContext same) {
        return new Invitation(same, invitee, inviteeKey, inviteeAgreementKey, inviter, inviterKey, expiry, nonce, firstEpoch, keyEpoch,
                sealedKey, issuedAt, signature);
    }

    /** An invitation carrying the key of one epoch only. */
    Invitation(SignedContext context, PeerId invitee, byte[] inviteeKey, byte[] inviteeAgreementKey, PeerId inviter,
               byte[] inviterKey, Instant expiry, byte[] nonce, int keyEpoch, byte[] sealedKey, byte[] signature) {
        this(context, invitee, inviteeKey, inviteeAgreementKey, inviter, inviterKey, expiry, nonce, keyEpoch, keyEpoch,
                sealedKey, Instant.EPOCH, signature);
    }

    ConferenceId conference() {
        return context.context().id();
    }

    boolean verifies() {
        return context.verifies() && Identity.verify(inviterKey, bytes(INVITATION_BODY, this), signature);
    }

    boolean verifies(SignatureGate gate, PeerId from) {
        return context.verifies(gate, from) && gate.verify(from, inviterKey, () -> bytes(INVITATION_BODY, this), signature);
    }

    String nonceHex() {
        return com.google.common.io.BaseEncoding.base16().lowerCase().encode(nonce);
    }

    /** The signed part of an invitation: all but the signature. */
    static final WireCodec<Invitation> INVITATION_BODY = new WireCodec<>() {
        public void write(WireWriter out, Invitation i) {
            out.write(i.context(), SIGNED_CONTEXT);
            writeBodyAfterContext(out, i);
        }

        public Invitation read(WireReader in) {
            throw new UnsupportedOperationException("read INVITATION instead");
        }
    };

    /** The invitation's fields after its signed context, with its signature (how a {@code Meta} frame carries it). */
    static void writeAfterContext(WireWriter out, Invitation i) {
        writeBodyAfterContext(out, i);
        out.writeBytes(i.signature());
    }

    private static void writeBodyAfterContext(WireWriter out, Invitation i) {
        out.writePeerId(i.invitee()).writeBytes(i.inviteeKey())
                .writeBytes(i.inviteeAgreementKey()).writePeerId(i.inviter()).writeBytes(i.inviterKey())
                .writeInstant(i.expiry()).writeBytes(i.nonce()).writeVarInt(i.firstEpoch()).writeVarInt(i.keyEpoch())
                .writeBytes(i.sealedKey()).writeInstant(i.issuedAt());
    }

    static final WireCodec<Invitation> INVITATION = new WireCodec<>() {
        public void write(WireWriter out, Invitation i) {
            INVITATION_BODY.write(out, i);
            out.writeBytes(i.signature());
        }

        public Invitation read(WireReader in) {
            return readAfterContext(in, in.read(SIGNED_CONTEXT));
        }
    };

    /**
     * An invitation's fields after its signed context, with its signature, read as an invitation of {@code ctx}: its
     * signed bytes are rebuilt with {@code ctx}'s encoding in them, so it verifies only if that is the context signed.
     */
    static Invitation readAfterContext(WireReader in, SignedContext ctx) {
        PeerId invitee = in.readPeerId();
        byte[] inviteeKey = in.readBytesExactly(Identity.KEY_LENGTH);
        byte[] inviteeAgreement = in.readBytesExactly(Identity.KEY_LENGTH);
        PeerId inviter = in.readPeerId();
        byte[] inviterKey = in.readBytesExactly(Identity.KEY_LENGTH);
        Instant expiry = readTime(in, "expiry");
        byte[] nonce = in.readBytesExactly(16);
        int first = in.readVarInt(0, MAX_REMOVALS);
        int epoch = in.readVarInt(0, MAX_REMOVALS);
        byte[] sealed = in.readBytes(MAX_SEALED_KEYS);
        Instant issued = readTime(in, "invitation time");
        byte[] sig = in.readBytesExactly(Identity.SIGNATURE_LENGTH);
        return check(x -> new Invitation(ctx, invitee, inviteeKey, inviteeAgreement, inviter, inviterKey, expiry, nonce,
                first, epoch, sealed, issued, sig), "invitation");
    }
}
