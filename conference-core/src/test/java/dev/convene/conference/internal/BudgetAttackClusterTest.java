package dev.convene.conference.internal;

import static dev.convene.conference.ConferenceCluster.await;
import static dev.convene.conference.internal.HostilePeer.rejected;
import static dev.convene.conference.internal.Scenarios.awaitRejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.Answer;
import dev.convene.conference.ConferenceCluster;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceStats;
import dev.convene.conference.ConferenceView;
import dev.convene.overlay.Identity;
import dev.convene.overlay.PeerId;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11, item 3: the work and bytes one peer can make another spend are bounded. Metadata frames full of
 * replies with bad signatures cost at most the sender's signature budget, and replays cost nothing; digests
 * cannot make a peer send more history than its per-asker budget. Asserted through counters and bytes, with
 * bounds computed from the budgets and the time the attack took, never through speed.
 */
@Timeout(180)
class BudgetAttackClusterTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A reply in {@code author}'s name with a higher revision than any real one and a signature that does not verify. */
    private static Reply bogusReply(ConferenceId id, PeerId author, int revision, Instant at) {
        byte[] sig = new byte[Identity.SIGNATURE_LENGTH];
        RANDOM.nextBytes(sig);
        return new Reply(id, author, Answer.DECLINE, "", revision, at, sig);
    }

    @Test
    void metadataFullOfBadSignaturesCostsAtMostTheSendersBudgetAndReplaysCostNothing() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, bob);
                ConferenceId id = Scenarios.live("Budget", alice, List.of(bob), List.of(mallory));
                Meta real = mallory.meta(id);
                List<Meta> frames = new ArrayList<>();
                int perFrame = 500;
                for (int f = 0; f < 20; f++) {
                    List<Reply> replies = new ArrayList<>();
                    for (int i = 0; i < perFrame; i++) {
                        // Revisions stay within the decode bound (Protocol.MAX_REVISIONS); random signatures make each one new.
                        replies.add(bogusReply(id, (i % 2 == 0 ? alice : bob).self(), 2 + (f * perFrame + i) % (Protocol.MAX_REVISIONS - 1),
                                cl.clock.instant()));
                    }
                    frames.add(new Meta(real.context(), List.of(), replies, null));
                }
                ConferenceStats before = alice.stats();
                long rejectedBefore = rejected(alice);
                long started = System.nanoTime();
                for (Meta m : frames) mallory.send(alice, m);
                for (int r = 0; r < 20; r++) mallory.send(alice, frames.get(0)); // replays
                mallory.probe(alice);
                awaitRejected(alice, rejectedBefore + 1);
                double seconds = (System.nanoTime() - started) / 1e9;
                ConferenceStats after = alice.stats();

                long checks = after.signatureChecks() - before.signatureChecks();
                // A frame stops being checked after FRAME_FAILURES bad signatures: 20 frames cost at most 20 x that.
                assertThat(checks).as("signature checks for %d bogus replies in %.1f s", 20 * perFrame, seconds)
                        .isLessThanOrEqualTo(20L * SignatureGate.FRAME_FAILURES);
                assertThat(after.entriesOverCap() - before.entriesOverCap()).as("records refused unchecked")
                        .isGreaterThanOrEqualTo(20L * (perFrame - SignatureGate.FRAME_FAILURES));
                assertThat(after.signatureCacheHits() - before.signatureCacheHits()).as("replays answered from the cache")
                        .isGreaterThanOrEqualTo(20L * SignatureGate.FRAME_FAILURES);
                ConferenceView v = alice.conference(id).orElseThrow();
                assertThat(v.answers().get(bob.self()).answer()).isEqualTo(Answer.ACCEPT);
                assertThat(v.participants()).contains(bob.self(), mallory.id());
                Scenarios.stillChats(bob, id, alice);
            }
        }
    }

    @Test
    void digestsCannotMakeAPeerSendMoreHistoryThanItsBudget() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, bob);
                ConferenceId id = Scenarios.live("History", alice, List.of(bob), List.of(mallory));
                String text = "x".repeat(8000);
                List<CompletableFuture<?>> acks = new ArrayList<>();
                for (int i = 0; i < 80; i++) acks.add(alice.say(id, text + i).join().acknowledged());
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                long received = batchBytes(mallory);
                long batchesBefore = mallory.received(ChatBatch.class).size();

                ConferenceStats before = alice.stats();
                long rejectedBefore = rejected(alice);
                long started = System.nanoTime();
                int digests = 400;
                for (int i = 0; i < digests; i++) {
                    Map<PeerId, Long> claim = new HashMap<>();
                    // every other digest differs (a made-up author), so only the byte budget holds it back
                    if (i % 2 == 1) claim.put(Identity.generate().id(), (long) i);
                    mallory.send(alice, new ChatDigest(id, claim));
                }
                mallory.probe(alice);
                awaitRejected(alice, rejectedBefore + 1);
                double seconds = (System.nanoTime() - started) / 1e9;
                ConferenceStats after = alice.stats();

                long sent = after.historyBytesSent() - before.historyBytesSent();
                long bound = HistoryBudget.PER_ASKER_BURST + (long) Math.ceil(HistoryBudget.PER_ASKER_PER_SECOND * (seconds + 1));
                assertThat(sent).as("history bytes answered to %d digests in %.1f s", digests, seconds).isLessThanOrEqualTo(bound);
                // and nothing is sent twice within the resend interval, whatever the digests claim
                long history = 80L * (8000 + 2 + 28 + 200); // each message as counted: body (text + GCM) plus 200
                long rounds = 1 + (long) (seconds * 1e9 / HistoryBudget.RESEND_AFTER_NANOS);
                assertThat(sent).as("history of %d bytes, %d resend intervals", history, rounds).isLessThanOrEqualTo(history * rounds);
                assertThat(after.historyAnswersRefused() - before.historyAnswersRefused()).isGreaterThanOrEqualTo(digests / 2);
                // what mallory got matches what alice counted (each message counted as its body plus 200 bytes)
                await(() -> batchBytes(mallory) - received >= sent, () -> "mallory received " + (batchBytes(mallory) - received));
                assertThat(mallory.received(ChatBatch.class).size() - batchesBefore).isLessThan(digests / 4);
                Scenarios.stillChats(bob, id, alice);
            }
        }
    }

    @Test
    void replayedBatchesOfForgedChatCostAtMostTheSendersFailureBudget() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob");
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, bob);
                ConferenceId id = Scenarios.live("Forged", alice, List.of(bob), List.of(mallory));
                byte[] key = mallory.contentKey(id);
                List<ChatMessage> forged = new ArrayList<>();
                for (int seq = 1; seq <= Protocol.MAX_BATCH; seq++) {
                    forged.add(Fixtures.chat(mallory.identity(), bob.self(), id, seq, mallory.now(), 0, key, "bob never said " + seq));
                }
                ChatBatch batch = new ChatBatch(id, forged, false);
                ConferenceStats before = alice.stats();
                long rejectedBefore = rejected(alice);
                long started = System.nanoTime();
                int frames = 20;
                for (int i = 0; i < frames; i++) mallory.send(alice, batch);
                long total = (long) frames * forged.size();
                // every forged message is accounted for: checked and failed, or refused unchecked
                await(() -> accounted(alice, before) >= total, () -> "alice accounted for " + accounted(alice, before) + " of " + total);
                double seconds = (System.nanoTime() - started) / 1e9;
                ConferenceStats after = alice.stats();

                long failures = after.chatSignatureFailures() - before.chatSignatureFailures();
                long bound = SignatureGate.CHAT_FAILURES_BURST + (long) Math.ceil(SignatureGate.CHAT_FAILURES_PER_SECOND * (seconds + 1));
                assertThat(failures).as("forged signatures checked of %d sent in %.1f s", frames * forged.size(), seconds)
                        .isLessThanOrEqualTo(bound);
                // beyond the unasked-batch budget whole batches are refused before any check (HistorySync.onBatch)
                long unasked = (after.unaskedBatchesRefused() - before.unaskedBatchesRefused()) * Protocol.MAX_BATCH;
                assertThat(unasked).as("forged messages in batches refused unasked").isGreaterThan(0);
                assertThat(after.signatureBudgetExceeded() - before.signatureBudgetExceeded()).isGreaterThanOrEqualTo(total - bound - unasked);
                assertThat(rejected(alice) - rejectedBefore).as("every forged message counted as rejected").isGreaterThanOrEqualTo(total);
                assertThat(Scenarios.texts(alice, id)).noneMatch(t -> t.startsWith("bob never said"));
                Scenarios.stillChats(bob, id, alice);
            }
        }
    }

    private static long accounted(ConferencePeer p, ConferenceStats before) {
        ConferenceStats now = p.stats();
        return now.chatSignatureFailures() - before.chatSignatureFailures() + now.signatureBudgetExceeded() - before.signatureBudgetExceeded()
                + (now.unaskedBatchesRefused() - before.unaskedBatchesRefused()) * Protocol.MAX_BATCH;
    }

    private static long batchBytes(HostilePeer p) {
        return p.received(ChatBatch.class).stream().flatMap(b -> b.messages().stream()).mapToLong(m -> m.body().length + 200).sum();
    }
}
