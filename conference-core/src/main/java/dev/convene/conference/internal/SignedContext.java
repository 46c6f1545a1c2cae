package dev.convene.conference.internal;

import static dev.convene.conference.internal.Protocol.CONTEXT;
import static dev.convene.conference.internal.Protocol.bytes;
import static dev.convene.conference.internal.Protocol.check;

import dev.convene.conference.ConferenceContext;
import dev.convene.overlay.Identity;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.wire.WireCodec;
import dev.convene.overlay.wire.WireReader;
import dev.convene.overlay.wire.WireWriter;

/** A context signed by its organiser, with the organiser's key (the id derives from it). */
record SignedContext(ConferenceContext context, byte[] organiserKey, byte[] signature) {
    SignedContext {
        if (!PeerId.fromSigningKey(organiserKey).equals(context.organiser())) {
            throw new IllegalArgumentException("organiser key does not match the organiser id");
        }
    }

    static SignedContext sign(ConferenceContext c, Identity organiser) {
        return new SignedContext(c, organiser.signingKey(), organiser.sign(bytes(CONTEXT, c)));
    }

    boolean verifies() {
        return Identity.verify(organiserKey, bytes(CONTEXT, context), signature);
    }

    boolean verifies(SignatureGate gate, PeerId from) {
        return gate.verify(from, organiserKey, () -> bytes(CONTEXT, context), signature);
    }

    static final WireCodec<SignedContext> SIGNED_CONTEXT = new WireCodec<>() {
        public void write(WireWriter out, SignedContext s) {
            out.write(s.context(), CONTEXT).writeBytes(s.organiserKey()).writeBytes(s.signature());
        }

        public SignedContext read(WireReader in) {
            ConferenceContext c = in.read(CONTEXT);
            byte[] key = in.readBytesExactly(Identity.KEY_LENGTH);
            byte[] sig = in.readBytesExactly(Identity.SIGNATURE_LENGTH);
            return check(x -> new SignedContext(c, key, sig), "signed context");
        }
    };
}
