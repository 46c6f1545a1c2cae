package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static dev.convene.conference.internal.Fixtures.MALLORY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ChatEntry;
import dev.convene.conference.MessageId;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Acknowledgements driven directly: coalesced when sent, settling own pending messages when received. */
class AcksTest {
    private final Conference c = Seams.aliceWithBob(ContentCrypto.newKey());

    @Test
    void aBurstOfAcksSchedulesOneFlushAndNoneGoesToItself() {
        Seams bob = new Seams(BOB);
        bob.s.conferences.put(c.id, c);
        bob.acks.ack(c, BOB.id());
        assertThat(bob.scheduled).isEmpty();
        bob.acks.ack(c, ALICE.id());
        bob.acks.ack(c, ALICE.id());
        bob.acks.ack(c, MALLORY.id());
        assertThat(bob.scheduled).hasSize(1);
    }

    private CompletableFuture<ChatEntry> pending(Conference c, long sequence) {
        ChatEntry e = new ChatEntry(c.id, new MessageId(ALICE.id(), sequence), Seams.at(sequence), "alice", "text " + sequence, true);
        c.history.put(e, e);
        c.entries.put(e.id(), e);
        CompletableFuture<ChatEntry> f = new CompletableFuture<>();
        c.awaitingAck.put(sequence, f);
        return f;
    }

    @Test
    void anAckSettlesEveryOwnMessageUpToItsSequence() {
        Seams alice = new Seams(ALICE);
        alice.s.conferences.put(c.id, c);
        CompletableFuture<ChatEntry> one = pending(c, 1);
        CompletableFuture<ChatEntry> two = pending(c, 2);
        CompletableFuture<ChatEntry> three = pending(c, 3);

        alice.acks.onAck(BOB.id(), new ChatAck(c.id, ALICE.id(), 2));

        assertThat(one.join().pending()).isFalse();
        assertThat(two.join().pending()).isFalse();
        assertThat(three).isNotDone();
        assertThat(c.awaitingAck).containsOnlyKeys(3L);
        assertThat(c.entries.get(new MessageId(ALICE.id(), 2)).pending()).isFalse();
        assertThat(c.history.values()).filteredOn(ChatEntry::pending).hasSize(1);
        assertThat(alice.heard).containsExactly("delivered 1", "delivered 2");
        assertThat(c.awaitingAll).isEmpty(); // (this fixture posted none awaiting everyone)
    }

    @Test
    void anAckFromANonParticipantOrForAnotherAuthorIsIgnored() {
        Seams alice = new Seams(ALICE);
        alice.s.conferences.put(c.id, c);
        CompletableFuture<ChatEntry> one = pending(c, 1);
        alice.acks.onAck(MALLORY.id(), new ChatAck(c.id, ALICE.id(), 1));
        alice.acks.onAck(BOB.id(), new ChatAck(c.id, BOB.id(), 1));
        assertThat(one).isNotDone();
        assertThat(alice.heard).isEmpty();
    }

    /** Alice's conference with Bob and Carol invited, both accepted, as Alice holds it after posting {@code posted}. */
    private static Conference withBobAndCarol(long posted) {
        byte[] key = ContentCrypto.newKey();
        SignedContext ctx = Fixtures.signed(Fixtures.context(BOB, Fixtures.CAROL));
        Conference c = new Conference(ctx);
        for (var who : java.util.List.of(BOB, Fixtures.CAROL)) {
            Invitation inv = Fixtures.invitation(ctx, ALICE, who, key);
            c.invitations.put(who.id(), inv);
            c.nonces.add(inv.nonceHex());
            Reply accept = Fixtures.reply(who, c.id, dev.convene.conference.Answer.ACCEPT, "", 1, Fixtures.START);
            c.replyLog.computeIfAbsent(who.id(), a -> new java.util.TreeMap<>()).put(1, accept);
            c.replies.put(who.id(), accept);
        }
        c.keys.put(0, key);
        c.ownSequence = posted;
        // Both signed receipts that cover everything alice posts here (an acknowledgement counts for all only so far).
        for (var who : java.util.List.of(BOB, Fixtures.CAROL)) c.receipts.put(who.id(), receiptAfter(who, c, 1_000_000));
        return c;
    }

    /** A receipt by {@code who} naming a message of its own dated just after {@code millis} after the start. */
    private static Receipt receiptAfter(dev.convene.overlay.Identity who, Conference c, long millis) {
        var justAfter = new dev.convene.conference.HlcTimestamp(Seams.at(millis).wallMillis(), 1);
        return Receipt.sign(who, c.id, 0, new Frontier(new MessageId(who.id(), 1), justAfter));
    }

