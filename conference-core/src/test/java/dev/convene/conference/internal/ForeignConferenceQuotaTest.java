package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static dev.convene.conference.internal.Fixtures.HOUR;
import static dev.convene.conference.internal.Fixtures.MALLORY;
import static dev.convene.conference.internal.Fixtures.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.conference.Answer;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.MutableClock;
import dev.convene.conference.RecordingListener;
import dev.convene.overlay.Identity;
import dev.convene.overlay.RejectedMessageException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Conferences others create at this peer are bounded in number (per organiser, in total) and in horizon. */
class ForeignConferenceQuotaTest {
    private final MutableClock clock = new MutableClock(START.minus(Duration.ofMinutes(10)));
    private final ConferenceEngine bob = new ConferenceEngine(BOB, null, clock, Runnable::run, List.of(new RecordingListener()),
            Duration.ofSeconds(1), Duration.ofHours(1));

    private ConferenceId inviteBob(Identity organiser, Instant start, String title) {
        SignedContext c = SignedContext.sign(Fixtures.context(organiser, start, HOUR, title, "", List.of(BOB.id()), 1), organiser);
        bob.onMeta(organiser.id(), new Meta(c, List.of(Fixtures.invitation(c, organiser, BOB, ContentCrypto.newKey())), List.of(), null));
        return c.context().id();
    }

    @Test
    void anOrganiserCanLeaveOnlyThirtyTwoUnansweredConferencesAndAnAnswerFreesASlot() {
        ConferenceId first = null;
        for (int i = 0; i < ForeignConferences.PER_ORGANISER; i++) {
            ConferenceId id = inviteBob(MALLORY, START, "Spam " + i);
            if (first == null) first = id;
        }
        assertThatThrownBy(() -> inviteBob(MALLORY, START, "One too many")).isInstanceOf(RejectedMessageException.class)
                .hasMessageContaining("unanswered conferences from this organiser");
        assertThat(bob.views()).hasSize(ForeignConferences.PER_ORGANISER);
        assertThat(bob.stats().conferencesRefused()).isEqualTo(1);

        // another organiser is not affected
        assertThatCode(() -> inviteBob(ALICE, START, "Real")).doesNotThrowAnyException();

        // bob's own (signed) answer to one of them frees its slot
        SignedContext firstContext = SignedContext.sign(bob.view(first).context(), MALLORY);
        bob.onMeta(MALLORY.id(), new Meta(firstContext, List.of(), List.of(Fixtures.reply(BOB, first, Answer.DECLINE, "", 1,
                clock.instant())), null));
        assertThatCode(() -> inviteBob(MALLORY, START, "Now it fits")).doesNotThrowAnyException();
    }

    @Test
    void theTotalIsBoundedAcrossOrganisersAndABanFreesTheSlotsOfTheBannedOnes() {
        List<Identity> spammers = new java.util.ArrayList<>();
        for (int i = 0; i < ForeignConferences.TOTAL / ForeignConferences.PER_ORGANISER; i++) spammers.add(Identity.generate());
        for (Identity s : spammers) {
            for (int i = 0; i < ForeignConferences.PER_ORGANISER; i++) inviteBob(s, START, "Spam " + i);
        }
        assertThatThrownBy(() -> inviteBob(ALICE, START, "Real")).isInstanceOf(RejectedMessageException.class)
                .hasMessageContaining("unanswered conferences in all");
        bob.ban(spammers.get(0).id());
        assertThatCode(() -> inviteBob(ALICE, START, "Real")).doesNotThrowAnyException();
    }

    @Test
    void aConferenceStartingMoreThanAYearAheadIsRefused() {
        assertThatThrownBy(() -> inviteBob(MALLORY, clock.instant().plus(Duration.ofDays(400)), "Far")).isInstanceOf(RejectedMessageException.class)
                .hasMessageContaining("days ahead");
        assertThat(bob.views()).isEmpty();
        assertThatCode(() -> inviteBob(MALLORY, clock.instant().plus(Duration.ofDays(300)), "Near")).doesNotThrowAnyException();
    }
}
