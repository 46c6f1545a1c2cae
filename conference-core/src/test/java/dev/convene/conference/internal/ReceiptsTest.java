package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static dev.convene.conference.internal.Fixtures.CAROL;
import static dev.convene.conference.internal.Fixtures.MALLORY;
import static dev.convene.conference.internal.Fixtures.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.conference.ChatEntry;
import dev.convene.conference.MessageId;
import dev.convene.overlay.RejectedMessageException;
import dev.convene.overlay.wire.WireBytes;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The receipt rule driven directly at bob: the proof check, its exemption, validation, the own-receipt floor. */
class ReceiptsTest {
    private final byte[] key = ContentCrypto.newKey();
    private final Conference c = Seams.aliceWithBob(key);
    private final Seams bob = new Seams(BOB);

    ReceiptsTest() {
        bob.s.conferences.put(c.id, c);
    }

    private ChatMessage fromBob(long sequence, long atMillis) {
        return Fixtures.chat(BOB, c.id, sequence, Seams.at(atMillis), key, "bob " + sequence);
    }

    private static Frontier frontierOf(ChatMessage m) {
        return new Frontier(m.id(), m.timestamp());
    }

    private void hold(ChatMessage m) {
        c.chat.computeIfAbsent(m.author(), a -> new java.util.TreeMap<>()).put(m.sequence(), m);
    }

    private java.util.List<String> shown() {
        return c.history.values().stream().map(ChatEntry::text).toList();
    }

    @Test
    void aLaterMessageWithAnOlderOrNoFrontierContradictsItsAuthorsReceiptAndNothingElseDoes() {
        ChatMessage b1 = fromBob(1, 1000);
        ChatMessage b2 = fromBob(2, 2000);
        Receipt r = Receipt.sign(ALICE, c.id, 3, frontierOf(b2)); // after her sequence 3 alice had delivered b2
        ChatMessage older = Fixtures.chat(ALICE, c.id, 4, Seams.at(3000), key, "older", frontierOf(b1));
        ChatMessage none = Fixtures.chat(ALICE, c.id, 4, Seams.at(3000), key, "none", null);
        ChatMessage same = Fixtures.chat(ALICE, c.id, 4, Seams.at(3000), key, "same", frontierOf(b2));
        ChatMessage before = Fixtures.chat(ALICE, c.id, 3, Seams.at(3000), key, "before the receipt", frontierOf(b1));
        ChatMessage other = Fixtures.chat(BOB, c.id, 4, Seams.at(3000), key, "another author", frontierOf(b1));
        assertThat(Receipts.contradicts(r, older)).isTrue();
        assertThat(Receipts.contradicts(r, none)).isTrue();
        assertThat(Receipts.contradicts(r, same)).isFalse();
        assertThat(Receipts.contradicts(r, before)).isFalse();
        assertThat(Receipts.contradicts(r, other)).isFalse();
        // Both records are signed by one key: any peer checks the pair with the author's key alone.
        assertThat(r.verifies(ALICE.signingKey())).isTrue();
        Receipt altered = new Receipt(c.id, ALICE.id(), 3, frontierOf(b1), r.signature());
        assertThat(altered.verifies(ALICE.signingKey())).isFalse();
        assertThat(Protocol.bytes(Receipt.BODY, r)).isNotEqualTo(Protocol.bytes(Protocol.CHAT_BODY, older));
        ReceiptFrame pair = new ReceiptFrame(r, older);
        ReceiptFrame back = WireBytes.decode(ReceiptFrame.CODEC, WireBytes.encode(ReceiptFrame.CODEC, pair, Protocol.MAX_SIGNED));
        assertThat(back.receipt().frontier()).isEqualTo(r.frontier());
        assertThat(back.receipt().signature()).isEqualTo(r.signature());
        assertThat(back.contradicted().id()).isEqualTo(older.id());
    }

