package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.conference.ChatEntry;
import dev.convene.conference.MessageRefusedException;
import dev.convene.overlay.RejectedMessageException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The chat log driven directly. Delivery runs as at a restore (names from the store, no acknowledgements, no
 * listeners), which needs no overlay; what is shown and in which order is the same as live.
 */
class ChatLogTest {
    private final byte[] key = ContentCrypto.newKey();
    private final Conference c = Seams.aliceWithBob(key);
    private final Seams bob = new Seams(BOB);

    private ChatMessage fromAlice(long sequence) {
        return Fixtures.chat(ALICE, c.id, sequence, Seams.at(sequence), key, "text " + sequence);
    }

    private void hold(ChatMessage m) {
        c.chat.computeIfAbsent(m.author(), a -> new java.util.TreeMap<>()).put(m.sequence(), m);
    }

    private void deliverReady() {
        c.restoring = true;
        bob.chat.deliverReady(c);
        c.restoring = false;
    }

    private java.util.List<String> shown() {
        return c.history.values().stream().map(ChatEntry::text).toList();
    }

    @Test
    void heldMessagesAreShownInTheirAuthorsOrderAndAGapHoldsTheRest() {
        hold(fromAlice(2));
        hold(fromAlice(1));
        hold(fromAlice(4));
        deliverReady();
        assertThat(shown()).containsExactly("text 1", "text 2");
        assertThat(c.contiguous).containsEntry(ALICE.id(), 2L);

        hold(fromAlice(3));
        deliverReady();
        assertThat(shown()).containsExactly("text 1", "text 2", "text 3", "text 4");
        assertThat(c.contiguous).containsEntry(ALICE.id(), 4L);
        assertThat(bob.scheduled).isEmpty(); // a restore acknowledges nothing
    }

    /**
     * Found by the membership model (a removal across a partition): a frontier that names a message its author could
     * not validly send (beyond its removal) is not compared, as the frontier rule says; this peer refuses such messages
     * on arrival, so waiting for it to be held (as for any named message not held yet) held the author's later
     * messages back for ever at the remover while the other side, which held it, showed them.
     */
    @Test
    void aFrontierNamingAMessageBeyondItsAuthorsRemovalDoesNotWaitForIt() {
        c.removals.put(Fixtures.CAROL.id(), Fixtures.removal(ALICE, c.id, Fixtures.CAROL.id(), 1,
                Fixtures.START.plus(java.time.Duration.ofMinutes(10)), 1));
        Frontier beyond = new Frontier(new dev.convene.conference.MessageId(Fixtures.CAROL.id(), 3), Seams.at(5));
        hold(Fixtures.chat(ALICE, c.id, 1, Seams.at(10), key, "names carol's third", beyond));
        deliverReady();
        assertThat(shown()).containsExactly("names carol's third");
        assertThat(c.contiguous).containsEntry(ALICE.id(), 1L);
    }

    @Test
    void anUnreadableMessageIsSettledUnshownAndWhatFollowsFlows() {
        hold(fromAlice(1));
        hold(Fixtures.chat(ALICE, c.id, 2, Seams.at(2), ContentCrypto.newKey(), "under another key"));
        hold(fromAlice(3));
        deliverReady();
        assertThat(shown()).containsExactly("text 1", "text 3");
        assertThat(c.contiguous).containsEntry(ALICE.id(), 3L);
    }

    @Test
    void anOwnMessageSettledUnshownFailsItsFuture() {
        Seams alice = new Seams(ALICE);
        CompletableFuture<ChatEntry> acked = new CompletableFuture<>();
        c.awaitingAck.put(7L, acked);
        alice.chat.settle(c, fromAlice(7), "undecryptable");
        assertThat(c.contiguous).containsEntry(ALICE.id(), 7L);
        assertThat(c.awaitingAck).isEmpty();
        assertThat(acked).isCompletedExceptionally();
        assertThatThrownBy(acked::join).hasCauseInstanceOf(MessageRefusedException.class);
    }

    @Test
    void acceptRefusesABannedAuthorAndAMessageTooFarBeyondTheGapAndTellsADuplicate() {
        bob.s.banned.add(ALICE.id());
        assertThatThrownBy(() -> bob.chat.accept(c, ALICE.id(), fromAlice(1))).isInstanceOf(RejectedMessageException.class)
                .hasMessageContaining("banned");
        bob.s.banned.clear();

        assertThatThrownBy(() -> bob.chat.accept(c, ALICE.id(), fromAlice(ConferenceEngine.MAX_AHEAD + 1)))
                .isInstanceOf(RejectedMessageException.class).hasMessageContaining("too far beyond");
        assertThat(c.chat).isEmpty();

        hold(fromAlice(1));
        assertThat(bob.chat.accept(c, ALICE.id(), fromAlice(1))).isFalse();
    }

    /**
     * Found with the membership model's ban step: a banned author's message held before the ban (waiting, say, for
     * a message its frontier names) and delivered while the ban holds fills its author's sequence (so that after an
     * unban its later messages flow) but is not told to listeners: nothing by a banned peer is shown.
     */
    @Test
    void aBannedAuthorsHeldMessageDeliveredDuringTheBanIsNotToldToListeners() {
        hold(fromAlice(1));
        bob.s.banned.add(ALICE.id());
        bob.chat.deliverReady(c);
        assertThat(c.contiguous).containsEntry(ALICE.id(), 1L);
        assertThat(bob.heard).noneMatch(h -> h.startsWith("message"));

        bob.s.banned.clear();
        hold(fromAlice(2));
        bob.chat.deliverReady(c);
        assertThat(shown()).containsExactly("text 1", "text 2");
        assertThat(bob.heard).containsExactly("message text 2");
    }

    @Test
    void aShownMessageTakenOutByARebuildIsToldToListenersOnce() {
        hold(fromAlice(1));
        hold(fromAlice(2));
        deliverReady();
        assertThat(shown()).containsExactly("text 1", "text 2");

        // Epoch 0's key lost a conflict: what was read under the old key can no longer be read.
        c.keys.put(0, ContentCrypto.newKey());
        bob.chat.rebuild(c, java.util.Set.of(0));
        bob.chat.rebuild(c, java.util.Set.of(0));
        assertThat(shown()).isEmpty();
        assertThat(bob.heard).containsExactly("retracted text 1: unreadable", "retracted text 2: unreadable");
    }

    @Test
    void aRebuildDuringARestoreTellsListenersNothing() {
        hold(fromAlice(1));
        deliverReady();
        c.keys.put(0, ContentCrypto.newKey());
        c.restoring = true;
        bob.chat.rebuild(c, java.util.Set.of(0));
        c.restoring = false;
        assertThat(shown()).isEmpty();
        assertThat(bob.heard).isEmpty(); // listeners were never told of the message either
    }
}
