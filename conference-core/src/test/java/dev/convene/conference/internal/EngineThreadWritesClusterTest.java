package dev.convene.conference.internal;

import static dev.convene.conference.ConferenceCluster.await;
import static dev.convene.conference.internal.Scenarios.engineOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ConferenceCluster;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.Post;
import dev.convene.overlay.Identity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * No disk on the engine thread while a conference chats (issue 13): the writes a chat causes besides its rows (this
 * peer's receipts, others' receipts, the advertisements of peers that join) go through the persistence thread, and a
 * receipt counts at its authors (delivered-to-all) only once it is stored. In-JVM peers with real stores; each store
 * tells the test which thread wrote what.
 */
@Timeout(120)
class EngineThreadWritesClusterTest {
    @TempDir
    Path dir;

    /** One write: which peer's store ({@code engine}: the engine thread's connection, else the persistence thread's), what, on which thread. */
    private record Write(String peer, String store, String what, String thread) {
    }

    private final List<Write> writes = new CopyOnWriteArrayList<>();

    private ConferencePeer startAt(ConferenceCluster cl, String name) throws ReflectiveOperationException {
        Path home = dir.resolve(name);
        ConferencePeer p = cl.start(name, home, Identity.loadOrCreate(home), cl.clock);
        ConferenceStore[] stores = engineOf(p).storesForTest();
        ((SqliteStore) stores[0]).writeObserver = (what, thread) -> writes.add(new Write(name, "engine", what, thread));
        ((SqliteStore) stores[1]).writeObserver = (what, thread) -> writes.add(new Write(name, "persistence", what, thread));
        return p;
    }

    @Test
    void aChatWritesNothingOnTheEngineThreadAndItsReceiptsAreStoredBeforeTheyCount() throws Exception {
        ConferenceId id;
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = startAt(cl, "alice");
            ConferencePeer bob = startAt(cl, "bob");
            ConferencePeer carol = startAt(cl, "carol");
            List<ConferencePeer> all = List.of(alice, bob, carol);
            cl.awaitDirectories(alice, bob, carol);
            id = Scenarios.live("No disk on the engine thread", alice, List.of(bob, carol), List.of());
            // The peers that joined were kept by the persistence thread, not by the engine thread that heard of them.
            assertThat(writes).filteredOn(w -> w.what().equals("savePeer")).isNotEmpty()
                    .allSatisfy(w -> assertThat(w.store()).isEqualTo("persistence"));

            writes.clear(); // from here on: a chat, nothing else changes
            List<Post> posts = new ArrayList<>();
            for (int round = 0; round < 10; round++) {
                for (ConferencePeer p : all) posts.add(p.say(id, p.self().shortId() + " says " + round).join());
            }
            // Delivered-to-all needs every other participant's acknowledgement covered by its receipt (SECURITY.md 2.7):
            // receipts were signed, stored and sent.
            for (Post p : posts) p.storedByAll().get(60, TimeUnit.SECONDS);
            ConferenceId cid = id;
            await(() -> all.stream().allMatch(p -> p.history(cid).size() == 30), () -> "30 messages everywhere");

            assertThat(writes).as("writes on the engine thread's connection during the chat").noneMatch(w -> w.store().equals("engine"));
            assertThat(writes).as("nothing written on an engine (events) thread").noneMatch(w -> w.thread().endsWith("-events"));
            assertThat(writes).filteredOn(w -> w.what().equals("saveChats+records")).as("receipts written (with chat rows, one transaction)")
                    .isNotEmpty().allSatisfy(w -> assertThat(w.thread()).endsWith("-store"));
            for (ConferencePeer p : all) assertThat(p.stats().receiptsSigned()).as(p + " receipts").isPositive();
        }
        // Each peer's own receipt is in its store: a restart never forgets a receipt others hold.
        for (String name : List.of("alice", "bob", "carol")) {
            Path home = dir.resolve(name);
            String self = Identity.loadOrCreate(home).id().value();
            try (ConferenceStore store = SqliteStore.open(home, self)) {
                Map<String, byte[]> rows = store.records(id);
                assertThat(rows).as(name + "'s stored rows").containsKey("w/" + self);
            }
        }
    }
}
