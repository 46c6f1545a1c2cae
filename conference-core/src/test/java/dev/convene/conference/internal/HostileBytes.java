package dev.convene.conference.internal;

import dev.convene.conference.ConferenceId;
import dev.convene.overlay.Identity;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.wire.MessageType;
import dev.convene.overlay.wire.WireBytes;
import dev.convene.overlay.wire.WireCodec;
import dev.convene.overlay.wire.WireReader;
import dev.convene.overlay.wire.WireWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Conference records written field by field, with values the real records refuse (a start near
 * {@link Instant#MAX}, say), laid out exactly as {@link Protocol}'s codecs write them and signed like the real
 * ones: what a hostile peer puts on the wire. Sent through {@link #RAW_META} (the type id of metadata), on an
 * overlay that registers it instead of {@link Protocol#META_TYPE}.
 */
final class HostileBytes {
    private HostileBytes() {
    }

    /** A context's fields, unchecked. */
    record RawContext(ConferenceId id, String title, String agenda, PeerId organiser, Instant start, Duration duration,
                      List<PeerId> invitees, Instant createdAt, int version, boolean participantsMayInvite) {
    }

    /** Metadata with a signed raw context and nothing else. */
    record RawMeta(RawContext context, byte[] organiserKey, byte[] signature) {
        static RawMeta signedBy(Identity organiser, RawContext c) {
            return new RawMeta(c, organiser.signingKey(), organiser.sign(WireBytes.encode(CONTEXT, c, Protocol.MAX_SIGNED)));
        }

        byte[] bytes() {
            return WireBytes.encode(META, this, Protocol.MAX_STORED_META);
        }
    }

    static final WireCodec<RawContext> CONTEXT = new WireCodec<>() {
        public void write(WireWriter out, RawContext c) {
            out.write(c.id(), Protocol.CONFERENCE_ID).writeString(c.title()).writeString(c.agenda()).writePeerId(c.organiser())
                    .writeInstant(c.start()).writeDuration(c.duration()).writeCollection(c.invitees(), Protocol.PEER)
                    .writeInstant(c.createdAt()).writeVarInt(c.version()).writeBoolean(c.participantsMayInvite())
                    .writeBoolean(false); // history shared
        }

        public RawContext read(WireReader in) {
            throw new UnsupportedOperationException("hostile records are only written");
        }
    };

    static final WireCodec<RawMeta> META = new WireCodec<>() {
        public void write(WireWriter out, RawMeta m) {
            out.write(m.context(), CONTEXT).writeBytes(m.organiserKey()).writeBytes(m.signature());
            out.writeVarInt(0).writeVarInt(0).writeBoolean(false).writeVarInt(0).writeVarInt(0).writeVarInt(0)
                    .writeVarInt(0); // no invitations, replies, end, removals, grants, roles, schedule changes
        }

        public RawMeta read(WireReader in) {
            throw new UnsupportedOperationException("hostile records are only written");
        }
    };

    static final MessageType<RawMeta> RAW_META = new MessageType<>(Protocol.META_TYPE.id(), RawMeta.class, META);

    /** The context of issue 11: valid in every field but its start, so near {@link Instant#MAX} that start + duration overflows. */
    static RawContext startNearInstantMax(Identity organiser, List<PeerId> invitees, Instant now) {
        return new RawContext(ConferenceId.derive(organiser.signingKey(), now), "Doom", "", organiser.id(),
                Instant.MAX.minusSeconds(60), Duration.ofHours(1), invitees, now, 1, false);
    }
}