    @Test
    void aMessageNamedByAReceiptIsExemptWhenMembershipMakesItInvalidOrItIsEquivocatedOrBanned() {
        ChatMessage valid = fromBob(1, 1000);
        hold(valid);
        // A removal at 10 minutes (new epoch 1): bob's epoch-0 message dated after it is invalid by membership.
        c.removals.put(CAROL.id(), Fixtures.removal(ALICE, c.id, CAROL.id(), 1, START.plus(Duration.ofMinutes(10)), 0));
        ChatMessage invalid = fromBob(2, Duration.ofMinutes(11).toMillis());
        hold(invalid);
        assertThat(Membership.verdict(c, invalid, ConferenceEngine.MAX_FUTURE)).isEqualTo(Membership.Verdict.INVALID);

        assertThat(Receipts.exempt(c, Set.of(), Receipt.sign(ALICE, c.id, 0, frontierOf(valid)))).isFalse();
        assertThat(Receipts.exempt(c, Set.of(), Receipt.sign(ALICE, c.id, 0, frontierOf(invalid)))).isTrue();
        assertThat(Receipts.exempt(c, Set.of(BOB.id()), Receipt.sign(ALICE, c.id, 0, frontierOf(valid)))).isTrue();
        c.equivocations.put(valid.id(), fromBob(1, 1500));
        assertThat(Receipts.exempt(c, Set.of(), Receipt.sign(ALICE, c.id, 0, frontierOf(valid)))).isTrue();
    }

    @Test
    void aProofSettlesTheMessageUnshownOrTakesItOutWhereShownAndAnExemptOneStays() {
        ChatMessage b1 = fromBob(1, 1000);
        ChatMessage b2 = fromBob(2, 2000);
        bob.chat.accept(c, BOB.id(), b1, true);
        bob.chat.accept(c, BOB.id(), b2, true);
        bob.chat.deliverReady(c);
        Receipt r = Receipt.sign(ALICE, c.id, 0, frontierOf(b2));
        // Alice's first message reached bob first and is shown; the proof, from any peer, takes it out.
        ChatMessage a1 = Fixtures.chat(ALICE, c.id, 1, Seams.at(2500), key, "a1 under-reported", frontierOf(b1));
        bob.chat.accept(c, ALICE.id(), a1, false);
        bob.chat.deliverReady(c);
        assertThat(shown()).contains("a1 under-reported");
        bob.chat.receipts.onFrame(ALICE.id(), new ReceiptFrame(r, a1));
        assertThat(shown()).containsExactly("bob 1", "bob 2");
        assertThat(bob.heard).contains("retracted a1 under-reported: under-reported frontier");
        // A later message that contradicts the receipt held here is never shown.
        ChatMessage a2 = Fixtures.chat(ALICE, c.id, 2, Seams.at(2600), key, "a2 older", frontierOf(b1));
        bob.chat.accept(c, ALICE.id(), a2, false);
        bob.chat.deliverReady(c);
        assertThat(shown()).containsExactly("bob 1", "bob 2");
        assertThat(c.contiguous).containsEntry(ALICE.id(), 2L); // settled: what follows flows
        ChatMessage a3 = Fixtures.chat(ALICE, c.id, 3, Seams.at(2700), key, "a3 true", frontierOf(b2));
        bob.chat.accept(c, ALICE.id(), a3, false);
        bob.chat.deliverReady(c);
        assertThat(shown()).containsExactly("bob 1", "bob 2", "a3 true");
        assertThat(bob.s.counters.underReportProofs.sum()).isEqualTo(2);
        assertThat(c.underReports).containsOnlyKeys(a1.id(), a2.id());
        // Once b2 is invalid by membership (equivocated here), the receipt no longer binds: a rebuild shows them.
        c.equivocations.put(b2.id(), fromBob(2, 2100));
        bob.chat.rebuild(c, Set.of());
        assertThat(shown()).contains("a1 under-reported", "a2 older");
    }

