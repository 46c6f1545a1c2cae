package dev.convene.conference.internal;

import dev.convene.conference.ConferenceContext;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.HlcTimestamp;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.wire.MessageType;
import dev.convene.overlay.wire.WireBytes;
import dev.convene.overlay.wire.WireCodec;
import dev.convene.overlay.wire.WireFormatException;
import dev.convene.overlay.wire.WireReader;
import dev.convene.overlay.wire.WireWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The conference protocol: signed records that travel (and are relayed) between peers, their codecs and
 * their message type ids (100-199). Everything a peer relays carries its author's own signature over
 * canonical bytes, so it stays verifiable whoever forwards it.
 *
 * <p>Each message is a record in a file of its own, with its codecs ({@link Meta}, {@link ChatMessage},
 * {@link Reply}, ...); this class holds what they share: limits, the codecs of common parts, the message
 * types and their registration, and a name for every message codec.
 */
final class Protocol {
    private Protocol() {
    }

    static final int MAX_TEXT_BYTES = 16 * 1024;
    static final int MAX_REASON = 1000;
    static final int MAX_BATCH = 256;
    static final int MAX_SIGNED = 64 * 1024;
    /** A whole conference's metadata as stored: 256 invitations with a full context each fit. */
    static final int MAX_STORED_META = 16 << 20;

    /** Most removals (and so key rotations) one conference may have. */
    static final int MAX_REMOVALS = 64;
    /** Most removal records one conference keeps, including those that lost a conflict. */
    static final int MAX_REMOVAL_RECORDS = MAX_REMOVALS * 2;
    /** Most role changes one conference may have. */
    static final int MAX_ROLE_CHANGES = 256;
    /**
     * Most schedule changes of one conference: revisions run 1 to this, and at most twice as many records are kept
     * (one per signer and revision; two organisers may change it concurrently).
     */
    static final int MAX_RESCHEDULES = 64;
    /** Most answers one peer may give in one conference (each revision is kept as membership history). */
    static final int MAX_REVISIONS = 16;
    /** A sealed box of every epoch's key: ephemeral key, nonce, keys, tag. */
    static final int MAX_SEALED_KEYS = 32 + 12 + ContentCrypto.KEY_LENGTH * (MAX_REMOVALS + 1) + 16;

    // ---- codecs ------------------------------------------------------------------------------------------

    static <T> byte[] bytes(WireCodec<T> codec, T value) {
        return WireBytes.encode(codec, value, MAX_SIGNED);
    }

    static <T> T check(Function<Void, T> make, String what) {
        try {
            return make.apply(null);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new WireFormatException(what + ": " + e.getMessage());
        }
    }

    /** An instant, refused unless within [{@link ConferenceContext#EARLIEST}, {@link ConferenceContext#LATEST}]. */
    static Instant readTime(WireReader in, String what) {
        Instant t = in.readInstant();
        return check(x -> ConferenceContext.requireSane(what, t), what);
    }

    /** The largest HLC wall time accepted: {@link ConferenceContext#LATEST}, so adding to it never overflows. */
    static final long MAX_HLC_MILLIS = ConferenceContext.LATEST.toEpochMilli();

    static final WireCodec<ConferenceId> CONFERENCE_ID = new WireCodec<>() {
        public void write(WireWriter out, ConferenceId v) {
            out.writeString(v.value());
        }

        public ConferenceId read(WireReader in) {
            String s = in.readString(ConferenceId.LENGTH);
            return check(x -> new ConferenceId(s), "conference id");
        }
    };

    static final WireCodec<PeerId> PEER = new WireCodec<>() {
        public void write(WireWriter out, PeerId v) {
            out.writePeerId(v);
        }

        public PeerId read(WireReader in) {
            return in.readPeerId();
        }
    };

