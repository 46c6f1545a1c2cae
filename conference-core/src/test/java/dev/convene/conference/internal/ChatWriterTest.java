package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.MutableClock;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The persistence thread driven directly with a real store: group commit, work after the commit, bounds, close and crash. */
@Timeout(60)
class ChatWriterTest {
    @TempDir
    Path home;
    private final byte[] key = ContentCrypto.newKey();
    private final Conference c = Seams.aliceWithBob(key);
    private ConferenceStore store;
    private EngineState s;

    private ChatWriter writer() {
        store = SqliteStore.open(home, BOB.id().value());
        s = new EngineState(BOB, ConferenceStore.none(), store, false, new MutableClock(Fixtures.START));
        s.events = Runnable::run; // work after a commit runs on the persistence thread here
        return s.writer;
    }

    @AfterEach
    void closeAll() {
        if (s != null) s.writer.crash();
        if (store != null) store.close();
    }

    private ChatMessage message(long seq, String text) {
        return Fixtures.chat(ALICE, c.id, seq, Seams.at(seq), key, text);
    }

    private List<ConferenceStore.SavedChat> storedRows() {
        try (ConferenceStore reader = SqliteStore.open(home, BOB.id().value())) {
            return reader.chat(c.id);
        }
    }

    @Test
    void rowsQueuedWhileTheThreadIsBusyCommitInOneTransactionBeforeTheWorkThatWaitsForThem() throws Exception {
        ChatWriter w = writer();
        CountDownLatch release = new CountDownLatch(1);
        w.holdForTest(release);
        for (long seq = 1; seq <= 100; seq++) assertThat(w.offer(message(seq, "m" + seq), "alice")).isTrue();
        CompletableFuture<long[]> after = new CompletableFuture<>();
        w.afterCommit(() -> after.complete(new long[] {w.batches(), w.rows()}));
        assertThat(after).isNotDone(); // held: nothing is committed, so nothing waiting for a commit runs
        assertThat(w.queuedBytes()).isPositive();

        release.countDown();

        assertThat(after.get(30, TimeUnit.SECONDS)).containsExactly(1, 100);
        assertThat(w.queuedBytes()).isZero();
        assertThat(storedRows()).hasSize(100);
    }

    @Test
    void ownPostsCommitWithTheReceivedRowsAndAreReleasedOnlyAfterTheCommitOrFailedAfterAClose() throws Exception {
        ChatWriter w = writer();
        CountDownLatch release = new CountDownLatch(1);
        w.holdForTest(release);
        assertThat(w.offer(message(1, "received"), "alice")).isTrue();
        List<ChatMessage> own = Fixtures.signedTogether(BOB, List.of(Fixtures.chat(BOB, c.id, 1, Seams.at(1), key, "own 1"),
                Fixtures.chat(BOB, c.id, 2, Seams.at(2), key, "own 2")));
        CompletableFuture<long[]> sent = new CompletableFuture<>();
        w.offerOwnToSign(() -> own, "bob", signed -> sent.complete(new long[] {w.batches(), w.rows()}), sent::completeExceptionally);
        assertThat(sent).isNotDone(); // not committed: not to be sent
        release.countDown();
        assertThat(sent.get(30, TimeUnit.SECONDS)).containsExactly(1, 3); // one transaction for both kinds
        assertThat(storedRows()).hasSize(3);
        w.close();
        CompletableFuture<Void> late = new CompletableFuture<>();
        w.offerOwnToSign(() -> List.of(own.get(0)), "bob", signed -> late.complete(null), late::completeExceptionally);
        assertThat(late).isCompletedExceptionally();
    }