    @Test
    void forgedReceiptsAndFalseProofsAreRefusedAndCounted() {
        ChatMessage b1 = fromBob(1, 1000);
        hold(b1);
        Receipt mallorys = Receipt.sign(MALLORY, c.id, 0, frontierOf(b1));
        Receipt inAlicesName = new Receipt(c.id, ALICE.id(), 0, frontierOf(b1), mallorys.signature());
        assertThatThrownBy(() -> bob.chat.receipts.onFrame(MALLORY.id(), new ReceiptFrame(inAlicesName, null)))
                .isInstanceOf(RejectedMessageException.class).hasMessageContaining("signature");
        assertThatThrownBy(() -> bob.chat.receipts.onFrame(MALLORY.id(), new ReceiptFrame(mallorys, null)))
                .isInstanceOf(RejectedMessageException.class).hasMessageContaining("not another participant");
        Receipt r = Receipt.sign(ALICE, c.id, 0, frontierOf(b1));
        ChatMessage truthful = Fixtures.chat(ALICE, c.id, 1, Seams.at(2000), key, "truthful", frontierOf(b1));
        assertThatThrownBy(() -> bob.chat.receipts.onFrame(MALLORY.id(), new ReceiptFrame(r, truthful)))
                .isInstanceOf(RejectedMessageException.class).hasMessageContaining("does not contradict");
        assertThat(bob.s.counters.receiptsRefused.sum()).isEqualTo(3);
        assertThat(c.receipts).isEmpty();
        assertThat(c.underReports).isEmpty();
        // A valid one is kept, one per author: the one naming the latest frontier.
        ChatMessage b2 = fromBob(2, 2000);
        hold(b2);
        bob.chat.receipts.onFrame(ALICE.id(), new ReceiptFrame(Receipt.sign(ALICE, c.id, 0, frontierOf(b2)), null));
        bob.chat.receipts.onFrame(ALICE.id(), new ReceiptFrame(r, null));
        assertThat(c.receipts).hasSize(1);
        assertThat(c.receipts.get(ALICE.id()).frontier()).isEqualTo(frontierOf(b2));
        // One that numbers alice's messages bob does not hold yet binds nothing until they are here.
        ChatMessage b3 = fromBob(3, 3000);
        hold(b3);
        Receipt ahead = Receipt.sign(ALICE, c.id, 1, frontierOf(b3));
        bob.chat.receipts.onFrame(ALICE.id(), new ReceiptFrame(ahead, null));
        assertThat(c.receipts.get(ALICE.id()).frontier()).isEqualTo(frontierOf(b2));
        assertThat(c.pendingReceipts).containsEntry(ALICE.id(), ahead);
        bob.chat.receipts.promote(c, java.util.List.of(ALICE.id()));
        assertThat(c.pendingReceipts).containsEntry(ALICE.id(), ahead);
        c.contiguous.put(ALICE.id(), 1L); // alice's first message delivered here: what the receipt numbers is here
        bob.chat.receipts.promote(c, java.util.List.of(ALICE.id()));
        assertThat(c.receipts.get(ALICE.id())).isEqualTo(ahead);
        assertThat(c.pendingReceipts).isEmpty();
    }

    @Test
    void theNextOwnFrontierIsNeverOlderThanTheOwnLatestReceiptRestoredFromItsRow() {
        ChatMessage b1 = fromBob(1, 1000);
        bob.chat.accept(c, BOB.id(), b1, true);
        bob.chat.deliverReady(c);
        ChatMessage a1 = Fixtures.chat(ALICE, c.id, 1, Seams.at(2000), key, "a1", frontierOf(b1));
        Receipt mine = Receipt.sign(BOB, c.id, 1, frontierOf(a1)); // bob had delivered a1, since taken out
        Conference restored = c;
        assertThat(Frontiers.next(restored, BOB.id(), 2)).isEqualTo(frontierOf(b1));
        Receipts.restore(restored, Map.of(Receipts.receiptRow(BOB.id()),
                WireBytes.encode(ReceiptFrame.CODEC, new ReceiptFrame(mine, null), Protocol.MAX_SIGNED)));
        assertThat(Frontiers.next(restored, BOB.id(), 2)).isEqualTo(frontierOf(a1));
        assertThat(Frontiers.floor(restored, BOB.id(), 2, frontierOf(a1))).isEqualTo(a1.timestamp());
        assertThat(new MessageId(ALICE.id(), 1)).isEqualTo(restored.receipts.get(BOB.id()).frontier().id());
    }

