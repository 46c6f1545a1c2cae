package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static dev.convene.conference.internal.Fixtures.MALLORY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ChatEntry;
import dev.convene.conference.MessageId;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Live chat straight from its author shown before its author signature is checked on the pool (SECURITY.md 2.2),
 * the test thread standing in for the engine thread: what is shown, what is held, what a failed check takes out.
 */
@Timeout(60)
class UncheckedDisplayTest {
    private final byte[] key = ContentCrypto.newKey();
    private final Conference c = Seams.aliceWithBob(key);
    private final Seams bob = new Seams(BOB, ConferenceStore.none(), Fixtures.START.plus(Duration.ofMinutes(5)), true);

    @AfterEach
    void stopPool() {
        bob.s.verifier.close();
    }


    private ChatMessage fromAlice(long sequence) {
        return Fixtures.chat(ALICE, c.id, sequence, Seams.at(sequence), key, "text " + sequence);
    }

    /** Alice's sequence {@code sequence}, signed by another key: it never verifies. */
    private ChatMessage badlySigned(long sequence) {
        return Fixtures.chat(MALLORY, ALICE.id(), c.id, sequence, Seams.at(sequence), 0, key, "forged " + sequence);
    }

    private List<String> shown() {
        return c.history.values().stream().map(ChatEntry::text).toList();
    }

    @Test
    void aLiveMessageFromItsAuthorIsShownBeforeItsCheckButHeldAcknowledgedAndNamedOnlyAfter() throws Exception {
        bob.s.conferences.put(c.id, c);
        bob.chat.onChat(ALICE.id(), fromAlice(1));
        assertThat(shown()).containsExactly("text 1");
        assertThat(bob.heard).containsExactly("message text 1");
        assertThat(c.chat.get(ALICE.id())).as("held only once checked").isNull();
        assertThat(c.contiguous.getOrDefault(ALICE.id(), 0L)).as("not counted in digests or acknowledgements").isZero();
        Frontier own = Frontiers.next(c, BOB.id(), 1);
        assertThat(own == null ? null : own.id()).as("an own post names no unchecked message").isNotEqualTo(new MessageId(ALICE.id(), 1));

        bob.runEngineUntil(() -> c.contiguous.getOrDefault(ALICE.id(), 0L) == 1);
        assertThat(shown()).containsExactly("text 1");
        assertThat(bob.heard).as("listeners told once").containsExactly("message text 1");
        assertThat(c.chat.get(ALICE.id())).containsKey(1L);
        assertThat(c.unchecked).isEmpty();
        assertThat(Frontiers.next(c, BOB.id(), 1).id()).isEqualTo(new MessageId(ALICE.id(), 1));
    }

    @Test
    void aMessageShownWhileItsReceiverTookPartStaysWhenTheReceiversRemovalComesBeforeItsCheckEnds() throws Exception {
        bob.s.conferences.put(c.id, c);
        bob.chat.onChat(ALICE.id(), fromAlice(1));
        assertThat(shown()).containsExactly("text 1");
        // Bob's removal (after alice's message was sent) arrives while the message is under its check on the pool.
        c.removals.put(BOB.id(), Fixtures.removal(ALICE, c.id, BOB.id(), 1, Seams.at(1000).instant()));
        assertThat(c.isParticipant(BOB.id())).isFalse();

        bob.runEngineUntil(() -> c.contiguous.getOrDefault(ALICE.id(), 0L) == 1);

        assertThat(shown()).as("kept: sent to bob while he took part").containsExactly("text 1");
        assertThat(c.chat.get(ALICE.id())).containsKey(1L);
        // What is sent after his removal under the key he still holds is not taken in.
        bob.chat.onChat(ALICE.id(), Fixtures.chat(ALICE, c.id, 2, Seams.at(5000), key, "after"));
        assertThat(shown()).containsExactly("text 1");
        assertThat(c.chat.get(ALICE.id())).doesNotContainKey(2L);
    }

    /** Alice's message naming her previous one as the last she had seen, as an author posting in a row does. */
    private ChatMessage afterOwn(long sequence) {
        Frontier f = sequence == 1 ? null : new Frontier(new MessageId(ALICE.id(), sequence - 1), Seams.at(sequence - 1));
        return Fixtures.chat(ALICE, c.id, sequence, Seams.at(sequence), key, "text " + sequence, f);
    }

