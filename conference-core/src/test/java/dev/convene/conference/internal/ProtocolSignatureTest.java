package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static dev.convene.conference.internal.Fixtures.CAROL;
import static dev.convene.conference.internal.Fixtures.MALLORY;
import static dev.convene.conference.internal.Fixtures.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.conference.Answer;
import dev.convene.conference.ConferenceContext;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.HlcTimestamp;
import dev.convene.overlay.wire.WireBytes;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every signed record verifies as made, and stops verifying when any signed field changes. */
class ProtocolSignatureTest {
    private static final byte[] KEY = ContentCrypto.newKey();
    private static final ConferenceContext CONTEXT = Fixtures.context(BOB, CAROL);
    private static final ConferenceId ID = CONTEXT.id();
    private static final SignedContext SIGNED = Fixtures.signed(CONTEXT);
    private static final Invitation INVITATION = Fixtures.invitation(SIGNED, ALICE, BOB, KEY);
    private static final Reply REPLY = Fixtures.reply(BOB, ID, Answer.DECLINE, "on holiday", 2, START);
    private static final ChatMessage CHAT = Fixtures.chat(BOB, ID, 4, new HlcTimestamp(START.toEpochMilli(), 1), KEY, "hello");

    private static byte[] flipped(byte[] b) {
        byte[] c = b.clone();
        c[c.length / 2] ^= 1;
        return c;
    }

    // ---- contexts ----------------------------------------------------------------------------------------

    @Test
    void aSignedContextVerifies() {
        assertThat(SIGNED.verifies()).isTrue();
        assertThat(WireBytes.decode(Protocol.SIGNED_CONTEXT, Fixtures.encode(Protocol.SIGNED_CONTEXT, SIGNED)).verifies()).isTrue();
    }

    @Test
    void aContextWithAnotherTitleDoesNotVerify() {
        ConferenceContext other = new ConferenceContext(ID, "Pay raises for Mallory", CONTEXT.agenda(), CONTEXT.organiser(), CONTEXT.start(),
                CONTEXT.duration(), CONTEXT.invitees(), CONTEXT.createdAt(), CONTEXT.version(), CONTEXT.participantsMayInvite());
        assertThat(new SignedContext(other, SIGNED.organiserKey(), SIGNED.signature()).verifies()).isFalse();
    }

    @Test
    void aContextWithMoreInviteesOrAnotherVersionDoesNotVerify() {
        ConferenceContext more = CONTEXT.withInvitees(List.of(MALLORY.id()));
        assertThat(new SignedContext(more, SIGNED.organiserKey(), SIGNED.signature()).verifies()).isFalse();
        assertThat(SignedContext.sign(more, ALICE).verifies()).isTrue();
    }

    @Test
    void aContextWithAFlippedSignatureBitDoesNotVerify() {
        assertThat(new SignedContext(CONTEXT, SIGNED.organiserKey(), flipped(SIGNED.signature())).verifies()).isFalse();
    }

