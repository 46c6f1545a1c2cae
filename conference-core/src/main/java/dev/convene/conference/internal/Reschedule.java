package dev.convene.conference.internal;

import static dev.convene.conference.internal.Protocol.CONFERENCE_ID;
import static dev.convene.conference.internal.Protocol.MAX_RESCHEDULES;
import static dev.convene.conference.internal.Protocol.bytes;
import static dev.convene.conference.internal.Protocol.check;
import static dev.convene.conference.internal.Protocol.readTime;

import dev.convene.conference.ConferenceContext;
import dev.convene.conference.ConferenceId;
import dev.convene.overlay.Identity;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.wire.WireCodec;
import dev.convene.overlay.wire.WireReader;
import dev.convene.overlay.wire.WireWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An organiser (the original one or a co-organiser, {@code signer}) changes the schedule: the conference starts at
 * {@code start} and lasts {@code duration} ({@link ConferenceContext#STANDING} for a standing room). {@code revision}
 * is one more than the revision of the change in effect where it was made. The signed context is never rewritten:
 * the schedule in effect is the context's, replaced by the winning change ({@link Conference#resolveSchedule}).
 * Start and duration are bounded exactly as in {@link ConferenceContext}; the revision by {@link Protocol#MAX_RESCHEDULES}.
 */
record Reschedule(ConferenceId conference, PeerId signer, int revision, Instant at, Instant start, Duration duration,
                  byte[] signature) {
    Reschedule {
        Objects.requireNonNull(conference, "conference");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(signature, "signature");
        ConferenceContext.requireSane("start", Objects.requireNonNull(start, "start"));
        ConferenceContext.requireSane("at", Objects.requireNonNull(at, "at"));
        ConferenceContext.requireDuration(Objects.requireNonNull(duration, "duration"));
        if (revision < 1 || revision > MAX_RESCHEDULES) {
            throw new IllegalArgumentException("revision: " + revision + " (expected: 1-" + MAX_RESCHEDULES + ")");
        }
    }

    /** When the conference ends by this schedule: {@link ConferenceContext#LATEST} for a standing room. */
    Instant end() {
        return duration.isZero() ? ConferenceContext.LATEST : start.plus(duration);
    }

    boolean verifies(byte[] signerKey) {
        return Identity.verify(signerKey, bytes(RESCHEDULE_BODY, this), signature);
    }

    boolean verifies(byte[] signerKey, SignatureGate gate, PeerId from) {
        return gate.verify(from, signerKey, bytes(RESCHEDULE_BODY, this), signature);
    }

    static final WireCodec<Reschedule> RESCHEDULE_BODY = new WireCodec<>() {
        public void write(WireWriter out, Reschedule r) {
            out.write(r.conference(), CONFERENCE_ID).writePeerId(r.signer()).writeVarInt(r.revision()).writeInstant(r.at())
                    .writeInstant(r.start()).writeDuration(r.duration());
        }

        public Reschedule read(WireReader in) {
            throw new UnsupportedOperationException("read RESCHEDULE instead");
        }
    };

    static final WireCodec<Reschedule> RESCHEDULE = new WireCodec<>() {
        public void write(WireWriter out, Reschedule r) {
            RESCHEDULE_BODY.write(out, r);
            out.writeBytes(r.signature());
        }

        public Reschedule read(WireReader in) {
            ConferenceId id = in.read(CONFERENCE_ID);
            PeerId signer = in.readPeerId();
            int revision = in.readVarInt(1, MAX_RESCHEDULES);
            Instant at = readTime(in, "reschedule time");
            Instant start = readTime(in, "start");
            Duration duration = in.readDuration();
            byte[] sig = in.readBytesExactly(Identity.SIGNATURE_LENGTH);
            return check(x -> new Reschedule(id, signer, revision, at, start, duration, sig), "reschedule");
        }
    };
}