    @Test
    void messagesNamingTheirAuthorsPreviousMessageShownUncheckedAreShownInARow() throws Exception {
        bob.s.conferences.put(c.id, c);
        for (long seq = 1; seq <= 3; seq++) bob.chat.onChat(ALICE.id(), afterOwn(seq));
        assertThat(shown()).containsExactly("text 1", "text 2", "text 3");
        // One dated at or before the message it names is not shown before its check (nor after: backdated).
        ChatMessage backdated = Fixtures.chat(ALICE, c.id, 4, Seams.at(2), key, "text 4",
                new Frontier(new MessageId(ALICE.id(), 3), Seams.at(3)));
        bob.chat.onChat(ALICE.id(), backdated);
        assertThat(shown()).containsExactly("text 1", "text 2", "text 3");
        bob.runEngineUntil(() -> c.contiguous.getOrDefault(ALICE.id(), 0L) == 4);
        assertThat(shown()).containsExactly("text 1", "text 2", "text 3");
        assertThat(bob.heard).containsExactly("message text 1", "message text 2", "message text 3");
    }

    @Test
    void aMessageRelayedByAnotherPeerIsCheckedBeforeItIsShown() throws Exception {
        bob.s.conferences.put(c.id, c);
        bob.chat.onChat(MALLORY.id(), fromAlice(1));
        assertThat(shown()).isEmpty();
        bob.runEngineUntil(() -> c.contiguous.getOrDefault(ALICE.id(), 0L) == 1);
        assertThat(shown()).containsExactly("text 1");
    }

    @Test
    void aBadSignatureFromItsAuthorTakesItOutWithWhatFollowedAndItsSequenceWaitsForAValidOne() throws Exception {
        bob.s.conferences.put(c.id, c);
        bob.chat.onChat(ALICE.id(), badlySigned(1));
        bob.chat.onChat(ALICE.id(), fromAlice(2));
        bob.chat.onChat(ALICE.id(), fromAlice(3));
        assertThat(shown()).containsExactly("forged 1", "text 2", "text 3");

        bob.runEngineUntil(() -> bob.s.counters.uncheckedRetracted.sum() == 3 && bob.s.verifier.pendingBytes() == 0 && bob.scheduled.isEmpty());
        assertThat(shown()).isEmpty();
        assertThat(bob.heard).contains("retracted forged 1: author signature does not verify", "retracted text 2: author signature does not verify",
                "retracted text 3: author signature does not verify");
        assertThat(bob.s.counters.chatSignatureFailures.sum()).isEqualTo(1);
        assertThat(c.chat.get(ALICE.id())).as("2 and 3 verified: held, waiting for 1").containsOnlyKeys(2L, 3L);
        assertThat(c.contiguous.getOrDefault(ALICE.id(), 0L)).isZero();
        assertThat(c.unchecked).isEmpty();

        // Its author sent a bad signature: from now on its messages are checked before they are shown.
        bob.chat.onChat(ALICE.id(), fromAlice(1));
        assertThat(shown()).isEmpty();
        bob.runEngineUntil(() -> c.contiguous.getOrDefault(ALICE.id(), 0L) == 3);
        assertThat(shown()).containsExactly("text 1", "text 2", "text 3");
    }

    @Test
    void aBadBatchSignatureFromItsAuthorTakesOutTheWholeBatch() throws Exception {
        bob.s.conferences.put(c.id, c);
        List<ChatMessage> forged = Fixtures.signedTogether(MALLORY, List.of(fromAlice(1), fromAlice(2), fromAlice(3)));
        bob.chat.onPosts(ALICE.id(), new ChatPosts(c.id, forged));
        assertThat(shown()).containsExactly("text 1", "text 2", "text 3");
        bob.runEngineUntil(() -> bob.s.counters.uncheckedRetracted.sum() == 3 && bob.s.verifier.pendingBytes() == 0 && bob.scheduled.isEmpty());
        assertThat(shown()).isEmpty();
        assertThat(c.chat.get(ALICE.id())).isNull();
        assertThat(c.contiguous.getOrDefault(ALICE.id(), 0L)).isZero();

        bob.chat.onPosts(ALICE.id(), new ChatPosts(c.id, Fixtures.signedTogether(ALICE, List.of(fromAlice(1), fromAlice(2), fromAlice(3)))));
        bob.runEngineUntil(() -> c.contiguous.getOrDefault(ALICE.id(), 0L) == 3);
        assertThat(shown()).containsExactly("text 1", "text 2", "text 3");
    }

