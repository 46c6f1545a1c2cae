package dev.convene.conference.internal;

import static dev.convene.conference.internal.Protocol.CONFERENCE_ID;
import static dev.convene.conference.internal.Protocol.MAX_REASON;
import static dev.convene.conference.internal.Protocol.MAX_REVISIONS;
import static dev.convene.conference.internal.Protocol.bytes;
import static dev.convene.conference.internal.Protocol.check;
import static dev.convene.conference.internal.Protocol.readTime;

import dev.convene.conference.Answer;
import dev.convene.conference.ConferenceId;
import dev.convene.overlay.Identity;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.wire.WireCodec;
import dev.convene.overlay.wire.WireFormatException;
import dev.convene.overlay.wire.WireReader;
import dev.convene.overlay.wire.WireWriter;
import java.time.Instant;

/**
 * An answer, signed by its author; {@code revision} grows with each change (the highest is the current
 * answer, and every revision is kept: together they are the author's membership history).
 * {@code sequence} is the author's own last chat sequence when it answered: an accept admits its
 * messages after it, a decline or leave ends its participation after it (see {@link Membership}).
 */
record Reply(ConferenceId conference, PeerId author, Answer answer, String reason, int revision, Instant at,
             long sequence, byte[] signature) {
    Reply {
        if (sequence < 0) throw new IllegalArgumentException("sequence: " + sequence);
    }

    /** An answer given before any own message. */
    Reply(ConferenceId conference, PeerId author, Answer answer, String reason, int revision, Instant at, byte[] signature) {
        this(conference, author, answer, reason, revision, at, 0, signature);
    }

    boolean verifies(byte[] authorKey) {
        return Identity.verify(authorKey, bytes(REPLY_BODY, this), signature);
    }

    boolean verifies(byte[] authorKey, SignatureGate gate, PeerId from) {
        return gate.verify(from, authorKey, () -> bytes(REPLY_BODY, this), signature);
    }

    static final WireCodec<Reply> REPLY_BODY = new WireCodec<>() {
        public void write(WireWriter out, Reply r) {
            out.write(r.conference(), CONFERENCE_ID).writePeerId(r.author()).writeByte(r.answer().ordinal())
                    .writeString(r.reason()).writeVarInt(r.revision()).writeInstant(r.at()).writeVarLong(r.sequence());
        }

        public Reply read(WireReader in) {
            throw new UnsupportedOperationException("read REPLY instead");
        }
    };

    static final WireCodec<Reply> REPLY = new WireCodec<>() {
        public void write(WireWriter out, Reply r) {
            REPLY_BODY.write(out, r);
            out.writeBytes(r.signature());
        }

        public Reply read(WireReader in) {
            ConferenceId id = in.read(CONFERENCE_ID);
            PeerId author = in.readPeerId();
            int answer = in.readByte();
            if (answer < 0 || answer >= Answer.values().length) throw new WireFormatException("answer: " + answer);
            String reason = in.readString(MAX_REASON * 4);
            check(x -> {
                dev.convene.conference.UnsafeCharacterException.requireSafeLine("reason", reason);
                return null;
            }, "reply");
            int revision = in.readVarInt(1, MAX_REVISIONS);
            Instant at = readTime(in, "reply time");
            long sequence = in.readVarLong(0, Long.MAX_VALUE);
            byte[] sig = in.readBytesExactly(Identity.SIGNATURE_LENGTH);
            return new Reply(id, author, Answer.values()[answer], reason, revision, at, sequence, sig);
        }
    };
}