    @Test
    void aContextSignedByAnyoneButItsOrganiserCannotBeMade() {
        assertThatThrownBy(() -> SignedContext.sign(CONTEXT, MALLORY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("organiser key does not match the organiser id");
        byte[] signature = MALLORY.sign(Protocol.bytes(Protocol.CONTEXT, CONTEXT));
        assertThatThrownBy(() -> new SignedContext(CONTEXT, MALLORY.signingKey(), signature))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aContextWithTheOrganisersKeyButAnotherSignerDoesNotVerify() {
        byte[] signature = MALLORY.sign(Protocol.bytes(Protocol.CONTEXT, CONTEXT));
        assertThat(new SignedContext(CONTEXT, ALICE.signingKey(), signature).verifies()).isFalse();
    }

    // ---- invitations -------------------------------------------------------------------------------------

    @Test
    void anInvitationMadeLikeTheEngineDoesVerifies() {
        assertThat(INVITATION.verifies()).isTrue();
        assertThat(WireBytes.decode(Protocol.INVITATION, Fixtures.encode(Protocol.INVITATION, INVITATION)).verifies()).isTrue();
    }

    static Stream<Arguments> invitationChanges() {
        SignedContext v2 = SignedContext.sign(CONTEXT.withInvitees(List.of(MALLORY.id())), ALICE);
        return Stream.of(
                change("the context (a newer, validly signed version)", i -> copy(i, v2, i.invitee(), i.inviteeKey(), i.inviteeAgreementKey(),
                        i.expiry(), i.nonce(), i.keyEpoch(), i.sealedKey())),
                change("the invitee (with its own keys)", i -> copy(i, i.context(), MALLORY.id(), MALLORY.signingKey(), MALLORY.agreementKey(),
                        i.expiry(), i.nonce(), i.keyEpoch(), i.sealedKey())),
                change("the invitee's agreement key", i -> copy(i, i.context(), i.invitee(), i.inviteeKey(), MALLORY.agreementKey(),
                        i.expiry(), i.nonce(), i.keyEpoch(), i.sealedKey())),
                change("the expiry", i -> copy(i, i.context(), i.invitee(), i.inviteeKey(), i.inviteeAgreementKey(),
                        i.expiry().plus(Duration.ofDays(365)), i.nonce(), i.keyEpoch(), i.sealedKey())),
                change("the nonce", i -> copy(i, i.context(), i.invitee(), i.inviteeKey(), i.inviteeAgreementKey(),
                        i.expiry(), flipped(i.nonce()), i.keyEpoch(), i.sealedKey())),
                change("the key epoch", i -> copy(i, i.context(), i.invitee(), i.inviteeKey(), i.inviteeAgreementKey(),
                        i.expiry(), i.nonce(), i.keyEpoch() + 1, i.sealedKey())),
                change("the sealed key", i -> copy(i, i.context(), i.invitee(), i.inviteeKey(), i.inviteeAgreementKey(),
                        i.expiry(), i.nonce(), i.keyEpoch(), ContentCrypto.seal(KEY, MALLORY.agreementKey(), new byte[0]))),
                change("the inviter (with its own key)", i -> new Invitation(i.context(), i.invitee(), i.inviteeKey(),
                        i.inviteeAgreementKey(), CAROL.id(), CAROL.signingKey(), i.expiry(), i.nonce(), i.keyEpoch(), i.sealedKey(),
                        i.signature())),
                change("the signature (one bit)", i -> new Invitation(i.context(), i.invitee(), i.inviteeKey(), i.inviteeAgreementKey(),
                        i.inviter(), i.inviterKey(), i.expiry(), i.nonce(), i.keyEpoch(), i.sealedKey(), flipped(i.signature()))),
                change("the signer (another identity signs the same body)", i -> Fixtures.signedBy(MALLORY, i)),
                change("the embedded context's signature", i -> copy(i, new SignedContext(i.context().context(),
                        i.context().organiserKey(), flipped(i.context().signature())), i.invitee(), i.inviteeKey(),
                        i.inviteeAgreementKey(), i.expiry(), i.nonce(), i.keyEpoch(), i.sealedKey())));
    }

    private static Arguments change(String what, UnaryOperator<Invitation> change) {
        return Arguments.of(what, change);
    }

    /** The invitation with other body fields and the original signature. */
    private static Invitation copy(Invitation i, SignedContext ctx, dev.convene.overlay.PeerId invitee, byte[] inviteeKey,
                                   byte[] agreementKey, java.time.Instant expiry, byte[] nonce, int epoch, byte[] sealed) {
        return new Invitation(ctx, invitee, inviteeKey, agreementKey, i.inviter(), i.inviterKey(), expiry, nonce, epoch, sealed,
                i.signature());
    }

    @ParameterizedTest(name = "changing {0}")
    @MethodSource("invitationChanges")
    void anInvitationWithAnyFieldChangedDoesNotVerify(String what, UnaryOperator<Invitation> change) {
        Invitation changed = change.apply(INVITATION);
        assertThat(changed.verifies()).isFalse();
        // Also after a trip over the wire.
        assertThat(WireBytes.decode(Protocol.INVITATION, Fixtures.encode(Protocol.INVITATION, changed)).verifies()).isFalse();
    }

    @Test
    void anInvitationByAParticipantVerifiesWithItsOwnKey() {
        // Who may invite is the engine's decision; the signature only proves who did.
        assertThat(Fixtures.invitation(SIGNED, CAROL, MALLORY, KEY).verifies()).isTrue();
    }

    @Test
    void anInvitationClaimingAnInviteeOrInviterWhoseKeyDoesNotMatchCannotBeMade() {
        Invitation i = INVITATION;
        assertThatThrownBy(() -> new Invitation(i.context(), MALLORY.id(), i.inviteeKey(), i.inviteeAgreementKey(), i.inviter(),
                i.inviterKey(), i.expiry(), i.nonce(), i.keyEpoch(), i.sealedKey(), i.signature()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("invitee key does not match");
        assertThatThrownBy(() -> new Invitation(i.context(), i.invitee(), i.inviteeKey(), i.inviteeAgreementKey(), CAROL.id(),
                i.inviterKey(), i.expiry(), i.nonce(), i.keyEpoch(), i.sealedKey(), i.signature()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("inviter key does not match");
    }

    // ---- replies, end notices, chat ----------------------------------------------------------------------

    @Test
    void aReplyVerifiesOnlyWithItsAuthorsKey() {
        assertThat(REPLY.verifies(BOB.signingKey())).isTrue();
        assertThat(REPLY.verifies(ALICE.signingKey())).isFalse();
        assertThat(REPLY.verifies(MALLORY.signingKey())).isFalse();
        assertThat(REPLY.verifies(new byte[0])).isFalse();
    }

    static Stream<Arguments> replyChanges() {
        return Stream.of(
                Arguments.of("answer", (UnaryOperator<Reply>) r -> new Reply(r.conference(), r.author(), Answer.ACCEPT, r.reason(),
                        r.revision(), r.at(), r.signature())),
                Arguments.of("reason", (UnaryOperator<Reply>) r -> new Reply(r.conference(), r.author(), r.answer(), "", r.revision(),
                        r.at(), r.signature())),
                Arguments.of("revision", (UnaryOperator<Reply>) r -> new Reply(r.conference(), r.author(), r.answer(), r.reason(),
                        r.revision() + 1, r.at(), r.signature())),
                Arguments.of("time", (UnaryOperator<Reply>) r -> new Reply(r.conference(), r.author(), r.answer(), r.reason(),
                        r.revision(), r.at().plusMillis(1), r.signature())),
                Arguments.of("conference", (UnaryOperator<Reply>) r -> new Reply(ConferenceId.random(), r.author(), r.answer(),
                        r.reason(), r.revision(), r.at(), r.signature())),
                Arguments.of("author", (UnaryOperator<Reply>) r -> new Reply(r.conference(), CAROL.id(), r.answer(), r.reason(),
                        r.revision(), r.at(), r.signature())));
    }

    @ParameterizedTest(name = "changing the {0}")
    @MethodSource("replyChanges")
    void aReplyWithAnyFieldChangedDoesNotVerify(String what, UnaryOperator<Reply> change) {
        assertThat(change.apply(REPLY).verifies(BOB.signingKey())).isFalse();
    }

    @Test
    void anEndNoticeVerifiesOnlyWithTheOrganisersKeyAndItsOwnTime() {
        EndNotice end = Fixtures.end(ALICE, ID, START.plusSeconds(60));
        assertThat(end.verifies(ALICE.signingKey())).isTrue();
        assertThat(end.verifies(MALLORY.signingKey())).isFalse();
        assertThat(new EndNotice(ID, START.minusSeconds(60), end.signature()).verifies(ALICE.signingKey())).as("moved before the start")
                .isFalse();
        assertThat(new EndNotice(ConferenceId.random(), end.at(), end.signature()).verifies(ALICE.signingKey())).as("other conference")
                .isFalse();
    }

    @Test
    void aChatMessageVerifiesOnlyWithItsAuthorsKey() {
        assertThat(CHAT.verifies(BOB.signingKey())).isTrue();
        assertThat(CHAT.verifies(CAROL.signingKey())).isFalse();
        assertThat(WireBytes.decode(Protocol.CHAT, Fixtures.encode(Protocol.CHAT, CHAT)).verifies(BOB.signingKey())).isTrue();
    }

    static Stream<Arguments> chatChanges() {
        return Stream.of(
                Arguments.of("conference", (UnaryOperator<ChatMessage>) m -> new ChatMessage(ConferenceId.random(), m.author(), m.sequence(),
                        m.timestamp(), m.keyEpoch(), m.body(), m.signature())),
                Arguments.of("author", (UnaryOperator<ChatMessage>) m -> new ChatMessage(m.conference(), CAROL.id(), m.sequence(),
                        m.timestamp(), m.keyEpoch(), m.body(), m.signature())),
                Arguments.of("sequence", (UnaryOperator<ChatMessage>) m -> new ChatMessage(m.conference(), m.author(), m.sequence() + 1,
                        m.timestamp(), m.keyEpoch(), m.body(), m.signature())),
                Arguments.of("timestamp", (UnaryOperator<ChatMessage>) m -> new ChatMessage(m.conference(), m.author(), m.sequence(),
                        new HlcTimestamp(m.timestamp().wallMillis(), m.timestamp().counter() + 1), m.keyEpoch(), m.body(), m.signature())),
                Arguments.of("key epoch", (UnaryOperator<ChatMessage>) m -> new ChatMessage(m.conference(), m.author(), m.sequence(),
                        m.timestamp(), m.keyEpoch() + 1, m.body(), m.signature())),
                Arguments.of("body", (UnaryOperator<ChatMessage>) m -> new ChatMessage(m.conference(), m.author(), m.sequence(),
                        m.timestamp(), m.keyEpoch(), flipped(m.body()), m.signature())));
    }

    @ParameterizedTest(name = "changing the {0}")
    @MethodSource("chatChanges")
    void aChatMessageWithAnyFieldChangedDoesNotVerify(String what, UnaryOperator<ChatMessage> change) {
        assertThat(change.apply(CHAT).verifies(BOB.signingKey())).isFalse();
    }
}