    @Test
    void aReceiptIsSignedAtMostOncePerIntervalAndAnAcknowledgementSoonerOwesOne() {
        long[] now = {1_000_000_000L};
        bob.chat.receipts.nanos = () -> now[0];
        ChatMessage b1 = fromBob(1, 1000);
        bob.chat.accept(c, BOB.id(), b1, true);
        bob.chat.deliverReady(c);
        var flush = new java.util.HashMap<dev.convene.conference.ConferenceId, java.util.Optional<Receipt>>();
        Receipt first = bob.chat.receipts.forAck(c, ALICE.id(), flush);
        assertThat(first).isNotNull();
        assertThat(first.frontier()).isEqualTo(frontierOf(b1));
        // In the same flush, the same receipt; an unchanged frontier later, the same receipt again (nothing to sign).
        assertThat(bob.chat.receipts.forAck(c, ALICE.id(), flush)).isSameAs(first);
        now[0] += Receipts.INTERVAL_NANOS / 2;
        assertThat(bob.chat.receipts.forAck(c, ALICE.id(), new java.util.HashMap<>())).isSameAs(first);

        // The frontier moves within the interval: the acknowledgement goes without a receipt, one is owed to alice.
        ChatMessage a1 = Fixtures.chat(ALICE, c.id, 1, Seams.at(2000), key, "a1", frontierOf(b1));
        bob.chat.accept(c, ALICE.id(), a1, true);
        bob.chat.deliverReady(c);
        assertThat(bob.chat.receipts.forAck(c, ALICE.id(), new java.util.HashMap<>())).isNull();
        assertThat(bob.chat.receipts.owedIn(c.id)).containsExactly(ALICE.id());
        assertThat(bob.s.counters.receiptsSigned.sum()).isEqualTo(1);
        assertThat(c.receipts.get(BOB.id())).isSameAs(first);

        // Once the interval is over, the next flush signs one naming a1.
        now[0] += Receipts.INTERVAL_NANOS;
        Receipt second = bob.chat.receipts.forAck(c, ALICE.id(), new java.util.HashMap<>());
        assertThat(second.frontier()).isEqualTo(frontierOf(a1));
        assertThat(bob.s.counters.receiptsSigned.sum()).isEqualTo(2);
        assertThat(second.verifies(BOB.signingKey())).isTrue();
    }
    /** 100 ms up to 10 participants, 100 ms more per 10 more: an author checks about 100 receipts a second at any size. */
    @Test
    void theIntervalBetweenReceiptsGrowsWithTheConference() {
        dev.convene.overlay.Identity[] invitees = java.util.stream.IntStream.range(0, 25)
                .mapToObj(i -> dev.convene.overlay.Identity.generate()).toArray(dev.convene.overlay.Identity[]::new);
        Conference c = new Conference(Fixtures.signed(Fixtures.context(invitees)));
        assertThat(Receipts.interval(c)).as("the organiser alone").isEqualTo(Receipts.INTERVAL_NANOS);
        for (int i = 0; i < 9; i++) c.replies.put(invitees[i].id(), Fixtures.reply(invitees[i], c.id, dev.convene.conference.Answer.ACCEPT, "", 1, START));
        assertThat(Receipts.interval(c)).as("10 participants").isEqualTo(Receipts.INTERVAL_NANOS);
        c.replies.put(invitees[9].id(), Fixtures.reply(invitees[9], c.id, dev.convene.conference.Answer.ACCEPT, "", 1, START));
        assertThat(Receipts.interval(c)).as("11 participants").isEqualTo(2 * Receipts.INTERVAL_NANOS);
        for (dev.convene.overlay.Identity i : invitees) c.replies.put(i.id(), Fixtures.reply(i, c.id, dev.convene.conference.Answer.ACCEPT, "", 1, START));
        assertThat(Receipts.interval(c)).as("26 participants").isEqualTo(3 * Receipts.INTERVAL_NANOS);
    }
}
