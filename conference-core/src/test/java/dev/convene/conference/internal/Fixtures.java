package dev.convene.conference.internal;

import dev.convene.conference.Answer;
import dev.convene.conference.ConferenceContext;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.HlcTimestamp;
import dev.convene.overlay.Identity;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.wire.WireBytes;
import dev.convene.overlay.wire.WireCodec;
import dev.convene.overlay.wire.WireReader;
import dev.convene.overlay.wire.WireWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Signed protocol records made exactly as {@link ConferenceEngine} makes them, for tests in this package.
 * Identities are generated once per JVM.
 */
final class Fixtures {
    static final Identity ALICE = Identity.generate();
    static final Identity BOB = Identity.generate();
    static final Identity CAROL = Identity.generate();
    static final Identity MALLORY = Identity.generate();
    static final Instant START = Instant.parse("2030-03-01T10:00:00.123456789Z");
    static final Duration HOUR = Duration.ofHours(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    private Fixtures() {
    }

    static ConferenceContext context(ConferenceId id, Identity organiser, Instant start, Duration duration, String title, String agenda,
                                     Collection<PeerId> invitees, int version) {
        return new ConferenceContext(id, title, agenda, organiser.id(), start, duration, new TreeSet<>(invitees),
                start.minus(Duration.ofDays(1)), version, false);
    }

    /** A context whose id is bound to its organiser and creation time, as the engine makes them. */
    static ConferenceContext context(Identity organiser, Instant start, Duration duration, String title, String agenda,
                                     Collection<PeerId> invitees, int version) {
        return context(ConferenceId.derive(organiser.signingKey(), start.minus(Duration.ofDays(1))), organiser, start, duration, title,
                agenda, invitees, version);
    }

    /** Alice's one-hour conference at {@link #START} with the given invitees. */
    static ConferenceContext context(Identity... invitees) {
        return context(ALICE, START, HOUR, "Design review", "1. wire\n2. timings",
                Arrays.stream(invitees).map(Identity::id).toList(), 1);
    }

    static SignedContext signed(ConferenceContext c) {
        return SignedContext.sign(c, ALICE);
    }

    /** What the content key is sealed to: the engine binds it to the conference and the invitee. */
    static byte[] sealContext(ConferenceId id, PeerId invitee) {
        return (id.value() + "|" + invitee.value()).getBytes(StandardCharsets.US_ASCII);
    }

    /** An invitation as {@code ConferenceEngine.addInvitation} builds it, expiring at the conference's end. */
    static Invitation invitation(SignedContext ctx, Identity inviter, Identity invitee, byte[] contentKey) {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        byte[] sealed = ContentCrypto.seal(contentKey, invitee.agreementKey(), sealContext(ctx.context().id(), invitee.id()));
        return signedBy(inviter, new Invitation(ctx, invitee.id(), invitee.signingKey(), invitee.agreementKey(), inviter.id(),
                inviter.signingKey(), ctx.context().end(), nonce, 0, sealed, new byte[0]));
    }

    /** The same invitation with a signature by {@code signer} over its body. */
    static Invitation signedBy(Identity signer, Invitation i) {
        return new Invitation(i.context(), i.invitee(), i.inviteeKey(), i.inviteeAgreementKey(), i.inviter(), i.inviterKey(),
                i.expiry(), i.nonce(), i.keyEpoch(), i.sealedKey(), signer.sign(Protocol.bytes(Protocol.INVITATION_BODY, i)));
    }

    static Reply reply(Identity author, ConferenceId id, Answer answer, String reason, int revision, Instant at) {
        Reply unsigned = new Reply(id, author.id(), answer, reason, revision, at, new byte[0]);
        return new Reply(id, author.id(), answer, reason, revision, at, author.sign(Protocol.bytes(Protocol.REPLY_BODY, unsigned)));
    }

    static EndNotice end(Identity organiser, ConferenceId id, Instant at) {
        EndNotice unsigned = new EndNotice(id, at, new byte[0]);
        return new EndNotice(id, at, organiser.sign(Protocol.bytes(Protocol.END_BODY, unsigned)));
    }

    /** A chat message as {@code ConferenceEngine.say} builds it: encrypted under {@code key}, bound by its AAD, signed. */
    static ChatMessage chat(Identity author, ConferenceId id, long sequence, HlcTimestamp ts, byte[] key, String text) {
        ChatMessage draft = new ChatMessage(id, author.id(), sequence, ts, 0, new byte[0], new byte[0]);
        byte[] body = ContentCrypto.encrypt(key, text.getBytes(StandardCharsets.UTF_8), draft.aad());
        ChatMessage unsigned = new ChatMessage(id, author.id(), sequence, ts, 0, body, new byte[0]);
        return new ChatMessage(id, author.id(), sequence, ts, 0, body, author.sign(Protocol.bytes(Protocol.CHAT_BODY, unsigned)));
    }

    /**
     * A chat message under the content key of {@code epoch}, claiming {@code author} and signed by {@code signer}:
     * as {@code ConferenceEngine.say} builds it when the two are the same identity, a forgery when they are not.
     */
    static ChatMessage chat(Identity signer, PeerId author, ConferenceId id, long sequence, HlcTimestamp ts, int epoch, byte[] key,
                            String text) {
        ChatMessage draft = new ChatMessage(id, author, sequence, ts, epoch, new byte[0], new byte[0]);
        byte[] body = ContentCrypto.encrypt(key, text.getBytes(StandardCharsets.UTF_8), draft.aad());
        ChatMessage unsigned = new ChatMessage(id, author, sequence, ts, epoch, body, new byte[0]);
        return new ChatMessage(id, author, sequence, ts, epoch, body, signer.sign(Protocol.bytes(Protocol.CHAT_BODY, unsigned)));
    }

    /** A chat message of {@code author} under epoch 0 with the given signed frontier (null: none). */
    static ChatMessage chat(Identity author, ConferenceId id, long sequence, HlcTimestamp ts, byte[] key, String text,
                            Frontier frontier) {
        ChatMessage draft = new ChatMessage(id, author.id(), sequence, ts, 0, new byte[0], new byte[0]);
        byte[] body = ContentCrypto.encrypt(key, text.getBytes(StandardCharsets.UTF_8), draft.aad());
        ChatMessage unsigned = new ChatMessage(id, author.id(), sequence, ts, 0, body, new byte[0], frontier);
        return new ChatMessage(id, author.id(), sequence, ts, 0, body, author.sign(Protocol.bytes(Protocol.CHAT_BODY, unsigned)), frontier);
    }

    /**
     * Messages signed together by {@code signer}, as {@code ChatSigner} signs a batch of own posts (at least two):
     * one signature over their tree's root, each message with its path. Their own signatures are ignored.
     */
    static List<ChatMessage> signedTogether(Identity signer, List<ChatMessage> messages) {
        BatchSignature.Signed tree = BatchSignature.build(messages);
        byte[] signature = signer.sign(BatchSignature.statement(tree.root()));
        List<ChatMessage> out = new java.util.ArrayList<>();
        for (int i = 0; i < messages.size(); i++) out.add(messages.get(i).signed(signature, tree.proofs().get(i)));
        return out;
    }

    /** The organiser's signed removal of {@code peer}, moving the key to {@code newEpoch}. */
    static Removal removal(Identity organiser, ConferenceId id, PeerId peer, int newEpoch, Instant at) {
        Removal unsigned = new Removal(id, peer, newEpoch, at, new byte[0]);
        return new Removal(id, peer, newEpoch, at, organiser.sign(Protocol.bytes(Protocol.REMOVAL_BODY, unsigned)));
    }

    /** The organiser's signed removal of {@code peer}, keeping its messages up to {@code upTo}. */
    static Removal removal(Identity organiser, ConferenceId id, PeerId peer, int newEpoch, Instant at, long upTo) {
        Removal unsigned = new Removal(id, peer, newEpoch, at, upTo, new byte[0]);
        return new Removal(id, peer, newEpoch, at, upTo, organiser.sign(Protocol.bytes(Protocol.REMOVAL_BODY, unsigned)));
    }

    /** The organiser's signed grant of the key of {@code epoch} to {@code recipient}, sealed as the engine seals it. */
    static KeyGrant grant(Identity organiser, ConferenceId id, Identity recipient, int epoch, byte[] key) {
        byte[] sealed = ContentCrypto.seal(key, recipient.agreementKey(), sealContext(id, recipient.id()));
        KeyGrant unsigned = new KeyGrant(id, recipient.id(), epoch, sealed, new byte[0]);
        return new KeyGrant(id, recipient.id(), epoch, sealed, organiser.sign(Protocol.bytes(Protocol.GRANT_BODY, unsigned)));
    }

    /** Writes whatever the consumer writes: for hand-made, possibly malformed, bodies. */
    private static final WireCodec<Consumer<WireWriter>> RAW = new WireCodec<>() {
        @Override
        public void write(WireWriter out, Consumer<WireWriter> body) {
            body.accept(out);
        }

        @Override
        public Consumer<WireWriter> read(WireReader in) {
            throw new UnsupportedOperationException("write only");
        }
    };

    static byte[] raw(Consumer<WireWriter> body) {
        return WireBytes.encode(RAW, body, 16 << 20);
    }

    /** Encodes without the 64 KiB cap of {@link Protocol#bytes}, for large test values. */
    static <T> byte[] encode(WireCodec<T> codec, T value) {
        return WireBytes.encode(codec, value, 16 << 20);
    }
}