    /**
     * The remover shows its member's message before its check when it removes the member: the removal keeps what the
     * remover holds (its delivered sequence), so the message shown is beyond it and is taken out by the removal itself,
     * not later when its check comes back (MembershipModelTest, seed 9169763554809148535 in CI: p0 showed p5:8 when it
     * removed p5, the model counted it as kept, and p0 took it out after its check).
     */
    @Test
    void aRemovalTakesOutItsMembersMessagesShownUncheckedBeyondWhatItKeeps() throws Exception {
        Seams alice = new Seams(ALICE, ConferenceStore.none(), Fixtures.START.plus(Duration.ofMinutes(5)), true);
        try {
            alice.s.conferences.put(c.id, c);
            c.state = c.stateAt(alice.clock.instant());
            alice.chat.onChat(BOB.id(), fromBob(1));
            assertThat(shown()).as("shown before its check").containsExactly("bob 1");
            assertThat(c.contiguous.getOrDefault(BOB.id(), 0L)).isZero();

            // Alice removes Bob as Operations.remove does (without the key rotation and the sending, which need the
            // overlay): the removal keeps what she delivered of his, then resolve and rebuild.
            c.removalRecords.add(Fixtures.removal(ALICE, c.id, BOB.id(), 1, alice.clock.instant(), c.contiguous.getOrDefault(BOB.id(), 0L)));
            c.resolveRemovals();
            alice.chat.rebuild(c, java.util.Set.of());
            assertThat(c.removals.get(BOB.id()).upTo()).as("the removal keeps what was delivered").isZero();
            assertThat(shown()).as("what the removal does not keep is not shown once it returns").isEmpty();
            assertThat(alice.heard).contains("retracted bob 1: invalid by membership");
            assertThat(c.unchecked).isEmpty();

            alice.runEngineUntil(() -> alice.s.verifier.pendingBytes() == 0 && alice.scheduled.isEmpty());
            assertThat(shown()).as("its check coming back changes nothing").isEmpty();
            assertThat(alice.heard.stream().filter(h -> h.startsWith("retracted")).toList()).hasSize(1);
            assertThat(c.contiguous.getOrDefault(BOB.id(), 0L)).isZero();
        } finally {
            alice.s.verifier.close();
        }
    }

    private ChatMessage fromBob(long sequence) {
        return Fixtures.chat(BOB, c.id, sequence, Seams.at(sequence), key, "bob " + sequence);
    }

    /**
     * A receipt alice sent is under its check on the pool when her next message, which contradicts it, arrives; the
     * message's own check comes back first. It waits for the receipt's check (Receipts.underCheckFromAuthor) and is
     * settled as a proof, never shown. Before: delivered (shown) at once, then taken out when the receipt landed.
     */
    @Test
    void aMessageContradictingAReceiptItsAuthorSentFirstWaitsForThatReceiptsCheck() throws Exception {
        bob.s.conferences.put(c.id, c);
        ChatMessage b1 = Fixtures.chat(BOB, c.id, 1, Seams.at(1000), key, "bob 1");
        ChatMessage b2 = Fixtures.chat(BOB, c.id, 2, Seams.at(2000), key, "bob 2");
        bob.chat.accept(c, BOB.id(), b1, true);
        bob.chat.accept(c, BOB.id(), b2, true);
        bob.chat.deliverReady(c);
        // Alice: "after my sequence 0 I had delivered bob 2", then her first message naming only bob 1.
        Receipt r = Receipt.sign(ALICE, c.id, 0, new Frontier(b2.id(), b2.timestamp()));
        bob.chat.receipts.onFrame(ALICE.id(), new ReceiptFrame(r, null));
        assertThat(bob.chat.receipts.underCheckFromAuthor(c.id, ALICE.id())).isTrue();
        bob.runEngineUntil(() -> bob.scheduled.size() == 1 || !bob.chat.receipts.underCheckFromAuthor(c.id, ALICE.id()));
        assertThat(bob.scheduled).as("the receipt's result, waiting for the engine thread").hasSize(1);
        ChatMessage under = Fixtures.chat(ALICE, c.id, 1, Seams.at(2500), key, "under-reported", new Frontier(b1.id(), b1.timestamp()));
        bob.chat.onChat(ALICE.id(), under);
        assertThat(shown()).as("not shown before its check while a receipt of its author is under one").containsExactly("bob 1", "bob 2");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (bob.scheduled.size() < 2 && System.nanoTime() < deadline) Thread.sleep(1);
        assertThat(bob.scheduled).as("the message's result too").hasSize(2);

        bob.scheduled.remove(1).run(); // the message's check comes back first
        assertThat(shown()).as("delivered before the receipt it contradicts was checked").containsExactly("bob 1", "bob 2");
        bob.scheduled.remove(0).run(); // then the receipt's
        bob.runEngineUntil(() -> c.contiguous.getOrDefault(ALICE.id(), 0L) == 1);
        assertThat(shown()).containsExactly("bob 1", "bob 2");
        assertThat(bob.heard).noneMatch(h -> h.contains("under-reported"));
        assertThat(c.underReports).containsOnlyKeys(under.id());
    }
}
