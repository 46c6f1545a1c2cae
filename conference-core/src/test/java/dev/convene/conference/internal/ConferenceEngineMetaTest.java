package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static dev.convene.conference.internal.Fixtures.CAROL;
import static dev.convene.conference.internal.Fixtures.HOUR;
import static dev.convene.conference.internal.Fixtures.MALLORY;
import static dev.convene.conference.internal.Fixtures.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.conference.Answer;
import dev.convene.conference.ConferenceContext;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferenceState;
import dev.convene.conference.ConferenceView;
import dev.convene.conference.MutableClock;
import dev.convene.conference.RecordingListener;
import dev.convene.overlay.Identity;
import dev.convene.overlay.RejectedMessageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How an invitee's engine takes in conference metadata, driven directly (no overlay, no store): metadata
 * handling touches neither, and listeners run inline.
 */
class ConferenceEngineMetaTest {
    private final MutableClock clock = new MutableClock(START.minus(Duration.ofMinutes(10)));
    private final RecordingListener events = new RecordingListener();
    private final ConferenceEngine bob = new ConferenceEngine(BOB, null, clock, Runnable::run, List.of(events), Duration.ofSeconds(1),
            Duration.ofHours(1));
    private final byte[] key = ContentCrypto.newKey();
    private final SignedContext ctx = Fixtures.signed(Fixtures.context(BOB, CAROL));
    private final ConferenceId id = ctx.context().id();
    private final Invitation toBob = Fixtures.invitation(ctx, ALICE, BOB, key);
    private final Invitation toCarol = Fixtures.invitation(ctx, ALICE, CAROL, key);

    private static Meta meta(SignedContext ctx, List<Invitation> invitations, List<Reply> replies, EndNotice end) {
        return new Meta(ctx, invitations, replies, end);
    }

    private Meta invitations() {
        return meta(ctx, List.of(toBob, toCarol), List.of(), null);
    }

    private ConferenceView view() {
        return bob.view(id);
    }

    @Test
    void anInvitationMakesTheConferenceKnownAsScheduledAndAnnouncesIt() {
        bob.onMeta(ALICE.id(), invitations());
        assertThat(view().state()).isEqualTo(ConferenceState.SCHEDULED);
        assertThat(view().myRole()).isEqualTo(ConferenceView.Role.INVITED);
        assertThat(view().invitees()).containsExactlyInAnyOrder(BOB.id(), CAROL.id());
        assertThat(view().participants()).containsExactly(ALICE.id());
        assertThat(events.events).containsOnlyOnce("invitation Design review");
    }

    @Test
    void theFirstEventAnInviteeHearsIsTheInvitation() {
        bob.onMeta(ALICE.id(), invitations());
        assertThat(events.events).containsExactly("invitation Design review");
    }

    @Test
    void theSameInvitationTwiceIsAnnouncedOnce() {
        bob.onMeta(ALICE.id(), invitations());
        bob.onMeta(CAROL.id(), invitations());
        assertThat(events.events).filteredOn(e -> e.startsWith("invitation")).containsExactly("invitation Design review");
    }

    @Test
    void theConferenceGoesLiveAtItsStartByThisPeersClockAndEndsAfterItsDuration() {
        bob.onMeta(ALICE.id(), invitations());
        clock.advance(Duration.ofMinutes(10).minusMillis(1));
        bob.tick();
        assertThat(view().state()).isEqualTo(ConferenceState.SCHEDULED);
        clock.advance(Duration.ofMillis(1));
        bob.tick();
        assertThat(view().state()).isEqualTo(ConferenceState.LIVE);
        clock.advance(HOUR);
        bob.tick();
        assertThat(view().state()).isEqualTo(ConferenceState.ENDED);
        assertThat(events.events).containsSubsequence("started Design review", "ended Design review");
    }

    @Test
    void aContextThatDoesNotVerifyIsRejectedAndCreatesNothing() {
        ConferenceContext c = ctx.context();
        ConferenceContext forged = new ConferenceContext(c.id(), "Free pizza", c.agenda(), c.organiser(), c.start(), c.duration(),
                c.invitees(), c.createdAt(), c.version(), c.participantsMayInvite());
        Meta m = meta(new SignedContext(forged, ctx.organiserKey(), ctx.signature()), List.of(toBob), List.of(), null);
        assertThatThrownBy(() -> bob.onMeta(MALLORY.id(), m)).isInstanceOf(RejectedMessageException.class);
        assertThat(bob.views()).isEmpty();
        assertThat(events.events).isEmpty();
    }