    @Test
    void ownPostsAreSignedOnThePersistenceThreadJustBeforeTheirRowsAndAFailedSignatureFailsOnlyThem() throws Exception {
        ChatWriter w = writer();
        CountDownLatch release = new CountDownLatch(1);
        w.holdForTest(release); // everything below goes into one batch
        List<ChatMessage> unsigned = List.of(Fixtures.chat(BOB, c.id, 1, Seams.at(1), key, "own 1"));
        CompletableFuture<String> signedOn = new CompletableFuture<>();
        CompletableFuture<List<ChatMessage>> sent = new CompletableFuture<>();
        w.offerOwnToSign(() -> {
            signedOn.complete(Thread.currentThread().getName());
            return Fixtures.signedTogether(BOB, List.of(unsigned.get(0), Fixtures.chat(BOB, c.id, 2, Seams.at(2), key, "own 2")));
        }, "bob", sent::complete, sent::completeExceptionally);
        CompletableFuture<Void> refused = new CompletableFuture<>();
        w.offerOwnToSign(() -> {
            throw new IllegalStateException("no key");
        }, "bob", signed -> refused.complete(null), refused::completeExceptionally);
        assertThat(w.offer(message(1, "received"), "alice")).isTrue();
        assertThat(signedOn).isNotDone(); // signed when written, not when offered

        release.countDown();

        assertThat(sent.get(30, TimeUnit.SECONDS)).hasSize(2).allSatisfy(m -> assertThat(ChatSigner.unsigned(m)).isFalse());
        assertThat(signedOn.get()).endsWith("-store");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> refused.get(30, TimeUnit.SECONDS))).hasRootCauseMessage("no key");
        assertThat(w.failed()).isFalse(); // a signature that failed is not a store that failed
        assertThat(storedRows()).hasSize(3).allSatisfy(r -> assertThat(r.message().signature()).isNotEmpty());
    }

    @Test
    void beyondItsByteBoundAnOfferIsRefusedAndACrashLosesOnlyWhatNobodyWasToldAbout() throws Exception {
        ChatWriter w = writer();
        w.holdForTest(new CountDownLatch(1)); // never released: the thread is stuck before its first write
        ChatMessage big = message(1, "x".repeat(Protocol.MAX_TEXT_BYTES));
        int accepted = 0;
        while (w.offer(big, "alice")) accepted++;
        assertThat(accepted).isPositive();
        assertThat(w.queuedBytes()).isLessThanOrEqualTo(ChatWriter.MAX_QUEUED_BYTES);
        assertThat((long) accepted * (big.body().length + ChatWriter.ROW_OVERHEAD)).isEqualTo(w.queuedBytes());
        CompletableFuture<Void> after = new CompletableFuture<>();
        w.afterCommit(() -> after.complete(null));

        w.crash();

        assertThat(after).isNotDone();
        assertThat(w.offer(message(2, "after the crash"), "alice")).isFalse();
        assertThat(storedRows()).isEmpty();
    }

    @Test
    void metadataPeersAndAddressesAreWrittenByThePersistenceThreadAndWhatWaitsForThemRunsOnlyOnceCommitted() throws Exception {
        ChatWriter w = writer();
        CountDownLatch release = new CountDownLatch(1);
        w.holdForTest(release);
        assertThat(w.offer(message(1, "received"), "alice")).isTrue();
        CompletableFuture<String> sent = new CompletableFuture<>();
        w.saveRecords(c.id, java.util.Map.of("w/first", new byte[] {1}), null);
        w.saveRecords(c.id, java.util.Map.of("w/first", new byte[] {2}, "u/second", new byte[] {3}),
                () -> sent.complete(Thread.currentThread().getName()));
        w.savePeer(new dev.convene.overlay.PeerAdvertisement(ALICE.id(), "alice", ALICE.signingKey(), ALICE.agreementKey(), "memory",
                java.util.Set.of(), Fixtures.START));
        w.rememberAddresses(List.of(new dev.convene.overlay.HostPort("127.0.0.1", 7800)));
        w.rememberAddresses(List.of(new dev.convene.overlay.HostPort("127.0.0.1", 7801), new dev.convene.overlay.HostPort("127.0.0.1", 7802)));
        assertThat(sent).isNotDone(); // not committed: what must be stored first is not sent

        release.countDown();

        assertThat(sent.get(30, TimeUnit.SECONDS)).endsWith("-store"); // s.events runs on the persistence thread here
        // Peers and addresses (caches) are written after that hand-over: the next batch's comes after them.
        assertThat(w.offer(message(2, "next"), "alice")).isTrue();
        CompletableFuture<Void> next = new CompletableFuture<>();
        w.afterCommit(() -> next.complete(null));
        next.get(30, TimeUnit.SECONDS);
        try (ConferenceStore reader = SqliteStore.open(home, BOB.id().value())) {
            assertThat(reader.records(c.id)).containsOnlyKeys("w/first", "u/second");
            assertThat(reader.records(c.id).get("w/first")).containsExactly(2); // the later row of a key replaces the earlier
            assertThat(reader.peers()).extracting(dev.convene.overlay.PeerAdvertisement::id).containsExactly(ALICE.id());
            assertThat(reader.addresses()).extracting(dev.convene.overlay.HostPort::port).containsExactly(7801, 7802);
            assertThat(reader.chat(c.id)).hasSize(2);
        }
    }

    @Test
    void whileTheStoreIsStalledRowsNothingWaitsForAreBoundedAndRowsSomethingWaitsForAreNot() throws Exception {
        ChatWriter w = writer();
        CountDownLatch release = new CountDownLatch(1);
        w.holdForTest(release); // a stalled store
        for (int i = 0; i < ChatWriter.MAX_QUEUED_ROWS + 10; i++) w.saveRecords(c.id, java.util.Map.of("w/" + i, new byte[] {1}), null);
        w.rememberAddresses(List.of(new dev.convene.overlay.HostPort("127.0.0.1", 7800)));
        assertThat(w.rowsDropped()).isEqualTo(11);
        CompletableFuture<Void> sent = new CompletableFuture<>();
        w.saveRecords(c.id, java.util.Map.of("w/mine", new byte[] {2}), () -> sent.complete(null));
        assertThat(w.rowsDropped()).as("a row something waits for is never dropped").isEqualTo(11);

        release.countDown();

        sent.get(30, TimeUnit.SECONDS);
        try (ConferenceStore reader = SqliteStore.open(home, BOB.id().value())) {
            assertThat(reader.records(c.id)).hasSize(ChatWriter.MAX_QUEUED_ROWS + 1).containsKey("w/mine");
        }
        // Written, their places are free again.
        w.saveRecords(c.id, java.util.Map.of("w/after", new byte[] {3}), null);
        CompletableFuture<Void> after = new CompletableFuture<>();
        w.afterCommit(() -> after.complete(null));
        after.get(30, TimeUnit.SECONDS);
        assertThat(w.rowsDropped()).isEqualTo(11);
    }

    @Test
    void metadataNotYetCommittedAtACrashIsLostAndWhatWaitedForItNeverRuns() throws Exception {
        ChatWriter w = writer();
        w.holdForTest(new CountDownLatch(1)); // never released
        CompletableFuture<Void> sent = new CompletableFuture<>();
        w.saveRecords(c.id, java.util.Map.of("w/mine", new byte[] {1}), () -> sent.complete(null));

        w.crash();

        assertThat(sent).isNotDone();
        w.saveRecords(c.id, java.util.Map.of("w/later", new byte[] {1}), () -> sent.complete(null));
        assertThat(sent).isNotDone();
        try (ConferenceStore reader = SqliteStore.open(home, BOB.id().value())) {
            assertThat(reader.records(c.id)).isEmpty();
        }
    }

    @Test
    void metadataRowsThatFailOnceAreWrittenOnTheNextAttemptAndRowsThatAlwaysFailStopTheWriter() throws Exception {
        store = SqliteStore.open(home, BOB.id().value());
        java.util.concurrent.atomic.AtomicInteger left = new java.util.concurrent.atomic.AtomicInteger(1);
        ConferenceStore flaky = (ConferenceStore) java.lang.reflect.Proxy.newProxyInstance(ConferenceStore.class.getClassLoader(),
                new Class<?>[] {ConferenceStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("saveBatch") && !((java.util.Map<?, ?>) args[2]).isEmpty() && left.getAndDecrement() > 0) {
                        throw new IllegalStateException("injected failure"); // a transaction with metadata rows
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        s = new EngineState(BOB, ConferenceStore.none(), flaky, false, new MutableClock(Fixtures.START));
        s.events = Runnable::run;
        CompletableFuture<Void> first = new CompletableFuture<>();
        s.writer.saveRecords(c.id, java.util.Map.of("w/mine", new byte[] {1}), () -> first.complete(null));
        first.get(30, TimeUnit.SECONDS); // failed once, written on the second attempt
        assertThat(s.writer.retries()).isEqualTo(1);
        assertThat(s.writer.failed()).isFalse();

        left.set(Integer.MAX_VALUE); // from now on every metadata write fails
        CompletableFuture<Void> never = new CompletableFuture<>();
        s.writer.saveRecords(c.id, java.util.Map.of("w/mine", new byte[] {2}), () -> never.complete(null));
        CompletableFuture<Void> afterIt = new CompletableFuture<>();
        s.writer.afterCommit(() -> afterIt.complete(null));
        s.writer.close();
        assertThat(never).isNotDone(); // a receipt that is not stored is never sent
        assertThat(afterIt).isNotDone(); // nor anything after it
        assertThat(s.writer.failed()).isTrue();
    }

    @Test
    void closeWritesEverythingQueuedAndOwnAcknowledgementsWithIt() {
        ChatWriter w = writer();
        ChatMessage own = Fixtures.chat(BOB, c.id, 1, Seams.at(1), key, "mine");
        assertThat(w.offer(own, "bob")).isTrue();
        for (long seq = 1; seq <= 50; seq++) assertThat(w.offer(message(seq, "m" + seq), "alice")).isTrue();
        w.markAcknowledged(c.id, 1);

        w.close();

        assertThat(w.failed()).isFalse();
        List<ConferenceStore.SavedChat> rows = storedRows();
        assertThat(rows).hasSize(51);
        assertThat(rows).filteredOn(r -> r.message().author().equals(BOB.id())).singleElement()
                .matches(ConferenceStore.SavedChat::acknowledged);
        assertThat(w.offer(message(51, "after close"), "alice")).isFalse();
    }

    @Test
    void aFailedWriteStopsEveryLaterAcknowledgement() throws Exception {
        ChatWriter w = writer();
        store.close(); // every write now fails
        assertThat(w.offer(message(1, "lost"), "alice")).isTrue();
        CompletableFuture<Void> after = new CompletableFuture<>();
        w.afterCommit(() -> after.complete(null));
        CompletableFuture<Void> later = new CompletableFuture<>();
        w.afterCommit(() -> later.complete(null));
        w.close();
        assertThat(w.failed()).isTrue();
        assertThat(after).isNotDone();
        assertThat(later).isNotDone();
    }

    @Test
    void withoutAThreadEverythingHappensAtOnce() {
        ConferenceStore direct = SqliteStore.open(home, BOB.id().value());
        try {
            EngineState inline = new EngineState(BOB, direct, new MutableClock(Fixtures.START));
            assertThat(inline.writer.offer(message(1, "now"), "alice")).isTrue();
            boolean[] ran = {false};
            inline.writer.afterCommit(() -> ran[0] = true);
            assertThat(ran[0]).isTrue();
            assertThat(direct.chat(c.id)).hasSize(1);
        } finally {
            direct.close();
        }
    }

    /** {@code store} whose first {@code failures} transactions of chat rows fail (as a disk briefly full would; the writer calls saveBatch). */
    private static ConferenceStore failingFirst(ConferenceStore store, int failures) {
        java.util.concurrent.atomic.AtomicInteger left = new java.util.concurrent.atomic.AtomicInteger(failures);
        return (ConferenceStore) java.lang.reflect.Proxy.newProxyInstance(ConferenceStore.class.getClassLoader(),
                new Class<?>[] {ConferenceStore.class}, (proxy, method, args) -> {
                    if ((method.getName().equals("saveChats") || method.getName().equals("saveBatch")) && left.getAndDecrement() > 0) {
                        throw new IllegalStateException("injected failure");
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private void ownPostsAfterFailures(int failures, boolean stored) throws Exception {
        store = SqliteStore.open(home, BOB.id().value());
        s = new EngineState(BOB, ConferenceStore.none(), failingFirst(store, failures), false, new MutableClock(Fixtures.START));
        s.events = Runnable::run;
        ChatWriter w = s.writer;
        CountDownLatch release = new CountDownLatch(1);
        w.holdForTest(release); // all of it in one transaction
        List<ChatMessage> own = Fixtures.signedTogether(BOB, List.of(Fixtures.chat(BOB, c.id, 1, Seams.at(1), key, "own 1"),
                Fixtures.chat(BOB, c.id, 2, Seams.at(2), key, "own 2")));
        CompletableFuture<Void> sent = new CompletableFuture<>();
        w.offerOwnToSign(() -> own, "bob", signed -> sent.complete(null), sent::completeExceptionally);
        assertThat(w.offer(message(1, "received"), "alice")).isTrue();
        CompletableFuture<Void> after = new CompletableFuture<>();
        w.afterCommit(() -> after.complete(null));
        release.countDown();
        if (stored) {
            sent.get(30, TimeUnit.SECONDS);
            after.get(30, TimeUnit.SECONDS);
            assertThat(w.failed()).isFalse();
            assertThat(storedRows()).hasSize(3);
        } else {
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> sent.get(30, TimeUnit.SECONDS)))
                    .hasRootCauseMessage("storing own posts failed");
            w.close();
            assertThat(w.failed()).isTrue();
            assertThat(after).isNotDone();
            assertThat(storedRows()).isEmpty();
        }
        assertThat(w.retries()).isEqualTo(Math.min(failures, ChatWriter.ATTEMPTS - 1));
    }

    @Test
    void aTransactionThatFailsTwiceIsTriedAgainAndItsOwnPostsAreStoredAndReleased() throws Exception {
        ownPostsAfterFailures(ChatWriter.ATTEMPTS - 1, true);
    }

    @Test
    void aTransactionThatFailsEveryAttemptFailsItsOwnPostsAndStopsAcknowledgements() throws Exception {
        ownPostsAfterFailures(ChatWriter.ATTEMPTS, false);
    }
}
