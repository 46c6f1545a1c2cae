package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static dev.convene.conference.internal.Fixtures.CAROL;
import static dev.convene.conference.internal.Fixtures.HOUR;
import static dev.convene.conference.internal.Fixtures.MALLORY;
import static dev.convene.conference.internal.Fixtures.START;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.Answer;
import dev.convene.conference.ConferenceState;
import dev.convene.conference.ConferenceView;
import dev.convene.overlay.Identity;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** One conference's derived state: who participates, and the lifecycle state at a given time. */
class ConferenceTest {
    private final Conference c = new Conference(Fixtures.signed(Fixtures.context(BOB, CAROL)));
    private int revision;

    private void answer(Identity who, Answer answer) {
        c.replies.put(who.id(), Fixtures.reply(who, c.id, answer, "", ++revision, START));
    }

    // ---- participants ------------------------------------------------------------------------------------

    @Test
    void beforeAnyAnswerOnlyTheOrganiserParticipates() {
        assertThat(c.participants()).containsExactly(ALICE.id());
        assertThat(c.invitees()).containsExactlyInAnyOrder(BOB.id(), CAROL.id());
        assertThat(c.members()).containsExactlyInAnyOrder(ALICE.id(), BOB.id(), CAROL.id());
    }

    @Test
    void inviteesWhoAcceptedParticipate() {
        answer(BOB, Answer.ACCEPT);
        assertThat(c.participants()).containsExactlyInAnyOrder(ALICE.id(), BOB.id());
        answer(CAROL, Answer.ACCEPT);
        assertThat(c.participants()).containsExactlyInAnyOrder(ALICE.id(), BOB.id(), CAROL.id());
    }

    /** The sets are computed once per change (Counted): every kind of change shows at once. */
    @Test
    void theMembershipSetsFollowEveryChangeOfWhatTheyComeFrom() {
        assertThat(c.participants()).containsExactly(ALICE.id());
        answer(BOB, Answer.ACCEPT);
        assertThat(c.participants()).containsExactlyInAnyOrder(ALICE.id(), BOB.id());
        answer(BOB, Answer.LEAVE);
        assertThat(c.participants()).containsExactly(ALICE.id());
        answer(BOB, Answer.ACCEPT);
        c.removals.put(BOB.id(), new Removal(c.id, BOB.id(), 1, START, 0, ALICE.id(), new byte[0]));
        assertThat(c.invitees()).containsExactly(CAROL.id());
        assertThat(c.participants()).containsExactly(ALICE.id());
        c.removals.clear();
        assertThat(c.participants()).containsExactlyInAnyOrder(ALICE.id(), BOB.id());
        c.context = Fixtures.signed(Fixtures.context(BOB, CAROL, MALLORY));
        assertThat(c.invitees()).containsExactlyInAnyOrder(BOB.id(), CAROL.id(), MALLORY.id());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.participants().add(MALLORY.id()))
                .as("read-only: nothing changes them behind the count").isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void inviteesWhoDeclinedDoNotParticipate() {
        answer(BOB, Answer.DECLINE);
        assertThat(c.participants()).containsExactly(ALICE.id());
    }

    @Test
    void theLatestAnswerCounts() {
        answer(BOB, Answer.ACCEPT);
        answer(BOB, Answer.LEAVE);
        assertThat(c.participants()).doesNotContain(BOB.id());
        answer(BOB, Answer.ACCEPT);
        assertThat(c.participants()).contains(BOB.id());
        answer(CAROL, Answer.DECLINE);
        answer(CAROL, Answer.ACCEPT);
        assertThat(c.participants()).contains(CAROL.id());
    }

    @Test
    void theOrganiserStopsParticipatingWhenItLeavesAndReturnsWhenItAcceptsAgain() {
        answer(ALICE, Answer.LEAVE);
        assertThat(c.participants()).doesNotContain(ALICE.id());
        answer(ALICE, Answer.ACCEPT);
        assertThat(c.participants()).contains(ALICE.id());
    }

    @Test
    void anAcceptFromSomeoneNotInvitedDoesNotMakeAParticipant() {
        answer(MALLORY, Answer.ACCEPT);
        assertThat(c.participants()).containsExactly(ALICE.id());
        assertThat(c.isMember(MALLORY.id())).isFalse();
    }

    @Test
    void aPeerInvitedByInvitationAloneIsAnInviteeAndParticipatesOnceItAccepts() {
        c.invitations.put(MALLORY.id(), Fixtures.invitation(c.context, BOB, MALLORY, ContentCrypto.newKey()));
        assertThat(c.invitees()).contains(MALLORY.id());
        assertThat(c.isMember(MALLORY.id())).isTrue();
        answer(MALLORY, Answer.ACCEPT);
        assertThat(c.participants()).contains(MALLORY.id());
    }