    @Test
    void metadataOfAConferenceThisPeerIsNotInIsRejected() {
        SignedContext other = Fixtures.signed(Fixtures.context(CAROL));
        assertThatThrownBy(() -> bob.onMeta(ALICE.id(), meta(other, List.of(), List.of(), null)))
                .isInstanceOf(RejectedMessageException.class);
        assertThat(bob.views()).isEmpty();
    }

    @Test
    void aForgedInvitationNamingThisPeerCreatesNothing() {
        SignedContext other = Fixtures.signed(Fixtures.context(CAROL));
        Invitation forged = Fixtures.signedBy(MALLORY, Fixtures.invitation(other, ALICE, BOB, key));
        assertThat(forged.verifies()).isFalse();
        try {
            bob.onMeta(MALLORY.id(), meta(other, List.of(forged), List.of(), null));
        } catch (RejectedMessageException expected) {
            // rejecting it is fine too
        }
        assertThat(bob.views()).isEmpty();
    }

    @Test
    void anInvitationByAnInviteeWhenOnlyTheOrganiserMayInviteIsIgnored() {
        bob.onMeta(ALICE.id(), invitations());
        Invitation byCarol = Fixtures.invitation(ctx, CAROL, MALLORY, key);
        assertThat(byCarol.verifies()).isTrue();
        bob.onMeta(CAROL.id(), meta(ctx, List.of(byCarol), List.of(), null));
        assertThat(view().invitees()).doesNotContain(MALLORY.id());
    }

    @Test
    void aSignedReplyFromAnInviteeIsApplied() {
        bob.onMeta(ALICE.id(), invitations());
        bob.onMeta(CAROL.id(), meta(ctx, List.of(), List.of(Fixtures.reply(CAROL, id, Answer.ACCEPT, "", 1, START)), null));
        assertThat(view().participants()).containsExactlyInAnyOrder(ALICE.id(), CAROL.id());
        assertThat(events.events).contains("reply Design review " + CAROL.id().shortId() + " accept",
                "joined Design review " + CAROL.id().shortId() + " accepted");
    }

    @Test
    void aReplyInAnInviteesNameSignedBySomeoneElseIsIgnored() {
        bob.onMeta(ALICE.id(), invitations());
        Reply genuine = Fixtures.reply(CAROL, id, Answer.ACCEPT, "", 1, START);
        Reply forged = new Reply(id, CAROL.id(), Answer.ACCEPT, "", 1, START,
                MALLORY.sign(Protocol.bytes(Protocol.REPLY_BODY, genuine)));
        bob.onMeta(MALLORY.id(), meta(ctx, List.of(), List.of(forged), null));
        assertThat(view().answers()).doesNotContainKey(CAROL.id());
        assertThat(view().participants()).containsExactly(ALICE.id());
    }

    @Test
    void aReplyFromSomeoneNotInvitedIsIgnored() {
        bob.onMeta(ALICE.id(), invitations());
        bob.onMeta(MALLORY.id(), meta(ctx, List.of(), List.of(Fixtures.reply(MALLORY, id, Answer.ACCEPT, "", 1, START)), null));
        assertThat(view().answers()).isEmpty();
    }

    @Test
    void anOlderRevisionNeverOverridesANewerAnswer() {
        bob.onMeta(ALICE.id(), invitations());
        Reply accept = Fixtures.reply(CAROL, id, Answer.ACCEPT, "", 1, START);
        Reply decline = Fixtures.reply(CAROL, id, Answer.DECLINE, "changed my mind", 2, START.plusSeconds(1));
        bob.onMeta(CAROL.id(), meta(ctx, List.of(), List.of(decline), null));
        bob.onMeta(ALICE.id(), meta(ctx, List.of(), List.of(accept), null)); // replayed, arriving late
        assertThat(view().answerOf(CAROL.id())).contains(new ConferenceView.Reply(Answer.DECLINE, "changed my mind"));
        assertThat(view().participants()).doesNotContain(CAROL.id());
    }

