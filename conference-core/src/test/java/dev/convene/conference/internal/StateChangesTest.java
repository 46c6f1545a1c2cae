package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static dev.convene.conference.internal.Fixtures.START;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.Answer;
import dev.convene.conference.ConferenceState;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** State moves and the events after a change, driven directly. */
class StateChangesTest {
    private final Seams bob = new Seams(BOB, ConferenceStore.none(), START.minus(Duration.ofMinutes(1)));
    private final StateChanges changes = new StateChanges(bob.s, bob.dispatch, new Persistence(bob.s, bob.keys, bob.chat));
    private final Conference c = Seams.aliceWithBob(ContentCrypto.newKey());

    @Test
    void aConferenceGoesLiveAtItsStartAndEndsAtItsEndEachTold() {
        changes.refreshState(c);
        assertThat(c.state).isEqualTo(ConferenceState.SCHEDULED);
        assertThat(bob.heard).isEmpty();

        bob.clock.advance(Duration.ofMinutes(2));
        changes.refreshState(c);
        changes.refreshState(c);
        assertThat(bob.s.views.get(c.id).state()).isEqualTo(ConferenceState.LIVE);

        bob.clock.advance(Fixtures.HOUR);
        changes.refreshState(c);
        assertThat(bob.heard).containsExactly("started LIVE", "ended ENDED");
    }

    @Test
    void aCancellationReachingALiveConferenceEndsIt() {
        bob.clock.advance(Duration.ofMinutes(2));
        changes.refreshState(c);
        assertThat(c.state).isEqualTo(ConferenceState.LIVE);
        c.end = Fixtures.end(ALICE, c.id, START.minusSeconds(60)); // dated before the start: a cancellation
        changes.refreshState(c);
        assertThat(c.state).isEqualTo(ConferenceState.ENDED);
    }

    @Test
    void afterAChangeListenersHearWhoJoinedAndWhoLeftAndWhy() {
        c.lastParticipants = Set.of(ALICE.id());
        bob.clock.advance(Duration.ofMinutes(2));
        changes.refreshState(c);
        bob.heard.clear();
        changes.afterChange(c);
        assertThat(bob.heard).containsExactly("joined " + BOB.id().shortId() + " accepted");
        assertThat(bob.s.views.get(c.id).participants()).contains(BOB.id());

        bob.heard.clear();
        Reply decline = Fixtures.reply(BOB, c.id, Answer.DECLINE, "", 2, START);
        c.replyLog.get(BOB.id()).put(2, decline);
        c.replies.put(BOB.id(), decline);
        changes.afterChange(c);
        assertThat(bob.heard).containsExactly("left " + BOB.id().shortId() + " " + Answer.DECLINE.label());
    }
}