    @Test
    void theViewShowsRolesAnswersAndParticipants() {
        answer(BOB, Answer.ACCEPT);
        c.replies.put(CAROL.id(), Fixtures.reply(CAROL, c.id, Answer.DECLINE, "on holiday", 1, START));
        assertThat(c.view(ALICE.id()).myRole()).isEqualTo(ConferenceView.Role.ORGANISER);
        assertThat(c.view(BOB.id()).myRole()).isEqualTo(ConferenceView.Role.PARTICIPANT);
        assertThat(c.view(CAROL.id()).myRole()).isEqualTo(ConferenceView.Role.DECLINED);
        ConferenceView v = c.view(BOB.id());
        assertThat(v.participants()).containsExactlyInAnyOrder(ALICE.id(), BOB.id());
        assertThat(v.answerOf(CAROL.id())).contains(new ConferenceView.Reply(Answer.DECLINE, "on holiday"));
        assertThat(v.answerOf(ALICE.id())).isEmpty();
        answer(BOB, Answer.LEAVE);
        assertThat(c.view(BOB.id()).myRole()).isEqualTo(ConferenceView.Role.LEFT);
    }

    @Test
    void anInviteeWithoutAnAnswerIsInvited() {
        assertThat(c.view(CAROL.id()).myRole()).isEqualTo(ConferenceView.Role.INVITED);
    }

    // ---- state by time -----------------------------------------------------------------------------------

    @Test
    void beforeTheStartItIsScheduled() {
        assertThat(c.stateAt(START.minus(Duration.ofDays(2)))).isEqualTo(ConferenceState.SCHEDULED);
        assertThat(c.stateAt(START.minusNanos(1))).isEqualTo(ConferenceState.SCHEDULED);
    }

    @Test
    void fromTheStartUntilJustBeforeTheEndItIsLive() {
        assertThat(c.stateAt(START)).isEqualTo(ConferenceState.LIVE);
        assertThat(c.stateAt(START.plus(Duration.ofMinutes(30)))).isEqualTo(ConferenceState.LIVE);
        assertThat(c.stateAt(START.plus(HOUR).minusNanos(1))).isEqualTo(ConferenceState.LIVE);
    }

    @Test
    void fromTheScheduledEndItIsEnded() {
        assertThat(c.stateAt(START.plus(HOUR))).isEqualTo(ConferenceState.ENDED);
        assertThat(c.stateAt(START.plus(Duration.ofDays(300)))).isEqualTo(ConferenceState.ENDED);
    }

    @Test
    void anEndNoticeDatedBeforeTheStartCancelsItWhateverTheTime() {
        c.end = Fixtures.end(ALICE, c.id, START.minusSeconds(1));
        for (Instant now : new Instant[] {START.minus(HOUR), START, START.plus(HOUR).plusSeconds(1)}) {
            assertThat(c.stateAt(now)).as("at %s", now).isEqualTo(ConferenceState.CANCELLED);
        }
    }

    @Test
    void anEndNoticeDatedDuringTheConferenceEndsItEarly() {
        c.end = Fixtures.end(ALICE, c.id, START.plus(Duration.ofMinutes(10)));
        assertThat(c.stateAt(START.plus(Duration.ofMinutes(20)))).isEqualTo(ConferenceState.ENDED);
    }

    @Test
    void anEndNoticeDatedExactlyAtTheStartEndsRatherThanCancels() {
        c.end = Fixtures.end(ALICE, c.id, START);
        assertThat(c.stateAt(START)).isEqualTo(ConferenceState.ENDED);
    }

    // ---- isParticipant: the set's answer without the set ------------------------------------------------------

    private void assertIsParticipantMatchesTheSet() {
        for (Identity who : java.util.List.of(ALICE, BOB, CAROL, MALLORY)) {
            assertThat(c.isParticipant(who.id())).as(who.id().shortId()).isEqualTo(c.participants().contains(who.id()));
        }
    }

    @Test
    void isParticipantAgreesWithParticipantsThroughAnswersInvitationsAndRemovals() {
        assertIsParticipantMatchesTheSet();
        answer(BOB, Answer.ACCEPT);
        answer(CAROL, Answer.DECLINE);
        answer(MALLORY, Answer.ACCEPT); // not invited yet
        assertIsParticipantMatchesTheSet();
        assertThat(c.isParticipant(MALLORY.id())).isFalse();
        c.invitations.put(MALLORY.id(), Fixtures.invitation(c.context, BOB, MALLORY, ContentCrypto.newKey()));
        assertIsParticipantMatchesTheSet();
        assertThat(c.isParticipant(MALLORY.id())).isTrue();
        answer(ALICE, Answer.LEAVE);
        answer(BOB, Answer.LEAVE);
        assertIsParticipantMatchesTheSet();
        assertThat(c.isParticipant(ALICE.id())).isFalse();
        answer(BOB, Answer.ACCEPT);
        c.removals.put(BOB.id(), Fixtures.removal(ALICE, c.id, BOB.id(), 1, START));
        assertIsParticipantMatchesTheSet();
        assertThat(c.isParticipant(BOB.id())).isFalse();
    }
}
