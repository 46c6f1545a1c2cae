package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static dev.convene.conference.internal.Fixtures.MALLORY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ChatEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Chat whose author signatures are checked on the worker pool, the test thread standing in for the engine thread:
 * results come back in any order and the log puts them in order; forgeries cost at most the sender's failure budget.
 */
@Timeout(60)
class ChatVerifierTest {
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

    private List<String> shown() {
        return c.history.values().stream().map(ChatEntry::text).toList();
    }

    @Test
    void messagesCheckedOnThePoolAreShownInTheirAuthorsOrderWhateverOrderTheyCameIn() throws Exception {
        bob.s.conferences.put(c.id, c);
        assertThat(bob.s.verifier.isInline()).isFalse();
        bob.s.events = bob.scheduled::add;
        for (long seq = 20; seq >= 1; seq--) bob.chat.onChat(ALICE.id(), fromAlice(seq));
        // Live from its author: the next of its sequence is shown before its check (SECURITY.md 2.2); nothing is held.
        assertThat(shown()).containsExactly("text 1");
        assertThat(c.chat.get(ALICE.id())).isNull();
        bob.runEngineUntil(() -> c.contiguous.getOrDefault(ALICE.id(), 0L) == 20);
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 20; i++) expected.add("text " + i);
        assertThat(shown()).containsExactlyElementsOf(expected);
        assertThat(bob.s.verifier.pendingBytes()).isZero();
    }

    @Test
    void aForgeryInAHistoryBatchIsRefusedAndTheRestTakenIn() throws Exception {
        bob.s.conferences.put(c.id, c);
        List<ChatMessage> batch = new ArrayList<>();
        for (long seq = 1; seq <= 10; seq++) {
            batch.add(seq == 4 ? Fixtures.chat(MALLORY, ALICE.id(), c.id, seq, Seams.at(seq), 0, key, "forged") : fromAlice(seq));
        }
        AtomicInteger refused = new AtomicInteger(-1);
        bob.chat.takeIn(c, MALLORY.id(), batch, false, refused::set);
        bob.runEngineUntil(() -> refused.get() >= 0);
        assertThat(refused.get()).isEqualTo(1);
        assertThat(shown()).containsExactly("text 1", "text 2", "text 3"); // 4 is missing: the rest waits for it
        assertThat(c.chat.get(ALICE.id())).containsKeys(5L, 10L).doesNotContainKey(4L);
        assertThat(bob.s.counters.chatSignatureFailures.sum()).isEqualTo(1);
    }

    @Test
    void batchesOfForgeriesCostAtMostTheSendersFailureBudget() throws Exception {
        bob.s.conferences.put(c.id, c);
        List<ChatMessage> forged = new ArrayList<>();
        for (long seq = 1; seq <= Protocol.MAX_BATCH; seq++) {
            forged.add(Fixtures.chat(MALLORY, ALICE.id(), c.id, seq, Seams.at(seq), 0, key, "forged " + seq));
        }
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger batches = new AtomicInteger();
        int frames = 4;
        for (int i = 0; i < frames; i++) {
            bob.chat.takeIn(c, MALLORY.id(), forged, false, n -> {
                refused.addAndGet(n);
                batches.incrementAndGet();
            });
        }
        bob.runEngineUntil(() -> batches.get() == frames);
        assertThat(refused.get()).isEqualTo(frames * forged.size());
        long checked = bob.s.counters.chatSignatureFailures.sum();
        // the budget refills while the test runs: allow what a generous minute adds
        assertThat(checked).isLessThanOrEqualTo(SignatureGate.CHAT_FAILURES_BURST + 60L * SignatureGate.CHAT_FAILURES_PER_SECOND);
        assertThat(checked + bob.s.counters.signatureBudgetExceeded.sum()).isEqualTo((long) frames * forged.size());
        assertThat(shown()).isEmpty();
    }
}
