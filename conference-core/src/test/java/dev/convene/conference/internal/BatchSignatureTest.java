package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static dev.convene.conference.internal.Fixtures.MALLORY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.conference.ChatEntry;
import dev.convene.overlay.Identity;
import dev.convene.overlay.wire.WireBytes;
import dev.convene.overlay.wire.WireFormatException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Author signatures amortised over a batch of posts: each message of a batch verifies alone with its path, nothing
 * else does (another body, another path, another key, a path dropped), a receiver checks one signature per batch,
 * and a sender signs the posts queued together once.
 */
@Timeout(60)
class BatchSignatureTest {
    private final byte[] key = ContentCrypto.newKey();
    private final Conference c = Seams.aliceWithBob(key);
    private final Seams bob = new Seams(BOB, ConferenceStore.none(), Fixtures.START.plus(Duration.ofMinutes(5)), true);

    @AfterEach
    void stopPool() {
        bob.s.verifier.close();
    }

    private ChatMessage unsigned(long sequence) {
        ChatMessage m = Fixtures.chat(ALICE, c.id, sequence, Seams.at(sequence), key, "text " + sequence);
        return m.signed(new byte[0], null);
    }

    private List<ChatMessage> batch(int from, int to) {
        List<ChatMessage> out = new ArrayList<>();
        for (int seq = from; seq <= to; seq++) out.add(unsigned(seq));
        return Fixtures.signedTogether(ALICE, out);
    }

    @Test
    void everyMessageOfABatchOfAnySizeVerifiesAloneWithItsPath() {
        for (int n = 2; n <= BatchSignature.MAX_MESSAGES; n++) {
            List<ChatMessage> signed = batch(1, n);
            for (ChatMessage m : signed) {
                assertThat(m.batched()).isTrue();
                assertThat(m.proof().length / BatchSignature.STEP).isLessThanOrEqualTo(BatchSignature.MAX_STEPS);
                assertThat(m.verifies(ALICE.signingKey())).as("message %d of %d", m.sequence(), n).isTrue();
                assertThat(m.verifies(BOB.signingKey())).isFalse();
            }
            assertThat(signed.stream().map(m -> m.signature()).distinct().count()).isEqualTo(1);
        }
    }

    @Test
    void nothingButTheSignedMessagesVerifies() {
        List<ChatMessage> signed = batch(1, 5);
        ChatMessage second = signed.get(1);
        ChatMessage third = signed.get(2);
        // Another body with the second's path and signature.
        ChatMessage other = unsigned(2).signed(second.signature(), second.proof());
        byte[] body = second.body().clone();
        body[0] ^= 1;
        ChatMessage tampered = new ChatMessage(c.id, ALICE.id(), 2, second.timestamp(), 0, body, second.signature(), null, second.proof());
        assertThat(tampered.verifies(ALICE.signingKey())).isFalse();
        // Another message's path.
        assertThat(second.signed(second.signature(), third.proof()).verifies(ALICE.signingKey())).isFalse();
        // The path dropped: the signature covers the batch, not the message alone.
        assertThat(second.signed(second.signature(), null).verifies(ALICE.signingKey())).isFalse();
        // A message of another batch with this batch's signature.
        ChatMessage foreign = batch(6, 7).get(0);
        assertThat(foreign.signed(second.signature(), foreign.proof()).verifies(ALICE.signingKey())).isFalse();
        // A path step flipped to the other side.
        byte[] flipped = second.proof().clone();
        flipped[0] ^= 1;
        assertThat(second.signed(second.signature(), flipped).verifies(ALICE.signingKey())).isFalse();
        // The same text encrypted again (another body) does not; the message signed does.
        assertThat(other.verifies(ALICE.signingKey())).isFalse();
        assertThat(second.verifies(ALICE.signingKey())).isTrue();
    }

