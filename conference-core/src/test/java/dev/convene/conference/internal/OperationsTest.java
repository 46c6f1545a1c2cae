package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static dev.convene.conference.internal.Fixtures.CAROL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.conference.Answer;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferenceNotFoundException;
import dev.convene.conference.ConferenceState;
import dev.convene.conference.ConferenceStateException;
import dev.convene.conference.InvalidInputException;
import dev.convene.conference.NotAllowedException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The user's operations driven directly: every refusal comes before anything is signed, stored or sent. */
class OperationsTest {
    private final Conference c = Seams.aliceWithBob(ContentCrypto.newKey());

    private static Operations operations(Seams p) {
        Persistence persistence = new Persistence(p.s, p.keys, p.chat);
        StateChanges changes = new StateChanges(p.s, p.dispatch, persistence);
        HistorySync sync = new HistorySync(p.s, p.chat, p.acks, 1);
        MetaMerge meta = new MetaMerge(p.s, p.keys, p.chat, p.dispatch, changes::afterChange);
        return new Operations(p.s, p.dispatch, p.keys, p.chat, sync, persistence, meta, changes);
    }

    private Operations at(Seams p) {
        p.s.conferences.put(c.id, c);
        c.state = c.stateAt(p.clock.instant());
        return operations(p);
    }

    @Test
    void anUnknownConferenceIsNamedInTheRefusal() {
        ConferenceId other = Fixtures.signed(Fixtures.context(CAROL)).context().id();
        assertThatThrownBy(() -> operations(new Seams(BOB)).say(other, "hi")).isInstanceOf(ConferenceNotFoundException.class);
    }

    @Test
    void aPostThatIsEmptyOrTooLongOrOutsideTheLiveConferenceIsRefusedAndNothingIsNumbered() {
        Seams bob = new Seams(BOB);
        Operations ops = at(bob);
        assertThatThrownBy(() -> ops.say(c.id, "  ")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> ops.say(c.id, "x".repeat(Protocol.MAX_TEXT_BYTES + 1))).isInstanceOf(InvalidInputException.class);
        bob.clock.advance(Fixtures.HOUR.plus(Duration.ofMinutes(1)));
        assertThatThrownBy(() -> ops.say(c.id, "late")).isInstanceOf(ConferenceStateException.class);
        assertThat(c.ownSequence).isZero();
        assertThat(c.chat).isEmpty();
    }

    @Test
    void onceALaterEpochIsKnownNothingIsPostedUnderAnOlderKey() {
        Seams bob = new Seams(BOB);
        Operations ops = at(bob);
        // Bob has heard of a removal that starts epoch 1 but holds only the key of epoch 0 (its grant has not come).
        c.removals.put(CAROL.id(), Fixtures.removal(ALICE, c.id, CAROL.id(), 1, bob.clock.instant()));
        assertThat(c.latestEpoch()).isGreaterThan(c.currentEpoch);
        assertThatThrownBy(() -> ops.say(c.id, "under the old key")).isInstanceOf(NotAllowedException.class)
                .extracting(e -> ((NotAllowedException) e).rule()).isEqualTo(NotAllowedException.Rule.KEY_ROTATION_PENDING);
        assertThat(c.ownSequence).isZero();
        assertThat(c.chat).isEmpty();
    }

    @Test
    void onlyTheOrganiserEndsGrantsRolesOrRemovesAndNobodyRemovesItself() {
        Operations bob = at(new Seams(BOB));
        assertThatThrownBy(() -> bob.end(c.id)).isInstanceOf(NotAllowedException.class)
                .extracting(e -> ((NotAllowedException) e).rule()).isEqualTo(NotAllowedException.Rule.ORGANISERS_ONLY);
        assertThatThrownBy(() -> bob.setRole(c.id, ALICE.id(), true)).isInstanceOf(NotAllowedException.class);
        assertThatThrownBy(() -> bob.remove(c.id, ALICE.id())).isInstanceOf(NotAllowedException.class);
        Operations alice = at(new Seams(ALICE));
        assertThatThrownBy(() -> alice.remove(c.id, ALICE.id())).isInstanceOf(NotAllowedException.class)
                .extracting(e -> ((NotAllowedException) e).rule()).isEqualTo(NotAllowedException.Rule.ORGANISER_CANNOT_REMOVE_ITSELF);
        assertThat(c.end).isNull();
        assertThat(c.removalRecords).isEmpty();
        assertThat(c.state).isEqualTo(ConferenceState.LIVE);
    }

    @Test
    void anAnswerWithAnInvisibleCharacterIsRefusedWithWhereItIs() {
        Operations bob = at(new Seams(BOB));
        assertThatThrownBy(() -> bob.answer(c.id, Answer.DECLINE, "busy\u200bthen")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("U+200B at index 4");
        assertThat(c.revisionOf(BOB.id())).isEqualTo(1);
    }
}
