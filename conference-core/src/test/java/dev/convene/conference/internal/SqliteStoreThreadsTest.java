package dev.convene.conference.internal;

import static dev.convene.conference.internal.Fixtures.ALICE;
import static dev.convene.conference.internal.Fixtures.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.overlay.HostPort;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store has one SQLite connection, and two threads write through it: the persistence thread (chat batches in a
 * transaction) and the overlay's event thread (the discovery cache, on every view). A transaction is the connection's,
 * not the thread's, so without serialising them one thread's {@code setAutoCommit(true)} committed the other's batch
 * half-way and its statements bound the other's prepared statement ("database is locked" was seen in the bench).
 */
@Timeout(120)
class SqliteStoreThreadsTest {
    @TempDir
    Path home;

    @Test
    void chatBatchesAndAddressWritesFromTwoThreadsAllLandWhole() throws Exception {
        byte[] key = ContentCrypto.newKey();
        Conference c = Seams.aliceWithBob(key);
        int batches = 150;
        int perBatch = 20;
        List<List<ConferenceStore.SavedChat>> rows = new ArrayList<>();
        long seq = 0;
        for (int b = 0; b < batches; b++) {
            List<ConferenceStore.SavedChat> batch = new ArrayList<>();
            for (int i = 0; i < perBatch; i++) {
                seq++;
                batch.add(new ConferenceStore.SavedChat(Fixtures.chat(ALICE, c.id, seq, Seams.at(seq), key, "m" + seq), "alice", false));
            }
            rows.add(batch);
        }
        ExecutorService two = Executors.newFixedThreadPool(2);
        try (ConferenceStore store = SqliteStore.open(home, BOB.id().value())) {
            CompletableFuture<Void> chats = CompletableFuture.runAsync(() -> {
                for (List<ConferenceStore.SavedChat> batch : rows) store.saveChats(batch, Map.of());
            }, two);
            CompletableFuture<Void> addresses = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < batches * 2 && !chats.isDone(); i++) {
                    store.rememberAddresses(List.of(new HostPort("127.0.0.1", 20000 + i % 50), new HostPort("127.0.0.1", 21000)));
                }
            }, two);
            CompletableFuture.allOf(chats, addresses).get(100, TimeUnit.SECONDS);
            assertThat(store.chat(c.id)).hasSize(batches * perBatch);
            assertThat(store.addresses()).contains(new HostPort("127.0.0.1", 21000));
            assertThat(store.corruptRows()).isZero();
        } finally {
            two.shutdownNow();
        }
        try (ConferenceStore reader = SqliteStore.open(home, BOB.id().value())) {
            assertThat(reader.chat(c.id)).hasSize(batches * perBatch);
            assertThat(reader.corruptRows()).isZero();
        }
    }
}