    @Test
    void anAckCountsForEveryoneOnlyAsFarAsItsSendersReceiptCoversTheOwnMessages() {
        Conference c = withBobAndCarol(3);
        c.receipts.remove(Fixtures.CAROL.id());
        Seams alice = new Seams(ALICE);
        alice.s.conferences.put(c.id, c);
        CompletableFuture<ChatEntry> one = pendingForAll(c, 1);
        CompletableFuture<ChatEntry> two = pendingForAll(c, 2);
        CompletableFuture<ChatEntry> three = pendingForAll(c, 3);
        alice.acks.onAck(BOB.id(), new ChatAck(c.id, ALICE.id(), 3));

        // Carol acknowledges all three without a receipt: it stores them (acknowledged), but it signed nothing it saw.
        alice.acks.onAck(Fixtures.CAROL.id(), new ChatAck(c.id, ALICE.id(), 3));
        assertThat(c.awaitingAck).isEmpty();
        assertThat(one).isNotDone();
        assertThat(alice.s.counters.acksUncovered.sum()).isEqualTo(1);

        // Her receipt names a message dated between alice's second and third: the first two count, not the third.
        c.receipts.put(Fixtures.CAROL.id(), receiptAfter(Fixtures.CAROL, c, 2));
        alice.acks.credit(c, Fixtures.CAROL.id());
        alice.acks.storedByAll(c);
        assertThat(one).isDone();
        assertThat(two).isDone();
        assertThat(three).isNotDone();
        assertThat(c.ackedUpTo).containsEntry(Fixtures.CAROL.id(), 2L);

        // A later receipt covers it: an own message not in the history (a typed event) counts with the acknowledgement.
        c.ownSequence = 4;
        CompletableFuture<ChatEntry> event = new CompletableFuture<>();
        c.awaitingAll.put(4L, event);
        c.eventIds.add(new MessageId(ALICE.id(), 4));
        c.receipts.put(Fixtures.CAROL.id(), receiptAfter(Fixtures.CAROL, c, 3));
        alice.acks.onAck(BOB.id(), new ChatAck(c.id, ALICE.id(), 4));
        alice.acks.onAck(Fixtures.CAROL.id(), new ChatAck(c.id, ALICE.id(), 4));
        assertThat(three).isDone();
        assertThat(event).isDone();
    }

    private CompletableFuture<ChatEntry> pendingForAll(Conference c, long sequence) {
        pending(c, sequence);
        CompletableFuture<ChatEntry> f = new CompletableFuture<>();
        c.awaitingAll.put(sequence, f);
        return f;
    }

    @Test
    void storedByAllCompletesOnlyWhenEveryOtherParticipantConfirmedAndAfterDelivered() {
        Conference c = withBobAndCarol(3);
        Seams alice = new Seams(ALICE);
        alice.s.conferences.put(c.id, c);
        CompletableFuture<ChatEntry> one = pendingForAll(c, 1);
        CompletableFuture<ChatEntry> two = pendingForAll(c, 2);
        CompletableFuture<ChatEntry> three = pendingForAll(c, 3);

        alice.acks.onAck(BOB.id(), new ChatAck(c.id, ALICE.id(), 3));
        assertThat(c.awaitingAck).isEmpty(); // acknowledged: one other participant has them all
        assertThat(one).isNotDone();

        alice.acks.onAck(Fixtures.CAROL.id(), new ChatAck(c.id, ALICE.id(), 2));
        assertThat(one.join().pending()).isFalse();
        assertThat(two).isDone();
        assertThat(three).isNotDone();
        assertThat(c.awaitingAll).containsOnlyKeys(3L);
        assertThat(alice.heard).containsExactly("delivered 1", "delivered 2", "delivered 3", "stored by all 1", "stored by all 2");

        // A peer that is no longer a participant is no longer waited for.
        Reply leave = Fixtures.reply(Fixtures.CAROL, c.id, dev.convene.conference.Answer.LEAVE, "", 2, Fixtures.START.plusSeconds(60));
        c.replyLog.get(Fixtures.CAROL.id()).put(2, leave);
        c.replies.put(Fixtures.CAROL.id(), leave);
        alice.acks.onAck(BOB.id(), new ChatAck(c.id, ALICE.id(), 3));
        assertThat(three).isDone();
    }

