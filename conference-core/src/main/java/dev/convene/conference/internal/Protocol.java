package dev.convene.conference.internal;

import dev.convene.conference.Answer;
import dev.convene.conference.ConferenceContext;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.HlcTimestamp;
import dev.convene.conference.MessageId;
import dev.convene.overlay.Identity;
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
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The conference protocol: signed records that travel (and are relayed) between peers, their codecs and
 * their message type ids (100-199). Everything a peer relays carries its author's own signature over
 * canonical bytes, so it stays verifiable whoever forwards it.
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

    // ---- records -----------------------------------------------------------------------------------------

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
            return gate.verify(from, organiserKey, bytes(CONTEXT, context), signature);
        }
    }

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
            return context.verifies(gate, from) && gate.verify(from, inviterKey, bytes(INVITATION_BODY, this), signature);
        }

        String nonceHex() {
            return com.google.common.io.BaseEncoding.base16().lowerCase().encode(nonce);
        }
    }

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
            return gate.verify(from, authorKey, bytes(REPLY_BODY, this), signature);
        }
    }

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
            return gate.verify(from, signerKey, bytes(END_BODY, this), signature);
        }
    }

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
            return gate.verify(from, organiserKey, bytes(ROLE_BODY, this), signature);
        }
    }

    /**
     * What the author of a chat message had seen when it posted: the id and timestamp of the latest message (in
     * canonical order) it had delivered in that conference. Signed with the message; checked by {@link Frontiers}.
     */
    record Frontier(MessageId id, HlcTimestamp timestamp) {
        Frontier {
            java.util.Objects.requireNonNull(id, "id");
            java.util.Objects.requireNonNull(timestamp, "timestamp");
        }

        /** Canonical order of the message it names: timestamp, author, sequence. */
        int compareTo(Frontier o) {
            int t = timestamp.compareTo(o.timestamp);
            if (t != 0) return t;
            int a = id.author().value().compareTo(o.id.author().value());
            return a != 0 ? a : Long.compare(id.sequence(), o.id.sequence());
        }
    }

    /**
     * A chat message: encrypted body under the content key of {@code keyEpoch}, signed by its author, with the
     * author's {@link Frontier} (null: it had delivered nothing, or a message from before frontiers).
     */
    record ChatMessage(ConferenceId conference, PeerId author, long sequence, HlcTimestamp timestamp, int keyEpoch,
                       byte[] body, byte[] signature, Frontier frontier) {
        /** A message without a frontier. */
        ChatMessage(ConferenceId conference, PeerId author, long sequence, HlcTimestamp timestamp, int keyEpoch,
                    byte[] body, byte[] signature) {
            this(conference, author, sequence, timestamp, keyEpoch, body, signature, null);
        }

        MessageId id() {
            return new MessageId(author, sequence);
        }

        byte[] aad() {
            return (conference.value() + "|" + author.value() + "|" + sequence).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }

        boolean verifies(byte[] authorKey) {
            return Identity.verify(authorKey, bytes(CHAT_BODY, this), signature);
        }
    }

    /** Everything about a conference but its chat: sent to members when it changes, and in full on (re)join. */
    record Meta(SignedContext context, List<Invitation> invitations, List<Reply> replies, EndNotice end,
                List<Removal> removals, List<KeyGrant> grants, List<RoleChange> roles) {
        Meta {
            invitations = List.copyOf(invitations);
            replies = List.copyOf(replies);
            removals = List.copyOf(removals);
            grants = List.copyOf(grants);
            roles = List.copyOf(roles);
        }

        Meta(SignedContext context, List<Invitation> invitations, List<Reply> replies, EndNotice end,
             List<Removal> removals, List<KeyGrant> grants) {
            this(context, invitations, replies, end, removals, grants, List.of());
        }

        Meta(SignedContext context, List<Invitation> invitations, List<Reply> replies, EndNotice end) {
            this(context, invitations, replies, end, List.of(), List.of());
        }
    }

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
            return gate.verify(from, organiserKey, bytes(REMOVAL_BODY, this), signature);
        }
    }

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
            return gate.verify(from, organiserKey, bytes(GRANT_BODY, this), signature);
        }
    }

    /** Most removals (and so key rotations) one conference may have. */
    static final int MAX_REMOVALS = 64;
    /** Most removal records one conference keeps, including those that lost a conflict. */
    static final int MAX_REMOVAL_RECORDS = MAX_REMOVALS * 2;
    /** Most role changes one conference may have. */
    static final int MAX_ROLE_CHANGES = 256;
    /** Most answers one peer may give in one conference (each revision is kept as membership history). */
    static final int MAX_REVISIONS = 16;
    /** A sealed box of every epoch's key: ephemeral key, nonce, keys, tag. */
    static final int MAX_SEALED_KEYS = 32 + 12 + ContentCrypto.KEY_LENGTH * (MAX_REMOVALS + 1) + 16;

    /** The receiver confirms it stored every message of {@code author} up to {@code sequence} (cumulative). */
    record ChatAck(ConferenceId conference, PeerId author, long sequence) {
    }

    /** Per author, the highest sequence held without gaps. */
    record ChatDigest(ConferenceId conference, Map<PeerId, Long> contiguous) {
        ChatDigest {
            contiguous = Map.copyOf(contiguous);
        }
    }

    /**
     * Chat messages the receiver lacked, in one bounded batch; {@code more} says the sender holds more, and
     * the receiver pulls the next batch with a fresh digest (one batch in flight per pair of peers).
     */
    record ChatBatch(ConferenceId conference, List<ChatMessage> messages, boolean more) {
        ChatBatch {
            messages = List.copyOf(messages);
        }
    }

    // ---- codecs ------------------------------------------------------------------------------------------

    static <T> byte[] bytes(WireCodec<T> codec, T value) {
        return WireBytes.encode(codec, value, MAX_SIGNED);
    }

    private static <T> T check(Function<Void, T> make, String what) {
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

    /** The signed part of an invitation: all but the signature. */
    static final WireCodec<Invitation> INVITATION_BODY = new WireCodec<>() {
        public void write(WireWriter out, Invitation i) {
            out.write(i.context(), SIGNED_CONTEXT).writePeerId(i.invitee()).writeBytes(i.inviteeKey())
                    .writeBytes(i.inviteeAgreementKey()).writePeerId(i.inviter()).writeBytes(i.inviterKey())
                    .writeInstant(i.expiry()).writeBytes(i.nonce()).writeVarInt(i.firstEpoch()).writeVarInt(i.keyEpoch())
                    .writeBytes(i.sealedKey()).writeInstant(i.issuedAt());
        }

        public Invitation read(WireReader in) {
            throw new UnsupportedOperationException("read INVITATION instead");
        }
    };

    static final WireCodec<Invitation> INVITATION = new WireCodec<>() {
        public void write(WireWriter out, Invitation i) {
            INVITATION_BODY.write(out, i);
            out.writeBytes(i.signature());
        }

        public Invitation read(WireReader in) {
            SignedContext ctx = in.read(SIGNED_CONTEXT);
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
    };

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

    static final WireCodec<HlcTimestamp> HLC = new WireCodec<>() {
        public void write(WireWriter out, HlcTimestamp t) {
            out.writeVarLong(t.wallMillis()).writeVarInt(t.counter());
        }

        public HlcTimestamp read(WireReader in) {
            return new HlcTimestamp(in.readVarLong(0, MAX_HLC_MILLIS), in.readVarInt(0, Integer.MAX_VALUE));
        }
    };

    static final WireCodec<ChatMessage> CHAT_BODY = new WireCodec<>() {
        public void write(WireWriter out, ChatMessage m) {
            out.write(m.conference(), CONFERENCE_ID).writePeerId(m.author()).writeVarLong(m.sequence())
                    .write(m.timestamp(), HLC).writeVarInt(m.keyEpoch()).writeBytes(m.body());
            // Only when present, so a message from before frontiers signs (and is stored as) the same bytes as then.
            if (m.frontier() != null) FRONTIER.write(out, m.frontier());
        }

        public ChatMessage read(WireReader in) {
            throw new UnsupportedOperationException("read CHAT instead");
        }
    };

    static final WireCodec<ChatMessage> CHAT = new WireCodec<>() {
        public void write(WireWriter out, ChatMessage m) {
            out.write(m.conference(), CONFERENCE_ID).writePeerId(m.author()).writeVarLong(m.sequence())
                    .write(m.timestamp(), HLC).writeVarInt(m.keyEpoch()).writeBytes(m.body());
            out.writeBytes(m.signature());
            // After the signature, marked 0 (none) or 1: a stored row from before frontiers (nothing after the
            // signature) still decodes, as a message without one.
            if (m.frontier() == null) out.writeByte(0);
            else FRONTIER.write(out, m.frontier());
        }

        public ChatMessage read(WireReader in) {
            ConferenceId id = in.read(CONFERENCE_ID);
            PeerId author = in.readPeerId();
            long seq = in.readVarLong(1, Long.MAX_VALUE);
            HlcTimestamp ts = in.read(HLC);
            int epoch = in.readVarInt(0, MAX_REMOVALS);
            byte[] body = in.readBytes(MAX_TEXT_BYTES + 64);
            byte[] sig = in.readBytesExactly(Identity.SIGNATURE_LENGTH);
            return new ChatMessage(id, author, seq, ts, epoch, body, sig, in.read(FRONTIER));
        }
    };

    /**
     * {@link #CHAT} as stored: a row written before frontiers ends at the signature and reads as a message without
     * one. On the wire the marker is required, so a truncated frame is never taken for an older one.
     */
    static final WireCodec<ChatMessage> STORED_CHAT = new WireCodec<>() {
        public void write(WireWriter out, ChatMessage m) {
            CHAT.write(out, m);
        }

        public ChatMessage read(WireReader in) {
            ConferenceId id = in.read(CONFERENCE_ID);
            PeerId author = in.readPeerId();
            long seq = in.readVarLong(1, Long.MAX_VALUE);
            HlcTimestamp ts = in.read(HLC);
            int epoch = in.readVarInt(0, MAX_REMOVALS);
            byte[] body = in.readBytes(MAX_TEXT_BYTES + 64);
            byte[] sig = in.readBytesExactly(Identity.SIGNATURE_LENGTH);
            return new ChatMessage(id, author, seq, ts, epoch, body, sig, in.atEnd() ? null : in.read(FRONTIER));
        }
    };

    /** A frontier: a marker byte (1; 0 reads as none), the message id and its timestamp. */
    static final WireCodec<Frontier> FRONTIER = new WireCodec<>() {
        public void write(WireWriter out, Frontier f) {
            out.writeByte(1).writePeerId(f.id().author()).writeVarLong(f.id().sequence()).write(f.timestamp(), HLC);
        }

        public Frontier read(WireReader in) {
            int marker = in.readByte();
            if (marker == 0) return null;
            if (marker != 1) throw new WireFormatException("frontier marker " + marker + " (expected: 0 or 1)");
            PeerId author = in.readPeerId();
            long seq = in.readVarLong(1, Long.MAX_VALUE);
            return new Frontier(new MessageId(author, seq), in.read(HLC));
        }
    };

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

    static final WireCodec<Meta> META = new WireCodec<>() {
        public void write(WireWriter out, Meta m) {
            out.write(m.context(), SIGNED_CONTEXT).writeCollection(m.invitations(), INVITATION)
                    .writeCollection(m.replies(), REPLY).writeBoolean(m.end() != null);
            if (m.end() != null) out.write(m.end(), END);
            out.writeCollection(m.removals(), REMOVAL).writeCollection(m.grants(), GRANT).writeCollection(m.roles(), ROLE);
        }

        public Meta read(WireReader in) {
            SignedContext ctx = in.read(SIGNED_CONTEXT);
            List<Invitation> inv = in.readList(ConferenceContext.MAX_INVITEES * 2, INVITATION);
            List<Reply> rep = in.readList((ConferenceContext.MAX_INVITEES * 2 + 2) * MAX_REVISIONS, REPLY);
            EndNotice end = in.readBoolean() ? in.read(END) : null;
            List<Removal> rem = in.readList(MAX_REMOVAL_RECORDS, REMOVAL);
            List<KeyGrant> grants = in.readList(MAX_REMOVALS * (ConferenceContext.MAX_INVITEES + 1) * 2, GRANT);
            List<RoleChange> roles = in.readList(MAX_ROLE_CHANGES, ROLE);
            return new Meta(ctx, inv, rep, end, rem, grants, roles);
        }
    };

    static final WireCodec<ChatAck> ACK = new WireCodec<>() {
        public void write(WireWriter out, ChatAck a) {
            out.write(a.conference(), CONFERENCE_ID).writePeerId(a.author()).writeVarLong(a.sequence());
        }

        public ChatAck read(WireReader in) {
            return new ChatAck(in.read(CONFERENCE_ID), in.readPeerId(), in.readVarLong(1, Long.MAX_VALUE));
        }
    };

    static final WireCodec<ChatDigest> DIGEST = new WireCodec<>() {
        public void write(WireWriter out, ChatDigest d) {
            out.write(d.conference(), CONFERENCE_ID).writeVarInt(d.contiguous().size());
            new TreeMap<>(d.contiguous()).forEach((p, s) -> out.writePeerId(p).writeVarLong(s));
        }

        public ChatDigest read(WireReader in) {
            ConferenceId id = in.read(CONFERENCE_ID);
            int n = in.readVarInt(0, ConferenceContext.MAX_INVITEES + 1);
            Map<PeerId, Long> m = new TreeMap<>();
            for (int i = 0; i < n; i++) m.put(in.readPeerId(), in.readVarLong(0, Long.MAX_VALUE));
            return new ChatDigest(id, m);
        }
    };

    static final WireCodec<ChatBatch> BATCH = new WireCodec<>() {
        public void write(WireWriter out, ChatBatch b) {
            out.write(b.conference(), CONFERENCE_ID).writeCollection(b.messages(), CHAT).writeBoolean(b.more());
        }

        public ChatBatch read(WireReader in) {
            return new ChatBatch(in.read(CONFERENCE_ID), in.readList(MAX_BATCH, CHAT), in.readBoolean());
        }
    };

    static final MessageType<Meta> META_TYPE = new MessageType<>(100, Meta.class, META);
    static final MessageType<ChatMessage> CHAT_TYPE = new MessageType<>(101, ChatMessage.class, CHAT);
    static final MessageType<ChatAck> ACK_TYPE = new MessageType<>(102, ChatAck.class, ACK);
    static final MessageType<ChatDigest> DIGEST_TYPE = new MessageType<>(103, ChatDigest.class, DIGEST);
    static final MessageType<ChatBatch> BATCH_TYPE = new MessageType<>(104, ChatBatch.class, BATCH);

    static List<MessageType<?>> types() {
        return new ArrayList<>(List.of(META_TYPE, CHAT_TYPE, ACK_TYPE, DIGEST_TYPE, BATCH_TYPE));
    }

    static boolean sameBytes(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
    }
}