    @Test
    void aWholeBatchSharesOneStatementAndAnythingElseGetsItsOwn() {
        for (int n = 2; n <= BatchSignature.MAX_MESSAGES; n++) {
            List<ChatMessage> signed = batch(1, n);
            List<byte[]> statements = BatchSignature.statements(signed);
            for (int i = 0; i < n; i++) {
                assertThat(statements.get(i)).as("message %d of %d", i + 1, n).isEqualTo(signed.get(i).signedBytes());
                assertThat(statements.get(i)).isSameAs(statements.get(0)); // one tree, one statement
            }
        }
        List<ChatMessage> signed = new ArrayList<>(batch(1, 5));
        // A body changed under its path: its statement is its own (a root the author never signed), the rest share.
        ChatMessage second = signed.get(1);
        byte[] body = second.body().clone();
        body[0] ^= 1;
        signed.set(1, new ChatMessage(c.id, ALICE.id(), 2, second.timestamp(), 0, body, second.signature(), null, second.proof()));
        List<byte[]> statements = BatchSignature.statements(signed);
        assertThat(statements.get(1)).isEqualTo(signed.get(1).signedBytes()).isNotEqualTo(statements.get(0));
        assertThat(Identity.verify(ALICE.signingKey(), statements.get(1), 0, statements.get(1).length, second.signature())).isFalse();
        assertThat(Identity.verify(ALICE.signingKey(), statements.get(0), 0, statements.get(0).length, second.signature())).isTrue();
        // Another message's path in a place: its own statement, which does not verify.
        List<ChatMessage> swapped = new ArrayList<>(batch(1, 5));
        swapped.set(2, swapped.get(2).signed(swapped.get(2).signature(), swapped.get(3).proof()));
        List<byte[]> mixed = BatchSignature.statements(swapped);
        assertThat(mixed.get(2)).isEqualTo(swapped.get(2).signedBytes()).isNotSameAs(mixed.get(0));
        assertThat(swapped.get(2).verifies(ALICE.signingKey())).isFalse();
        // Out of the signed order, or from two batches: every message is checked over its own statement.
        List<ChatMessage> reordered = new ArrayList<>(batch(1, 4));
        java.util.Collections.reverse(reordered);
        List<ChatMessage> twoBatches = new ArrayList<>(batch(1, 2));
        twoBatches.addAll(batch(3, 4));
        for (List<ChatMessage> ms : List.of(reordered, twoBatches)) {
            List<byte[]> own = BatchSignature.statements(ms);
            for (int i = 0; i < ms.size(); i++) assertThat(own.get(i)).isEqualTo(ms.get(i).signedBytes());
        }
    }

    @Test
    void thePathTravelsAndIsStoredAndARowFromBeforeBatchesReadsAsSignedAlone() {
        ChatMessage m = batch(1, 3).get(2);
        ChatMessage back = WireBytes.decode(Protocol.CHAT, Protocol.bytes(Protocol.CHAT, m));
        assertThat(back.proof()).isEqualTo(m.proof());
        assertThat(back.verifies(ALICE.signingKey())).isTrue();
        ChatMessage stored = WireBytes.decode(Protocol.STORED_CHAT, Protocol.bytes(Protocol.CHAT, m));
        assertThat(stored.proof()).isEqualTo(m.proof());
        // A row written before batch signatures: the message signed alone, ending after the frontier marker.
        ChatMessage alone = Fixtures.chat(ALICE, c.id, 1, Seams.at(1), key, "old");
        byte[] now = Protocol.bytes(Protocol.CHAT, alone);
        byte[] old = Arrays.copyOf(now, now.length - 1); // without the empty path's length
        ChatMessage read = WireBytes.decode(Protocol.STORED_CHAT, old);
        assertThat(read.batched()).isFalse();
        assertThat(read.verifies(ALICE.signingKey())).isTrue();
        // On the wire the path is required: a frame cut before it is refused, not taken for an older one.
        assertThatThrownBy(() -> WireBytes.decode(Protocol.CHAT, old)).isInstanceOf(WireFormatException.class);
    }