    @Test
    void anAckBeyondWhatWasPostedCountsOnlyUpToIt() {
        Conference c = withBobAndCarol(1);
        Seams alice = new Seams(ALICE);
        alice.s.conferences.put(c.id, c);
        pendingForAll(c, 1);
        alice.acks.onAck(BOB.id(), new ChatAck(c.id, ALICE.id(), 50));
        alice.acks.onAck(Fixtures.CAROL.id(), new ChatAck(c.id, ALICE.id(), 50));
        c.ownSequence = 2;
        CompletableFuture<ChatEntry> two = pendingForAll(c, 2);
        alice.acks.onAck(BOB.id(), new ChatAck(c.id, ALICE.id(), 2));
        assertThat(two).isNotDone(); // carol's earlier "50" was before message 2 existed
        alice.acks.onAck(Fixtures.CAROL.id(), new ChatAck(c.id, ALICE.id(), 2));
        assertThat(two).isDone();
    }

    @Test
    void aRefusedPostFailsItsStoredByAllFutureToo() {
        Conference c = withBobAndCarol(1);
        Seams alice = new Seams(ALICE);
        CompletableFuture<ChatEntry> one = pendingForAll(c, 1);
        alice.chat.failOwn(c, 1, "undecryptable");
        assertThat(one).isCompletedExceptionally();
        assertThat(c.awaitingAll).isEmpty();
    }

    /**
     * Delivered-to-all skips its scan of the participants' marks when the participant that held the minimum still
     * holds the same mark: in a seeded random run of posts, acknowledgements (some beyond what was posted) and
     * participants leaving, exactly the posts complete that a plain scan after every acknowledgement completes, and
     * some scans were skipped.
     */
    @Test
    void skippingTheScanWhenTheMinimumCannotHaveRisenCompletesExactlyWhatAPlainScanDoes() {
        for (long seed = 1; seed <= 20; seed++) {
            java.util.Random random = new java.util.Random(seed);
            java.util.List<dev.convene.overlay.Identity> others = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) others.add(dev.convene.overlay.Identity.generate());
            byte[] key = ContentCrypto.newKey();
            SignedContext ctx = Fixtures.signed(Fixtures.context(others.toArray(dev.convene.overlay.Identity[]::new)));
            Conference c = new Conference(ctx);
            for (var who : others) {
                Invitation inv = Fixtures.invitation(ctx, ALICE, who, key);
                c.invitations.put(who.id(), inv);
                c.nonces.add(inv.nonceHex());
                Reply accept = Fixtures.reply(who, c.id, dev.convene.conference.Answer.ACCEPT, "", 1, Fixtures.START);
                c.replyLog.computeIfAbsent(who.id(), a -> new java.util.TreeMap<>()).put(1, accept);
                c.replies.put(who.id(), accept);
                c.receipts.put(who.id(), receiptAfter(who, c, 1_000_000));
            }
            c.keys.put(0, key);
            Seams alice = new Seams(ALICE);
            alice.s.conferences.put(c.id, c);

            java.util.Map<Long, CompletableFuture<ChatEntry>> posts = new java.util.TreeMap<>();
            java.util.Map<dev.convene.overlay.PeerId, Long> marks = new java.util.HashMap<>(); // the reference's
            java.util.Set<dev.convene.overlay.Identity> current = new java.util.LinkedHashSet<>(others);
            java.util.Set<Long> expected = new java.util.TreeSet<>();
            for (int step = 0; step < 300; step++) {
                int op = random.nextInt(100);
                if (op < 20) {
                    c.ownSequence++;
                    posts.put(c.ownSequence, pendingForAll(c, c.ownSequence));
                } else if (op < 98 || current.size() <= 1) {
                    var from = others.get(random.nextInt(others.size()));
                    long seq = random.nextInt((int) c.ownSequence + 3);
                    alice.acks.onAck(from.id(), new ChatAck(c.id, ALICE.id(), seq));
                    if (!current.contains(from)) continue; // ignored, as asserted by the test above
                    marks.merge(from.id(), Math.min(seq, c.ownSequence), Math::max);
                    // The plain scan after this acknowledgement: the minimum over the current participants' marks.
                    long min = current.stream().mapToLong(p -> marks.getOrDefault(p.id(), 0L)).min().orElse(0);
                    for (long q : posts.keySet()) if (q <= min) expected.add(q);
                } else {
                    var who = current.iterator().next();
                    current.remove(who);
                    Reply leave = Fixtures.reply(who, c.id, dev.convene.conference.Answer.LEAVE, "", 2, Fixtures.START.plusSeconds(60));
                    c.replyLog.get(who.id()).put(2, leave);
                    c.replies.put(who.id(), leave);
                }
                java.util.Set<Long> done = new java.util.TreeSet<>();
                posts.forEach((q, f) -> {
                    if (f.isDone()) done.add(q);
                });
                assertThat(done).as("seed %d step %d", seed, step).isEqualTo(expected);
            }
            assertThat(alice.s.counters.storedByAllScansSkipped.sum()).as("seed %d", seed).isPositive();
        }
    }
}
