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

    @Test
    void aStreamedPullCountsTheBatchUnderWayAsHeldForItsMembersOnly() {
        byte[] key = ContentCrypto.newKey();
        Conference conf = Seams.aliceWithBob(key);
        java.util.List<ChatMessage> batch = java.util.List.of(
                Fixtures.chat(Fixtures.ALICE, conf.id, 1, Seams.at(1), key, "one"),
                Fixtures.chat(Fixtures.ALICE, conf.id, 2, Seams.at(2), key, "two"),
                Fixtures.chat(Fixtures.MALLORY, conf.id, 9, Seams.at(3), key, "stranger"));
        ChatDigest d = HistorySync.ahead(conf, batch);
        assertThat(d.contiguous()).containsEntry(Fixtures.ALICE.id(), 2L).doesNotContainKey(Fixtures.MALLORY.id());
        assertThat(HistorySync.ahead(conf, java.util.List.of()).contiguous()).isEqualTo(conf.chatDigest().contiguous());
    }
}