    @Test
    void aMalformedPathIsRefusedAsAWireFormatError() {
        ChatMessage m = batch(1, 2).get(0);
        assertThatThrownBy(() -> m.signed(m.signature(), new byte[BatchSignature.STEP + 1])).isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> m.signed(m.signature(), new byte[BatchSignature.STEP * (BatchSignature.MAX_STEPS + 1)]))
                .isInstanceOf(WireFormatException.class);
        byte[] side = m.proof().clone();
        side[0] = 2;
        assertThatThrownBy(() -> m.signed(m.signature(), side)).isInstanceOf(WireFormatException.class);
    }


    private List<String> shown() {
        return c.history.values().stream().map(ChatEntry::text).toList();
    }

    @Test
    void aReceiverChecksOneSignaturePerBatchLiveAndInHistory() throws Exception {
        bob.s.conferences.put(c.id, c);
        bob.s.events = bob.scheduled::add;
        bob.chat.onPosts(ALICE.id(), new ChatPosts(c.id, batch(1, 10)));
        bob.runEngineUntil(() -> c.contiguous.getOrDefault(ALICE.id(), 0L) == 10);
        assertThat(bob.s.verifier.signatureChecks()).isEqualTo(1);
        assertThat(bob.s.verifier.batchHits()).isEqualTo(9);
        // The same batch relayed by another peer in a history batch: remembered, no check at all.
        List<ChatMessage> again = batch(11, 20);
        AtomicInteger refused = new AtomicInteger(-1);
        bob.chat.takeIn(c, MALLORY.id(), again.subList(0, 4), false, refused::set);
        bob.runEngineUntil(() -> refused.get() >= 0);
        refused.set(-1);
        bob.chat.takeIn(c, MALLORY.id(), again.subList(4, 10), false, refused::set);
        bob.runEngineUntil(() -> refused.get() >= 0);
        assertThat(refused.get()).isZero();
        assertThat(bob.s.verifier.signatureChecks()).isEqualTo(2);
        assertThat(shown()).hasSize(20);
    }

    @Test
    void bodiesAreDecryptedOnThePoolAndAKeyChangedMeanwhileIsHonoured() throws Exception {
        bob.s.conferences.put(c.id, c);
        bob.s.events = bob.scheduled::add;
        List<ChatMessage> first = batch(1, 5);
        // Relayed (from another than their author): checked and decrypted on the pool before they are shown. (Live
        // from their author they are shown first, decrypted on the engine thread: UncheckedDisplayTest.)
        bob.chat.onPosts(MALLORY.id(), new ChatPosts(c.id, first.subList(0, 3)));
        bob.runEngineUntil(() -> c.contiguous.getOrDefault(ALICE.id(), 0L) == 3);
        assertThat(bob.s.verifier.decryptions()).isEqualTo(3);
        assertThat(shown()).containsExactly("text 1", "text 2", "text 3");
        // Messages 4-5 held (5 arrives first, decrypted early), then the epoch's key replaced before 4 arrives:
        // the body decrypted with the old key is not used; the one read now with the current key decides.
        AtomicInteger refused = new AtomicInteger(-1);
        bob.chat.takeIn(c, MALLORY.id(), List.of(first.get(4)), false, refused::set);
        bob.runEngineUntil(() -> refused.get() >= 0);
        assertThat(bob.s.verifier.decryptions()).isEqualTo(4);
        c.keys.put(0, ContentCrypto.newKey());
        refused.set(-1);
        bob.chat.takeIn(c, MALLORY.id(), List.of(first.get(3)), false, refused::set);
        bob.runEngineUntil(() -> refused.get() >= 0);
        assertThat(c.contiguous.get(ALICE.id())).isEqualTo(5);
        assertThat(shown()).containsExactly("text 1", "text 2", "text 3"); // unreadable under the new key: settled unshown
    }

    @Test
    void aForgedOrTamperedMessageInABatchIsRefusedAndTheRestTakenIn() throws Exception {
        bob.s.conferences.put(c.id, c);
        bob.s.events = bob.scheduled::add;
        List<ChatMessage> genuine = batch(1, 6);
        // Mallory signs a batch claiming Alice as author: nothing of it verifies.
        List<ChatMessage> forged = new ArrayList<>();
        for (int seq = 1; seq <= 6; seq++) forged.add(unsigned(seq));
        AtomicInteger refused = new AtomicInteger(-1);
        bob.chat.takeIn(c, MALLORY.id(), Fixtures.signedTogether(MALLORY, forged), false, refused::set);
        bob.runEngineUntil(() -> refused.get() >= 0);
        assertThat(refused.get()).isEqualTo(6);
        assertThat(shown()).isEmpty();
        // A genuine batch with message 3 replaced by another text under its path and signature.
        List<ChatMessage> mixed = new ArrayList<>(genuine);
        ChatMessage three = genuine.get(2);
        ChatMessage other = Fixtures.chat(ALICE, c.id, 3, Seams.at(3), key, "not what Alice signed").signed(three.signature(), three.proof());
        mixed.set(2, other);
        refused.set(-1);
        bob.chat.takeIn(c, MALLORY.id(), mixed, false, refused::set);
        bob.runEngineUntil(() -> refused.get() >= 0);
        assertThat(refused.get()).isEqualTo(1);
        assertThat(shown()).containsExactly("text 1", "text 2"); // 3 is missing: the rest waits for it
        refused.set(-1);
        bob.chat.takeIn(c, BOB.id(), List.of(three), false, refused::set);
        bob.runEngineUntil(() -> refused.get() >= 0);
        assertThat(shown()).containsExactly("text 1", "text 2", "text 3", "text 4", "text 5", "text 6");
    }

    @Test
    void postsQueuedTogetherAreSignedOnceStoredAndHeldSigned() throws Exception {
        Seams alice = new Seams(ALICE, ConferenceStore.none(), Fixtures.START.plus(Duration.ofMinutes(5)), false);
        Conference mine = Seams.aliceWithBob(key);
        alice.s.conferences.put(mine.id, mine);
        alice.s.events = alice.scheduled::add;
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        List<ChatMessage> posted = new ArrayList<>();
        for (int seq = 1; seq <= 5; seq++) {
            ChatMessage m = Fixtures.chat(ALICE, mine.id, seq, Seams.at(seq), key, "post " + seq).signed(new byte[0], null);
            mine.chat.computeIfAbsent(ALICE.id(), a -> new java.util.TreeMap<>()).put(m.sequence(), m);
            posted.add(m);
            sent.add(alice.chat.signer.add(mine, m));
        }
        assertThat(sent).noneMatch(CompletableFuture::isDone); // nothing signed before the flush runs
        assertThat(alice.scheduled).hasSize(1); // one flush for all
        alice.scheduled.remove(0).run();
        assertThat(sent).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(alice.chat.signer.batches()).isEqualTo(1);
        assertThat(alice.chat.signer.signed()).isEqualTo(5);
        for (ChatMessage m : mine.chat.get(ALICE.id()).values()) {
            assertThat(m.batched()).isTrue();
            assertThat(m.verifies(ALICE.signingKey())).isTrue();
        }
        // An idle post is signed alone, as before batches.
        ChatMessage lone = Fixtures.chat(ALICE, mine.id, 6, Seams.at(6), key, "alone").signed(new byte[0], null);
        mine.chat.get(ALICE.id()).put(6L, lone);
        alice.chat.signer.add(mine, lone);
        alice.scheduled.remove(0).run();
        ChatMessage held = mine.chat.get(ALICE.id()).get(6L);
        assertThat(held.batched()).isFalse();
        assertThat(held.verifies(ALICE.signingKey())).isTrue();
    }

    @Test
    void aBatchIsBoundedInMessages() {
        Seams alice = new Seams(ALICE, ConferenceStore.none(), Fixtures.START.plus(Duration.ofMinutes(5)), false);
        Conference mine = Seams.aliceWithBob(key);
        alice.s.conferences.put(mine.id, mine);
        alice.s.events = alice.scheduled::add;
        int n = BatchSignature.MAX_MESSAGES + 3;
        for (int seq = 1; seq <= n; seq++) {
            ChatMessage m = Fixtures.chat(ALICE, mine.id, seq, Seams.at(seq), key, "post " + seq).signed(new byte[0], null);
            mine.chat.computeIfAbsent(ALICE.id(), a -> new java.util.TreeMap<>()).put(m.sequence(), m);
            alice.chat.signer.add(mine, m);
        }
        assertThat(alice.chat.signer.batches()).isZero();
        alice.scheduled.remove(0).run(); // the oldest 64, then the rest
        assertThat(alice.scheduled).isEmpty();
        assertThat(alice.chat.signer.batches()).isEqualTo(2);
        assertThat(alice.chat.signer.signed()).isEqualTo(n);
    }
}
