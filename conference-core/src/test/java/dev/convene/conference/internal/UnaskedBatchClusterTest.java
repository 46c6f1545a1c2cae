package dev.convene.conference.internal;

import static dev.convene.conference.ConferenceCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ConferenceCluster;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceStats;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11, busy victim (docs/SECURITY.md 2.9b): history batches that answer no digest of the receiver's are charged
 * to their sender's budget of unasked messages ({@link HistorySync#UNASKED_BURST}, refilled at
 * {@link HistorySync#UNASKED_PER_SECOND}); beyond it they are refused whole, unchecked, and counted. Answers to
 * this peer's own digests are not charged, so a catch-up of more than the budget still arrives whole.
 */
@Timeout(180)
class UnaskedBatchClusterTest {
    @Test
    void unaskedBatchesBeyondTheSendersBudgetAreRefusedAndCountedWhileAnswersAndHonestChatArriveWhole() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            ConferencePeer carol = cl.start("carol");
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, bob, carol);
                ConferenceId id = Scenarios.live("Unasked", alice, List.of(bob), List.of(mallory));
                byte[] key = mallory.contentKey(id);
                mallory.send(List.of(alice, bob), mallory.post(id, 1, mallory.now(), 0, key, "mallory is here"));
                Scenarios.awaitText(alice, id, "mallory is here");

                // Twelve batches of 256 valid posts each (mallory's own, continuing its sequence), asked by nobody.
                int batches = 12;
                List<ChatBatch> flood = new ArrayList<>();
                long seq = 1;
                for (int b = 0; b < batches; b++) {
                    List<ChatMessage> batch = new ArrayList<>();
                    for (int k = 0; k < Protocol.MAX_BATCH; k++) {
                        seq++;
                        batch.add(mallory.post(id, seq, mallory.now(), 0, key, "unasked " + seq));
                    }
                    flood.add(new ChatBatch(id, batch, false));
                }
                // The first four fit the burst and are taken in (valid posts, shown), each sent once the one before is in
                // (so none is refused for being too far ahead); the rest, sent at once, are refused whole beyond the budget,
                // each counted once and each of its messages counted as rejected, none checked.
                ConferenceStats before = alice.stats();
                int burst = HistorySync.UNASKED_BURST / Protocol.MAX_BATCH;
                for (int b = 0; b < burst; b++) {
                    mallory.send(alice, flood.get(b));
                    String last = "unasked " + (1 + (long) (b + 1) * Protocol.MAX_BATCH);
                    await(() -> Scenarios.texts(alice, id).contains(last), () -> "alice never showed '" + last + "'");
                }
                String lastOfBurst = "unasked " + (1 + HistorySync.UNASKED_BURST);
                assertThat(alice.stats().unaskedBatchesRefused()).isEqualTo(before.unaskedBatchesRefused());
                long rejectedBefore = HostilePeer.rejected(alice);
                for (ChatBatch b : flood.subList(burst, batches)) mallory.send(alice, b);
                await(() -> alice.stats().unaskedBatchesRefused() - before.unaskedBatchesRefused() >= 1,
                        () -> "alice refused " + (alice.stats().unaskedBatchesRefused() - before.unaskedBatchesRefused()) + " unasked batches");
                long refused = alice.stats().unaskedBatchesRefused() - before.unaskedBatchesRefused();
                assertThat(refused).as("refused: at most what did not fit the burst").isLessThanOrEqualTo(batches - burst);
                assertThat(HostilePeer.rejected(alice) - rejectedBefore).as("each refused message counted").isGreaterThanOrEqualTo(refused * Protocol.MAX_BATCH);
                assertThat(alice.stats().chatSignatureFailures()).isEqualTo(before.chatSignatureFailures());

                // Nothing honest lost: bob and alice still chat both ways.
                Scenarios.stillChats(bob, id, alice);

                // An answer is not charged: carol joins late and catches up more than the unasked budget (the burst
                // of mallory's posts alice took in, and the rest) through her own digests, all of it.
                alice.invite(id, List.of(carol.self())).join();
                await(() -> carol.conference(id).isPresent(), () -> "carol has no invitation");
                carol.accept(id).join();
                int expected = alice.history(id).size();
                assertThat(expected).isGreaterThan(HistorySync.UNASKED_BURST);
                await(() -> carol.history(id).size() >= expected, () -> "carol has " + carol.history(id).size() + " of " + expected);
                assertThat(Scenarios.texts(carol, id)).contains(lastOfBurst, "mallory is here");
                assertThat(carol.stats().unaskedBatchesRefused()).as("carol's catch-up was asked for").isZero();
                Scenarios.stillChats(carol, id, bob);
            }
        }
    }
}