    @Test
    void anEndNoticeBeforeTheStartCancelsAScheduledConference() {
        bob.onMeta(ALICE.id(), invitations());
        bob.onMeta(ALICE.id(), meta(ctx, List.of(), List.of(), Fixtures.end(ALICE, id, clock.instant())));
        assertThat(view().state()).isEqualTo(ConferenceState.CANCELLED);
        assertThat(events.events).contains("ended Design review");
    }

    @Test
    void anEndNoticeDuringTheConferenceEndsIt() {
        clock.advance(Duration.ofMinutes(20));
        bob.onMeta(ALICE.id(), invitations());
        assertThat(view().state()).isEqualTo(ConferenceState.LIVE);
        bob.onMeta(ALICE.id(), meta(ctx, List.of(), List.of(), Fixtures.end(ALICE, id, clock.instant())));
        assertThat(view().state()).isEqualTo(ConferenceState.ENDED);
    }

    @Test
    void anEndNoticeNotSignedByTheOrganiserIsIgnored() {
        bob.onMeta(ALICE.id(), invitations());
        bob.onMeta(CAROL.id(), meta(ctx, List.of(), List.of(), Fixtures.end(CAROL, id, clock.instant())));
        assertThat(view().state()).isEqualTo(ConferenceState.SCHEDULED);
    }

    @Test
    void aCancellationThatArrivesAfterTheConferenceWentLiveHereStillEndsIt() {
        clock.advance(Duration.ofMinutes(11)); // this peer's clock is past the start; the organiser's was not when it cancelled
        bob.onMeta(ALICE.id(), invitations());
        assertThat(view().state()).isEqualTo(ConferenceState.LIVE);
        bob.onMeta(ALICE.id(), meta(ctx, List.of(), List.of(), Fixtures.end(ALICE, id, START.minusSeconds(5))));
        assertThat(view().state().isOver()).as("state after the cancellation, was %s", view().state()).isTrue();
        clock.advance(HOUR.multipliedBy(2));
        bob.tick();
        assertThat(view().state().isOver()).as("state after the scheduled end, was %s", view().state()).isTrue();
    }

    @Test
    void anInviteeTakesInTheMetadataOfAFifteenPersonConferenceWithAFullAgenda() {
        List<Identity> invitees = new ArrayList<>(List.of(BOB));
        for (int i = 1; i < 15; i++) invitees.add(Identity.generate());
        SignedContext big = Fixtures.signed(Fixtures.context(ALICE, START, HOUR, "All hands", "a".repeat(4000),
                invitees.stream().map(Identity::id).toList(), 1));
        List<Invitation> all = invitees.stream().map(p -> Fixtures.invitation(big, ALICE, p, key)).toList();
        assertThatCode(() -> bob.onMeta(ALICE.id(), meta(big, all, List.of(), null))).doesNotThrowAnyException();
        assertThat(bob.view(big.context().id()).invitees()).hasSize(15).contains(BOB.id());
    }

    @Test
    void aNewerContextVersionFromTheOrganiserReplacesTheOlderOne() {
        bob.onMeta(ALICE.id(), invitations());
        SignedContext v2 = SignedContext.sign(ctx.context().withInvitees(List.of(MALLORY.id())), ALICE);
        bob.onMeta(ALICE.id(), meta(v2, List.of(), List.of(), null));
        assertThat(view().context().version()).isEqualTo(2);
        assertThat(view().invitees()).contains(MALLORY.id());
        // and an older one arriving later does not bring the old list back
        bob.onMeta(CAROL.id(), meta(ctx, List.of(), List.of(), null));
        assertThat(view().context().version()).isEqualTo(2);
    }

    @Test
    void aContextFromAnotherOrganiserForAKnownIdIsRejected() {
        bob.onMeta(ALICE.id(), invitations());
        ConferenceContext c = ctx.context();
        ConferenceContext hijack = new ConferenceContext(id, "Mine now", "", MALLORY.id(), c.start(), c.duration(),
                new java.util.TreeSet<>(List.of(BOB.id())), c.createdAt(), 9, false);
        assertThatThrownBy(() -> bob.onMeta(MALLORY.id(), meta(SignedContext.sign(hijack, MALLORY), List.of(), List.of(), null)))
                .isInstanceOf(RejectedMessageException.class);
        assertThat(view().title()).isEqualTo("Design review");
        assertThat(view().context().organiser()).isEqualTo(ALICE.id());
    }
}
