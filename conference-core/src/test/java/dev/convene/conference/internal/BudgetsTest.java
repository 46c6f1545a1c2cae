package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static dev.convene.conference.internal.Fixtures.MALLORY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ConferenceId;
import dev.convene.overlay.PeerId;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The budgets on their own, on a hand-moved ticker: signature checks per sender and per frame, the cache, history bytes. */
class BudgetsTest {
    private final AtomicLong nanos = new AtomicLong();
    private final Counters counters = new Counters();

    private static byte[] data(int i) {
        return ("record " + i).getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aSenderGetsItsBurstThenItsRateAndOthersAreNotAffected() {
        SignatureGate gate = new SignatureGate(counters, nanos::get);
        int verified = 0;
        for (int i = 0; i < SignatureGate.BURST + 100; i++) {
            if (i % 500 == 0) gate.beginFrame();
            byte[] d = data(i);
            if (gate.verify(MALLORY.id(), ALICE.signingKey(), d, ALICE.sign(d))) verified++;
        }
        assertThat(verified).isEqualTo(SignatureGate.BURST);
        assertThat(counters.signatureBudgetExceeded.sum()).isEqualTo(100);
        gate.beginFrame();
        byte[] other = data(-1);
        assertThat(gate.verify(BOB.id(), ALICE.signingKey(), other, ALICE.sign(other))).as("another sender").isTrue();

        nanos.addAndGet(1_000_000_000L); // one second: PER_SECOND more
        int later = 0;
        for (int i = 0; i < SignatureGate.PER_SECOND + 10; i++) {
            byte[] d = data(100_000 + i);
            if (gate.verify(MALLORY.id(), ALICE.signingKey(), d, ALICE.sign(d))) later++;
        }
        assertThat(later).isEqualTo(SignatureGate.PER_SECOND);
    }

    @Test
    void resultsValidAndInvalidAreCachedSoAReplayCostsNoCheckAndNoBudget() {
        SignatureGate gate = new SignatureGate(counters, nanos::get);
        byte[] d = data(1);
        byte[] good = ALICE.sign(d);
        byte[] bad = MALLORY.sign(d);
        assertThat(gate.verify(MALLORY.id(), ALICE.signingKey(), d, good)).isTrue();
        assertThat(gate.verify(MALLORY.id(), ALICE.signingKey(), d, bad)).isFalse();
        for (int i = 0; i < 5000; i++) {
            gate.beginFrame(); // each replay its own frame (a frame's bad signatures would cut the rest of it)
            assertThat(gate.verify(MALLORY.id(), ALICE.signingKey(), d, i % 2 == 0 ? good : bad)).isEqualTo(i % 2 == 0);
        }
        assertThat(counters.signatureChecks.sum()).isEqualTo(2);
        assertThat(counters.signatureCacheHits.sum()).isEqualTo(5000);
        assertThat(counters.signatureBudgetExceeded.sum()).isZero();
    }

    @Test
    void oneFrameCostsAtMostItsCapEvenWithBudgetLeft() {
        SignatureGate gate = new SignatureGate(counters, nanos::get);
        gate.beginFrame();
        nanos.addAndGet(60_000_000_000L);
        for (int i = 0; i < SignatureGate.PER_FRAME + 50; i++) gate.verify(null, ALICE.signingKey(), data(i), new byte[64]);
        assertThat(counters.signatureChecks.sum()).isEqualTo(SignatureGate.PER_FRAME + 50); // own work (restore): no cap
        gate.beginFrame();
        for (int i = 0; i < SignatureGate.PER_FRAME + 50; i++) {
            byte[] d = data(1_000_000 + i);
            gate.verify(BOB.id(), BOB.signingKey(), d, BOB.sign(d));
        }
        assertThat(counters.entriesOverCap.sum()).isEqualTo(50);
    }

    @Test
    void aFrameWithBadSignaturesCostsAHandfulOfChecksThenIsRefusedUnchecked() {
        SignatureGate gate = new SignatureGate(counters, nanos::get);
        gate.beginFrame();
        int refused = 0;
        for (int i = 0; i < 500; i++) if (!gate.verify(MALLORY.id(), ALICE.signingKey(), data(i), new byte[64])) refused++;
        assertThat(refused).isEqualTo(500);
        assertThat(counters.signatureChecks.sum()).isEqualTo(SignatureGate.FRAME_FAILURES);
        assertThat(counters.entriesOverCap.sum()).isEqualTo(500 - SignatureGate.FRAME_FAILURES);

        // The same frame replayed: its first failures come from the cache, the rest is refused unchecked.
        gate.beginFrame();
        for (int i = 0; i < 500; i++) gate.verify(MALLORY.id(), ALICE.signingKey(), data(i), new byte[64]);
        assertThat(counters.signatureChecks.sum()).isEqualTo(SignatureGate.FRAME_FAILURES);
        assertThat(counters.signatureCacheHits.sum()).isEqualTo(SignatureGate.FRAME_FAILURES);

        // A later honest frame from the same sender is checked as usual, and own work (sender null) is never cut.
        gate.beginFrame();
        byte[] d = data(-7);
        assertThat(gate.verify(MALLORY.id(), ALICE.signingKey(), d, ALICE.sign(d))).isTrue();
        for (int i = 0; i < 10; i++) gate.verify(null, ALICE.signingKey(), data(5000 + i), new byte[64]);
        assertThat(counters.signatureChecks.sum()).isEqualTo(SignatureGate.FRAME_FAILURES + 1 + 10);
    }

    @Test
    void recordsOfAFrameAlreadyRefusedAreNotEvenEncoded() {
        // Before: each of a frame's records was encoded and hashed (SHA-256 of key, bytes, signature) before the gate
        // looked at the frame's failures; 496 encodings and digests a frame on the event thread (issue 11: the
        // metadata flood's p99 of 250-560 ms, mostly allocation and GC pauses).
        SignatureGate gate = new SignatureGate(counters, nanos::get);
        gate.beginFrame();
        java.util.concurrent.atomic.AtomicInteger encoded = new java.util.concurrent.atomic.AtomicInteger();
        for (int i = 0; i < 500; i++) {
            int n = i;
            gate.verify(MALLORY.id(), ALICE.signingKey(), () -> {
                encoded.incrementAndGet();
                return data(n);
            }, new byte[64]);
        }
        assertThat(encoded.get()).isEqualTo(SignatureGate.FRAME_FAILURES);
        assertThat(counters.entriesOverCap.sum()).isEqualTo(500 - SignatureGate.FRAME_FAILURES);
    }

    @Test
    void historyIsNotSentTwiceWithinTheIntervalAndBytesAreBudgetedPerAsker() {
        HistoryBudget budget = new HistoryBudget(nanos::get);
        ConferenceId c = ConferenceId.random();
        PeerId author = ALICE.id();
        assertThat(budget.alreadySent(MALLORY.id(), c, author)).isZero();
        assertThat(budget.spend(MALLORY.id(), c, Map.of(), 1000)).isTrue();
        budget.sent(MALLORY.id(), c, author, 40);
        assertThat(budget.alreadySent(MALLORY.id(), c, author)).isEqualTo(40);
        assertThat(budget.alreadySent(BOB.id(), c, author)).as("another asker").isZero();
        assertThat(budget.fresh(MALLORY.id(), c, Map.of())).as("the same digest again").isFalse();
        assertThat(budget.fresh(MALLORY.id(), c, Map.of(author, 1L))).isTrue();
        nanos.addAndGet(HistoryBudget.RESEND_AFTER_NANOS);
        assertThat(budget.alreadySent(MALLORY.id(), c, author)).as("after the interval, a lost batch is sent again").isZero();
        assertThat(budget.fresh(MALLORY.id(), c, Map.of())).isTrue();

        assertThat(budget.spend(BOB.id(), c, Map.of(), HistoryBudget.PER_ASKER_BURST)).isTrue();
        assertThat(budget.spend(BOB.id(), c, Map.of(author, 2L), 1)).as("bob's budget is spent").isFalse();
        assertThat(budget.spend(MALLORY.id(), c, Map.of(author, 3L), 1000)).as("mallory's is not").isTrue();
        nanos.addAndGet(1_000_000_000L);
        assertThat(budget.spend(BOB.id(), c, Map.of(author, 4L), HistoryBudget.PER_ASKER_PER_SECOND)).isTrue();
    }
}
