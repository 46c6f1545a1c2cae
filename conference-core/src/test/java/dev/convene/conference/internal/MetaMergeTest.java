package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static dev.convene.conference.internal.Fixtures.CAROL;
import static dev.convene.conference.internal.Fixtures.MALLORY;
import static dev.convene.conference.internal.Fixtures.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.conference.Answer;
import dev.convene.conference.ConferenceId;
import dev.convene.overlay.Identity;
import dev.convene.overlay.RejectedMessageException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Metadata merge driven directly: what makes a conference known, which records are kept, what is handed on. */
class MetaMergeTest {
    private final byte[] key = ContentCrypto.newKey();
    private final SignedContext ctx = Fixtures.signed(Fixtures.context(BOB, CAROL));
    private final Seams bob = new Seams(BOB);
    private final List<Conference> changed = new ArrayList<>();
    private final MetaMerge merge = new MetaMerge(bob.s, bob.keys, bob.chat, bob.dispatch, changed::add);

    @Test
    void aValidInvitationMakesTheConferenceKnownOpensItsKeyAndHandsTheChangeOn() {
        merge.onMeta(ALICE.id(), new Meta(ctx, List.of(Fixtures.invitation(ctx, ALICE, BOB, key)), List.of(), null));
        Conference c = bob.s.conferences.get(ctx.context().id());
        assertThat(c).isNotNull();
        assertThat(bob.s.readable).containsKey(c.id);
        assertThat(c.keys.get(0)).isEqualTo(key);
        assertThat(changed).containsExactly(c);
    }

    @Test
    void aConferenceWithoutAValidInvitationForThisPeerIsRefusedAndItsEventsDropped() {
        SignedContext withoutBob = Fixtures.signed(Fixtures.context(CAROL));
        var forged = Fixtures.signedBy(MALLORY, Fixtures.invitation(withoutBob, ALICE, BOB, key));
        assertThatThrownBy(() -> merge.onMeta(MALLORY.id(), new Meta(withoutBob, List.of(forged), List.of(), null)))
                .isInstanceOf(RejectedMessageException.class);
        assertThat(bob.s.conferences).isEmpty();
        assertThat(changed).isEmpty();
        bob.dispatch.flushPendingEvents(new Conference(withoutBob), null);
        assertThat(bob.heard).isEmpty();
    }

    /**
     * Another member's answer travels with its own invitation only (Conference.answerMeta) and can come before the
     * metadata holding this peer's invitation: the conference does not appear without this peer's key (an accept would
     * then fail with "invitation not arrived"), nothing is refused as hostile, and the full metadata makes it known.
     */
    @Test
    void anotherMembersAnswerBeforeThisPeersInvitationMakesNothingKnownYet() {
        // As decoded from a frame: its own copy of the signed context.
        SignedContext copy = new SignedContext(ctx.context(), ctx.organiserKey().clone(), ctx.signature().clone());
        Invitation toCarol = Fixtures.invitation(copy, ALICE, CAROL, key);
        Reply carolAccepts = Fixtures.reply(CAROL, ctx.context().id(), Answer.ACCEPT, "", 1, START);
        merge.onMeta(CAROL.id(), new Meta(ctx, List.of(toCarol), List.of(carolAccepts), null));
        assertThat(bob.s.conferences).isEmpty();
        assertThat(changed).isEmpty();

        merge.onMeta(ALICE.id(), new Meta(ctx, List.of(Fixtures.invitation(ctx, ALICE, BOB, key), toCarol), List.of(carolAccepts), null));
        Conference c = bob.s.conferences.get(ctx.context().id());
        assertThat(c).isNotNull();
        assertThat(c.keys.get(0)).isEqualTo(key);
        assertThat(c.participants()).contains(CAROL.id());
        // Each invitation came with its own decoded copy of the signed context: one is held for all.
        assertThat(c.invitations.get(CAROL.id()).context()).isNotSameAs(copy).isSameAs(c.invitations.get(BOB.id()).context());
        // What carol's answer carries: her invitation and answers, not every member's.
        assertThat(c.answerMeta(CAROL.id()).invitations()).extracting(Invitation::signature).containsExactly(toCarol.signature());
        assertThat(c.answerMeta(CAROL.id()).replies()).containsExactly(carolAccepts);
    }

