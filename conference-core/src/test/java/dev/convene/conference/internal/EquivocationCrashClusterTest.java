package dev.convene.conference.internal;

import static dev.convene.conference.ConferenceCluster.await;
import static dev.convene.conference.internal.Scenarios.awaitText;
import static dev.convene.conference.internal.Scenarios.texts;
import static dev.convene.conference.internal.Scenarios.writerOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceCluster;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.overlay.Identity;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proof of equivocation is passed on before its row commits (ChatLog.equivocation), unlike an under-report proof
 * (ProofCrashClusterTest): the pair proves itself, and those who took it in pass it back (ChatLog.passProofs). A peer
 * killed after passing the pair on and before storing it restarts holding one version and no proof; it must settle
 * the pair again from the others (a digest tip naming the sequence, HistorySync; or the pairs passed to a participant
 * coming online, ChatLog.passProofs; the test fails with both disabled), not show its version for good.
 */
@Timeout(120)
class EquivocationCrashClusterTest {
    @TempDir
    Path dir;

    @Test
    void aPeerKilledBeforeItsProofOfEquivocationCommitsGetsItBackFromThoseItTold() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            Path home = dir.resolve("bob");
            ConferencePeer alice = cl.start("alice");
            ConferencePeer bob = cl.start("bob", home, Identity.loadOrCreate(home), cl.clock);
            ConferencePeer carol = cl.start("carol");
            try (HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, bob, carol);
                ConferenceId id = Scenarios.live("Equivocation before a crash", alice, List.of(bob, carol), List.of(mallory));
                byte[] key = mallory.contentKey(id);
                mallory.send(List.of(alice, bob, carol), mallory.post(id, 1, mallory.now(), 0, key, "version A"));
                for (ConferencePeer p : List.of(alice, bob, carol)) awaitText(p, id, "version A");
                CountDownLatch stored = new CountDownLatch(1);
                writerOf(bob).afterCommit(stored::countDown);
                assertThat(stored.await(30, TimeUnit.SECONDS)).as("bob's version A stored").isTrue();

                writerOf(bob).holdForTest(new CountDownLatch(1)); // from now on bob commits nothing
                mallory.send(bob, mallory.post(id, 1, mallory.now(), 0, key, "version B"));
                // Bob settles the pair and passes it on; alice and carol, who never saw B from mallory, settle it too.
                for (ConferencePeer p : List.of(alice, bob, carol)) {
                    await(() -> cl.events(p).retracted.stream().map(ChatEntry::text).toList().contains("version A"),
                            () -> p.name() + " heard retracted " + cl.events(p).retracted + ", shows " + texts(p, id));
                }

                bob.crash(); // the equivocation's row never committed
                ConferencePeer again = cl.start("bob", home, Identity.loadOrCreate(home), cl.clock);
                assertThat(texts(again, id)).as("restored from its home: version A, no proof").containsExactly("version A");
                await(() -> texts(again, id).isEmpty(), () -> "bob still shows " + texts(again, id));
                mallory.send(List.of(alice, again, carol), mallory.post(id, 2, mallory.now(), 0, key, "after"));
                for (ConferencePeer p : List.of(alice, again, carol)) awaitText(p, id, "after");
                for (ConferencePeer p : List.of(alice, again, carol)) assertThat(texts(p, id)).as(p.name()).containsExactly("after");
            }
        }
    }
}