    static final WireCodec<ConferenceContext> CONTEXT = new WireCodec<>() {
        public void write(WireWriter out, ConferenceContext c) {
            out.write(c.id(), CONFERENCE_ID).writeString(c.title()).writeString(c.agenda()).writePeerId(c.organiser())
                    .writeInstant(c.start()).writeDuration(c.duration()).writeCollection(c.invitees(), PEER)
                    .writeInstant(c.createdAt()).writeVarInt(c.version()).writeBoolean(c.participantsMayInvite())
                    .writeBoolean(c.historyJoined());
        }

        public ConferenceContext read(WireReader in) {
            ConferenceId id = in.read(CONFERENCE_ID);
            String title = in.readString(ConferenceContext.MAX_TITLE * 4);
            String agenda = in.readString(ConferenceContext.MAX_AGENDA * 4);
            PeerId organiser = in.readPeerId();
            Instant start = in.readInstant();
            java.time.Duration duration = in.readDuration();
            List<PeerId> invitees = in.readList(ConferenceContext.MAX_INVITEES, PEER);
            Instant created = in.readInstant();
            int version = in.readVarInt(1, Integer.MAX_VALUE);
            boolean mayInvite = in.readBoolean();
            boolean joined = in.readBoolean();
            return check(x -> new ConferenceContext(id, title, agenda, organiser, start, duration, new TreeSet<>(invitees),
                    created, version, mayInvite, joined), "context");
        }
    };

    static final WireCodec<HlcTimestamp> HLC = new WireCodec<>() {
        public void write(WireWriter out, HlcTimestamp t) {
            out.writeVarLong(t.wallMillis()).writeVarInt(t.counter());
        }

        public HlcTimestamp read(WireReader in) {
            return new HlcTimestamp(in.readVarLong(0, MAX_HLC_MILLIS), in.readVarInt(0, Integer.MAX_VALUE));
        }
    };

    // ---- each message's codecs, kept by their record (one file per message) -----------------------------

    static final WireCodec<SignedContext> SIGNED_CONTEXT = SignedContext.SIGNED_CONTEXT;
    static final WireCodec<Invitation> INVITATION_BODY = Invitation.INVITATION_BODY;
    static final WireCodec<Invitation> INVITATION = Invitation.INVITATION;
    static final WireCodec<Reply> REPLY_BODY = Reply.REPLY_BODY;
    static final WireCodec<Reply> REPLY = Reply.REPLY;
    static final WireCodec<EndNotice> END_BODY = EndNotice.END_BODY;
    static final WireCodec<EndNotice> END = EndNotice.END;
    static final WireCodec<RoleChange> ROLE_BODY = RoleChange.ROLE_BODY;
    static final WireCodec<RoleChange> ROLE = RoleChange.ROLE;
    static final WireCodec<Reschedule> RESCHEDULE_BODY = Reschedule.RESCHEDULE_BODY;
    static final WireCodec<Reschedule> RESCHEDULE = Reschedule.RESCHEDULE;
    static final WireCodec<ChatMessage> CHAT_BODY = ChatMessage.CHAT_BODY;
    static final WireCodec<ChatMessage> CHAT = ChatMessage.CHAT;
    static final WireCodec<ChatMessage> STORED_CHAT = ChatMessage.STORED_CHAT;
    static final WireCodec<Removal> REMOVAL_BODY = Removal.REMOVAL_BODY;
    static final WireCodec<Removal> REMOVAL = Removal.REMOVAL;
    static final WireCodec<KeyGrant> GRANT_BODY = KeyGrant.GRANT_BODY;
    static final WireCodec<KeyGrant> GRANT = KeyGrant.GRANT;
    static final WireCodec<Meta> META = Meta.META;
    static final WireCodec<Meta> STORED_META = Meta.STORED_META;
    static final WireCodec<ChatAck> ACK = ChatAck.ACK;
    static final WireCodec<ChatDigest> DIGEST = ChatDigest.DIGEST;
    static final WireCodec<ChatBatch> BATCH = ChatBatch.BATCH;

    static final MessageType<Meta> META_TYPE = new MessageType<>(100, Meta.class, META);
    static final MessageType<ChatMessage> CHAT_TYPE = new MessageType<>(101, ChatMessage.class, CHAT);
    static final MessageType<ChatAck> ACK_TYPE = new MessageType<>(102, ChatAck.class, ACK);
    static final MessageType<ChatDigest> DIGEST_TYPE = new MessageType<>(103, ChatDigest.class, DIGEST);
    static final MessageType<ChatBatch> BATCH_TYPE = new MessageType<>(104, ChatBatch.class, BATCH);

    static List<MessageType<?>> types() {
        return new ArrayList<>(List.of(META_TYPE, CHAT_TYPE, ACK_TYPE, DIGEST_TYPE, BATCH_TYPE, StreamFrame.TYPE, EphemeralFrame.TYPE,
                ReceiptFrame.TYPE, ChatPosts.TYPE, MetaDigest.TYPE));
    }

    static boolean sameBytes(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
    }
}
