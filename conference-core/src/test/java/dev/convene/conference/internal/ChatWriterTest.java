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
            // Ranked as the two calls one after the other rank them: the later view first, then the earlier's other members.
            assertThat(reader.addresses()).extracting(dev.convene.overlay.HostPort::port).containsExactly(7801, 7802, 7800);
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

    /** The names of the store's writes from now on ({@link SqliteStore#writeObserver}): "saveChats+records" is a transaction with metadata rows. */
    private List<String> observeWrites() {
        List<String> writes = new java.util.concurrent.CopyOnWriteArrayList<>();
        ((SqliteStore) store).writeObserver = (what, thread) -> writes.add(what);
        return writes;
    }

    private static long count(List<String> writes, String what) {
        return writes.stream().filter(what::equals).count();
    }

    private static byte[] bytes(int value) {
        return java.nio.ByteBuffer.allocate(4).putInt(value).array();
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for: " + what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static dev.convene.overlay.PeerAdvertisement ad(dev.convene.overlay.Identity who, String name) {
        return new dev.convene.overlay.PeerAdvertisement(who.id(), name, who.signingKey(), who.agreementKey(), "memory", java.util.Set.of(),
                Fixtures.START);
    }

    @Test
    void manySavesOfOneKeyWhileTheWriterIsHeldWriteOnlyTheNewestValueOnceAndNoneIsDropped() throws Exception {
        ChatWriter w = writer();
        List<String> writes = observeWrites();
        CountDownLatch release = new CountDownLatch(1);
        w.holdForTest(release);
        int saves = 3 * ChatWriter.MAX_QUEUED_ROWS; // more than the bound: a key already pending is replaced, never refused
        for (int i = 1; i <= saves; i++) w.saveRecords(c.id, java.util.Map.of("w/alice", bytes(i)), null);
        assertThat(w.pendingRows()).isEqualTo(1);
        assertThat(w.rowsDropped()).isZero();

        release.countDown();
        w.close();

        assertThat(count(writes, "saveChats+records")).as("transactions with metadata rows").isEqualTo(1);
        try (ConferenceStore reader = SqliteStore.open(home, BOB.id().value())) {
            assertThat(reader.records(c.id)).containsOnlyKeys("w/alice");
            assertThat(reader.records(c.id).get("w/alice")).containsExactly(bytes(saves));
        }
    }

    @Test
    void rowsNothingWaitsForArrivingFasterThanTheTickCostAboutOneTransactionPerTickNotOneEach() throws Exception {
        ChatWriter w = writer();
        List<String> writes = observeWrites();
        int rows = 40;
        long start = System.nanoTime();
        for (int i = 0; i < rows; i++) {
            w.saveRecords(c.id, java.util.Map.of("w/author" + i, bytes(i)), null); // as 40 authors' receipts bound one by one
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(3)); // the pace of arrivals, not a wait for a result
        }
        CompletableFuture<Void> after = new CompletableFuture<>();
        w.afterCommit(() -> after.complete(null)); // offered after them: runs once they are committed
        after.get(30, TimeUnit.SECONDS);
        long ticks = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) / ChatWriter.TICK_MILLIS;

        // Alone they are written at most once a tick; the last ones go with the afterCommit's batch.
        assertThat(count(writes, "saveChats+records")).as("transactions for %d rows in %d ticks", rows, ticks).isLessThanOrEqualTo(ticks + 2);
        try (ConferenceStore reader = SqliteStore.open(home, BOB.id().value())) {
            assertThat(reader.records(c.id)).hasSize(rows);
        }
    }

    @Test
    void anIdleWriterWritesAPendingRowOnItsOwn() throws Exception {
        ChatWriter w = writer();
        List<String> writes = observeWrites();
        await(w::parkedForTest, "the persistence thread waiting for an item, nothing pending");

        w.saveRecords(c.id, java.util.Map.of("w/alice", bytes(1)), null); // nothing else comes

        await(() -> count(writes, "saveChats+records") == 1 && w.pendingRows() == 0, "the pending row written");
        try (ConferenceStore reader = SqliteStore.open(home, BOB.id().value())) {
            assertThat(reader.records(c.id)).containsOnlyKeys("w/alice");
        }
        await(w::parkedForTest, "the persistence thread waiting again");
    }

    /** One transaction of the writer: its chat rows and the keys of its metadata rows. */
    private record Call(int chatRows, java.util.Set<String> recordKeys) {
    }

    /** A writer whose every transaction is added to {@code calls} before it is written to the real store. */
    private ChatWriter recordingWriter(List<Call> calls) {
        store = SqliteStore.open(home, BOB.id().value());
        ConferenceStore recording = (ConferenceStore) java.lang.reflect.Proxy.newProxyInstance(ConferenceStore.class.getClassLoader(),
                new Class<?>[] {ConferenceStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("saveBatch")) {
                        java.util.Set<String> keys = new java.util.HashSet<>();
                        ((java.util.Map<?, ?>) args[2]).values().forEach(m -> ((java.util.Map<?, ?>) m).keySet().forEach(k -> keys.add((String) k)));
                        calls.add(new Call(((List<?>) args[0]).size(), keys));
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        s = new EngineState(BOB, ConferenceStore.none(), recording, false, new MutableClock(Fixtures.START));
        s.events = Runnable::run;
        return s.writer;
    }

    @Test
    void whileChatRowsComeRowsNothingWaitsForGoInTheirTransactionsNotInTransactionsOfTheirOwn() throws Exception {
        List<Call> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        ChatWriter w = recordingWriter(calls);
        int rounds = 30;
        long start = System.nanoTime();
        for (int i = 1; i <= rounds; i++) {
            assertThat(w.offer(message(i, "m" + i), "alice")).isTrue();
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)); // the pace of arrivals, not a wait for a result
            w.saveRecords(c.id, java.util.Map.of("w/author" + i, bytes(i)), null); // a receipt bound between two messages
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        CompletableFuture<Void> after = new CompletableFuture<>();
        w.afterCommit(() -> after.complete(null));
        after.get(30, TimeUnit.SECONDS);
        long ticks = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) / ChatWriter.TICK_MILLIS;

        // Only a tick without chat, or the last batch, writes them without chat rows.
        assertThat(calls).filteredOn(call -> call.chatRows() == 0 && !call.recordKeys().isEmpty()).as("metadata alone, %d ticks", ticks)
                .hasSizeLessThanOrEqualTo((int) ticks + 1);
        assertThat(calls).flatExtracting(Call::recordKeys).hasSize(rounds).doesNotHaveDuplicates();
        assertThat(storedRows()).hasSize(rounds);
    }

    @Test
    void aPendingRowIsCommittedNoEarlierThanTheChatRowsQueuedBeforeItEvenInABatchCutAtItsBound() throws Exception {
        List<Call> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        ChatWriter w = recordingWriter(calls);
        CountDownLatch release = new CountDownLatch(1);
        w.holdForTest(release);
        int chat = ChatWriter.MAX_BATCH + 10; // more than one batch takes
        for (long seq = 1; seq <= chat; seq++) assertThat(w.offer(message(seq, "m"), "alice")).isTrue();
        w.saveRecords(c.id, java.util.Map.of("w/alice", bytes(1)), null); // bound once alice's messages are held: after their rows

        release.countDown();
        w.close();

        assertThat(calls).extracting(Call::chatRows).containsExactly(ChatWriter.MAX_BATCH, 10);
        assertThat(calls.get(0).recordKeys()).as("not with the first batch: 10 chat rows queued before it are not in it").isEmpty();
        assertThat(calls.get(1).recordKeys()).containsExactly("w/alice");
        assertThat(storedRows()).hasSize(chat);
    }

    @Test
    void aRowSomethingWaitsForSupersedesAPendingRowOfTheSameKeyOfferedBeforeItAndNotOneOfferedAfter() throws Exception {
        ChatWriter w = writer();
        CountDownLatch release = new CountDownLatch(1);
        w.holdForTest(release); // all of it in one batch
        w.saveRecords(c.id, java.util.Map.of("w/before", bytes(1)), null);
        CompletableFuture<Void> first = new CompletableFuture<>();
        w.saveRecords(c.id, java.util.Map.of("w/before", bytes(2), "w/after", bytes(2)), () -> first.complete(null));
        w.saveRecords(c.id, java.util.Map.of("w/after", bytes(3)), null);
        w.savePeer(ad(ALICE, "alice pending"));
        CompletableFuture<Void> kept = w.keepPeer(ad(ALICE, "alice kept"));
        w.keepPeer(ad(Fixtures.CAROL, "carol kept"));
        w.savePeer(ad(Fixtures.CAROL, "carol seen later"));

        release.countDown();
        first.get(30, TimeUnit.SECONDS);
        kept.get(30, TimeUnit.SECONDS);
        w.close();

        try (ConferenceStore reader = SqliteStore.open(home, BOB.id().value())) {
            assertThat(reader.records(c.id).get("w/before")).as("the older pending value is not written over the newer").containsExactly(bytes(2));
            assertThat(reader.records(c.id).get("w/after")).as("the newer pending value is written last").containsExactly(bytes(3));
            assertThat(reader.peers()).extracting(dev.convene.overlay.PeerAdvertisement::name)
                    .containsExactlyInAnyOrder("alice kept", "carol seen later");
        }
    }

    @Test
    void closeWritesThePendingRows() throws Exception {
        ChatWriter w = writer();
        w.saveRecords(c.id, java.util.Map.of("w/alice", bytes(1)), null);
        w.savePeer(ad(ALICE, "alice"));
        w.rememberAddresses(List.of(new dev.convene.overlay.HostPort("127.0.0.1", 7800)));

        w.close();

        assertThat(w.pendingRows()).isZero();
        w.saveRecords(c.id, java.util.Map.of("w/late", bytes(1)), null); // closed: not kept
        assertThat(w.pendingRows()).isZero();
        try (ConferenceStore reader = SqliteStore.open(home, BOB.id().value())) {
            assertThat(reader.records(c.id)).containsOnlyKeys("w/alice");
            assertThat(reader.peers()).extracting(dev.convene.overlay.PeerAdvertisement::id).containsExactly(ALICE.id());
            assertThat(reader.addresses()).extracting(dev.convene.overlay.HostPort::port).containsExactly(7800);
        }
    }

    @Test
    void aCrashLosesThePendingRows() throws Exception {
        ChatWriter w = writer();
        w.holdForTest(new CountDownLatch(1)); // never released
        w.saveRecords(c.id, java.util.Map.of("w/alice", bytes(1)), null);
        w.savePeer(ad(ALICE, "alice"));
        w.rememberAddresses(List.of(new dev.convene.overlay.HostPort("127.0.0.1", 7800)));
        assertThat(w.pendingRows()).isEqualTo(3);

        w.crash();

        assertThat(w.pendingRows()).isZero();
        try (ConferenceStore reader = SqliteStore.open(home, BOB.id().value())) {
            assertThat(reader.records(c.id)).isEmpty();
            assertThat(reader.peers()).isEmpty();
            assertThat(reader.addresses()).isEmpty();
        }
    }

    @Test
    void theBoundIsOnDistinctKeysAndAPendingKeyIsAlwaysReplacedNeverDropped() throws Exception {
        ChatWriter w = writer();
        CountDownLatch release = new CountDownLatch(1);
        w.holdForTest(release); // a stalled store
        for (int i = 0; i < ChatWriter.MAX_QUEUED_ROWS - 2; i++) w.saveRecords(c.id, java.util.Map.of("w/" + i, bytes(0)), null);
        w.savePeer(ad(ALICE, "alice 0"));
        w.rememberAddresses(List.of(new dev.convene.overlay.HostPort("127.0.0.1", 7800)));
        assertThat(w.pendingRows()).isEqualTo(ChatWriter.MAX_QUEUED_ROWS);
        for (int round = 1; round <= 3; round++) { // full, yet every key already pending takes its newer value
            for (int i = 0; i < ChatWriter.MAX_QUEUED_ROWS - 2; i++) w.saveRecords(c.id, java.util.Map.of("w/" + i, bytes(round)), null);
            w.savePeer(ad(ALICE, "alice " + round));
            w.rememberAddresses(List.of(new dev.convene.overlay.HostPort("127.0.0.1", 7800 + round)));
        }
        assertThat(w.rowsDropped()).isZero();
        w.saveRecords(c.id, java.util.Map.of("w/new", bytes(1)), null);
        w.savePeer(ad(Fixtures.CAROL, "carol"));
        assertThat(w.rowsDropped()).as("new keys beyond the bound").isEqualTo(2);
        assertThat(w.pendingRows()).isEqualTo(ChatWriter.MAX_QUEUED_ROWS);

        release.countDown();
        w.close();

        try (ConferenceStore reader = SqliteStore.open(home, BOB.id().value())) {
            assertThat(reader.records(c.id)).hasSize(ChatWriter.MAX_QUEUED_ROWS - 2).doesNotContainKey("w/new")
                    .allSatisfy((k, v) -> assertThat(v).containsExactly(bytes(3)));
            assertThat(reader.peers()).extracting(dev.convene.overlay.PeerAdvertisement::name).containsExactly("alice 3");
            assertThat(reader.addresses()).extracting(dev.convene.overlay.HostPort::port).containsExactly(7803, 7802, 7801, 7800);
        }
    }

    @Test
    void coalescedAddressesAreRankedAsTheCallsOneAfterTheOtherRankThem() throws Exception {
        java.util.Random random = new java.util.Random(20261201L);
        List<List<dev.convene.overlay.HostPort>> views = new java.util.ArrayList<>();
        for (int v = 0; v < 12; v++) {
            List<dev.convene.overlay.HostPort> view = new java.util.ArrayList<>();
            int size = random.nextInt(dev.convene.overlay.AddressCache.MAX + 20); // sometimes empty, sometimes beyond what is kept
            for (int i = 0; i < size; i++) view.add(new dev.convene.overlay.HostPort("127.0.0.1", 7800 + random.nextInt(120)));
            views.add(view);
        }
        try (ConferenceStore sequential = SqliteStore.open(home.resolve("sequential"), BOB.id().value())) {
            sequential.rememberAddresses(List.of(new dev.convene.overlay.HostPort("127.0.0.1", 9000))); // remembered before
            views.forEach(sequential::rememberAddresses);

            ChatWriter w = writer();
            store.rememberAddresses(List.of(new dev.convene.overlay.HostPort("127.0.0.1", 9000)));
            CountDownLatch release = new CountDownLatch(1);
            w.holdForTest(release);
            views.forEach(w::rememberAddresses);
            assertThat(w.pendingRows()).isEqualTo(1);
            release.countDown();
            w.close();

            try (ConferenceStore reader = SqliteStore.open(home, BOB.id().value())) {
                assertThat(reader.addresses()).isEqualTo(sequential.addresses());
            }
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
