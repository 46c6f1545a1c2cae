package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static dev.convene.conference.internal.Fixtures.MALLORY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.overlay.RejectedMessageException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** History sync driven directly: who may ask and answer, and the anti-entropy rhythm. */
class HistorySyncTest {
    private final Conference c = Seams.aliceWithBob(ContentCrypto.newKey());
    private final Seams bob = new Seams(BOB);
    private final HistorySync sync = new HistorySync(bob.s, bob.chat, bob.acks, 3);

    @Test
    void aDigestFromANonParticipantIsRefusedBeforeAnythingIsSent() {
        bob.s.conferences.put(c.id, c);
        assertThatThrownBy(() -> sync.onDigest(MALLORY.id(), new ChatDigest(c.id, Map.of())))
                .isInstanceOf(RejectedMessageException.class).hasMessageContaining("non-participant");
        assertThat(sync.heldBackAnswers()).isZero();
    }

    @Test
    void aBatchForAConferenceThisPeerDoesNotTakePartInIsRefused() {
        assertThatThrownBy(() -> sync.onBatch(ALICE.id(), new ChatBatch(c.id, List.of(), false)))
                .isInstanceOf(RejectedMessageException.class);
        c.replies.remove(BOB.id()); // Bob has not accepted: not a participant
        bob.s.conferences.put(c.id, c);
        assertThatThrownBy(() -> sync.onBatch(ALICE.id(), new ChatBatch(c.id, List.of(), false)))
                .isInstanceOf(RejectedMessageException.class);
    }

    @Test
    void antiEntropyIsDueEverySyncIntervalInTicks() {
        List<Boolean> due = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) due.add(sync.tick());
        assertThat(due).containsExactly(false, false, true, false, false, true, false);
    }
}