    @Test
    void anAnswerIsTakenOnlyAboveTheKnownRevisionAndOnlyFromAMember() {
        merge.onMeta(ALICE.id(), new Meta(ctx, List.of(Fixtures.invitation(ctx, ALICE, BOB, key),
                Fixtures.invitation(ctx, ALICE, CAROL, key)), List.of(), null));
        Conference c = bob.s.conferences.get(ctx.context().id());
        Reply accept = Fixtures.reply(CAROL, c.id, Answer.ACCEPT, "", 1, START);
        merge.mergeReplies(c, List.of(accept), CAROL.id());
        merge.mergeReplies(c, List.of(Fixtures.reply(CAROL, c.id, Answer.DECLINE, "", 1, START)), CAROL.id());
        assertThat(c.replies.get(CAROL.id())).isSameAs(accept);
        assertThat(c.participants()).contains(CAROL.id());

        Reply later = Fixtures.reply(CAROL, c.id, Answer.DECLINE, "", 2, START);
        merge.mergeReplies(c, List.of(later), CAROL.id());
        assertThat(c.replies.get(CAROL.id())).isSameAs(later);
        assertThat(c.replyLog.get(CAROL.id())).containsOnlyKeys(1, 2);

        merge.mergeReplies(c, List.of(Fixtures.reply(MALLORY, c.id, Answer.ACCEPT, "", 1, START)), MALLORY.id());
        assertThat(c.replies).doesNotContainKey(MALLORY.id());
    }

    private RoleChange role(ConferenceId id, Identity who, boolean organiser, int revision, java.time.Duration after) {
        RoleChange unsigned = new RoleChange(id, who.id(), organiser, revision, START.plus(after), new byte[0]);
        return new RoleChange(id, who.id(), organiser, revision, unsigned.at(), ALICE.sign(Protocol.bytes(Protocol.ROLE_BODY, unsigned)));
    }

    /** An invitation by {@code inviter} issued at {@code issuedAt}, signed by it. */
    private Invitation invitationAt(Identity inviter, Identity invitee, java.time.Instant issuedAt) {
        Invitation b = Fixtures.invitation(ctx, inviter, invitee, key);
        Invitation unsigned = new Invitation(b.context(), b.invitee(), b.inviteeKey(), b.inviteeAgreementKey(), b.inviter(), b.inviterKey(),
                b.expiry(), b.nonce(), 0, 0, b.sealedKey(), issuedAt, new byte[0]);
        return new Invitation(b.context(), b.invitee(), b.inviteeKey(), b.inviteeAgreementKey(), b.inviter(), b.inviterKey(),
                b.expiry(), b.nonce(), 0, 0, b.sealedKey(), issuedAt, inviter.sign(Protocol.bytes(Protocol.INVITATION_BODY, unsigned)));
    }

    /**
     * A co-organiser's invitation issued after its role was revoked is refused at every peer, whether the revocation
     * arrives with it or after it was kept (the verdict depends on the records, not on their order).
     */
    @Test
    void anInvitationByARevokedCoOrganiserFallsWhicheverOrderTheRecordsArriveIn() {
        ConferenceId id = ctx.context().id();
        Invitation bobsOwn = Fixtures.invitation(ctx, ALICE, BOB, key);
        Invitation carols = Fixtures.invitation(ctx, ALICE, CAROL, key);
        Invitation byBob = invitationAt(BOB, MALLORY, START.plus(java.time.Duration.ofMinutes(30)));
        RoleChange grant = role(id, BOB, true, 1, java.time.Duration.ofMinutes(10));
        RoleChange revoke = role(id, BOB, false, 2, java.time.Duration.ofMinutes(20));

        // Carol learns the grant and bob's invitation first, the revocation later.
        Seams carolLate = new Seams(CAROL);
        MetaMerge lateMerge = new MetaMerge(carolLate.s, carolLate.keys, carolLate.chat, carolLate.dispatch, c -> { });
        lateMerge.onMeta(ALICE.id(), new Meta(ctx, List.of(bobsOwn, carols, byBob), List.of(), null, List.of(), List.of(), List.of(grant)));
        Conference late = carolLate.s.conferences.get(id);
        assertThat(late.invitations).as("authorised by the records held then").containsKey(MALLORY.id());
        lateMerge.onMeta(ALICE.id(), new Meta(ctx, List.of(), List.of(), null, List.of(), List.of(), List.of(grant, revoke)));
        assertThat(late.invitations).as("dropped once the revocation is known").doesNotContainKey(MALLORY.id());

        // Another peer learns everything in one frame: the same verdict.
        Seams carolAtOnce = new Seams(CAROL);
        MetaMerge onceMerge = new MetaMerge(carolAtOnce.s, carolAtOnce.keys, carolAtOnce.chat, carolAtOnce.dispatch, c -> { });
        onceMerge.onMeta(ALICE.id(), new Meta(ctx, List.of(bobsOwn, carols, byBob), List.of(), null, List.of(), List.of(), List.of(grant, revoke)));
        Conference once = carolAtOnce.s.conferences.get(id);
        assertThat(once.invitations.keySet()).isEqualTo(late.invitations.keySet());

        // An invitation bob issued while he held the role stands in both orders.
        Invitation inTime = invitationAt(BOB, Fixtures.MALLORY, START.plus(java.time.Duration.ofMinutes(15)));
        lateMerge.onMeta(ALICE.id(), new Meta(ctx, List.of(inTime), List.of(), null, List.of(), List.of(), List.of(grant, revoke)));
        assertThat(late.invitations).containsKey(MALLORY.id());
    }
}
