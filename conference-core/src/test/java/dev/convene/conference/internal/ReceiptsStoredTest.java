package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * This peer's receipt goes to the authors owed one once its row commits ({@code Receipts.stored}), with a persistence
 * thread whose every metadata transaction takes longer than the receipt interval while the chat goes on: then a newer
 * receipt is always signed before the previous one commits.
 */
class ReceiptsStoredTest {
    private final byte[] key = ContentCrypto.newKey();
    private final Conference c = Seams.aliceWithBob(key);
    /** Permits for bob's persistence thread's metadata transactions (its receipts), and how many it began. */
    private final Semaphore commits = new Semaphore(0);
    private final AtomicInteger began = new AtomicInteger();
    private final ConferenceStore none = ConferenceStore.none();
    private final ConferenceStore slow = (ConferenceStore) java.lang.reflect.Proxy.newProxyInstance(ConferenceStore.class.getClassLoader(),
            new Class<?>[] {ConferenceStore.class}, (proxy, method, args) -> {
                if (method.getName().equals("saveBatch") && !((java.util.Map<?, ?>) args[2]).isEmpty()) { // a transaction with receipts
                    began.incrementAndGet();
                    if (!commits.tryAcquire(30, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
                }
                try {
                    return method.invoke(none, args);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                }
            });
    private final Seams bob = new Seams(BOB, ConferenceStore.none(), slow, Fixtures.START.plus(java.time.Duration.ofMinutes(5)), false);
    private final long[] now = {1_000_000_000L};

    ReceiptsStoredTest() {
        bob.s.conferences.put(c.id, c);
        bob.chat.receipts.nanos = () -> now[0];
    }

    @AfterEach
    void close() {
        commits.release(1000);
        bob.s.writer.close();
    }

    private void aliceSays(long sequence, ChatMessage previous) {
        ChatMessage m = Fixtures.chat(ALICE, c.id, sequence, Seams.at(1000 * sequence), key, "a" + sequence,
                previous == null ? null : new Frontier(previous.id(), previous.timestamp()));
        bob.chat.accept(c, ALICE.id(), m, true);
        bob.chat.deliverReady(c);
        last = m;
    }

    private ChatMessage last;

    private void runScheduled() {
        while (!bob.scheduled.isEmpty()) bob.scheduled.remove(0).run();
    }

    private void awaitBegan(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (began.get() < n) {
            if (System.nanoTime() > deadline) throw new AssertionError("the persistence thread never began transaction " + n);
            Thread.sleep(1);
        }
    }

    @Test
    void aCommittedReceiptGoesToTheAuthorsOwedOneEvenIfANewerOneWasSignedMeanwhile() throws Exception {
        aliceSays(1, null);
        // Bob's flush for alice signs r1: it goes once stored, alice is owed it. Its transaction is under way (slow).
        assertThat(bob.chat.receipts.forAck(c, ALICE.id(), new java.util.HashMap<>())).isNull();
        assertThat(bob.s.counters.receiptsSigned.sum()).isEqualTo(1);
        awaitBegan(1);
        for (int round = 2; round <= 4; round++) {
            // The chat goes on and the interval is over before r(round-1) commits: the next flush signs r(round).
            aliceSays(round, last);
            now[0] += Receipts.INTERVAL_NANOS;
            assertThat(bob.chat.receipts.forAck(c, ALICE.id(), new java.util.HashMap<>())).isNull();
            assertThat(bob.s.counters.receiptsSigned.sum()).isEqualTo(round);
            assertThat(bob.chat.receipts.owedIn(c.id)).containsExactly(ALICE.id());

            commits.release(); // r(round-1) commits; the persistence thread goes on to the next batch (r(round))
            awaitBegan(round);
            runScheduled(); // what the commit handed back to the engine thread

            // r(round-1) is stored and covers every acknowledgement alice got before it committed: it went to her.
            // (Waiting for r(round) instead, as this repeats, no receipt ever went while the chat lasted.)
            assertThat(bob.chat.receipts.owedIn(c.id)).as("round %d: alice still owed a receipt though one is stored", round).isEmpty();
        }
    }
}
