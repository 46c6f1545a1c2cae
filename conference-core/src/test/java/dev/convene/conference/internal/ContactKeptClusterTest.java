package dev.convene.conference.internal;

import static dev.convene.conference.internal.Scenarios.writerOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ConferenceCluster;
import dev.convene.conference.ConferencePeer;
import dev.convene.overlay.ContactCard;
import dev.convene.overlay.Identity;
import dev.convene.overlay.PeerAdvertisement;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A contact added from its card is written by the persistence thread (no disk on the engine thread), and
 * {@code addContact}'s future completes only once it is stored: a peer killed right after it completed still knows
 * the contact when it starts again.
 */
@Timeout(60)
class ContactKeptClusterTest {
    @TempDir
    Path dir;

    @Test
    void addContactCompletesOnlyOnceTheContactIsStoredAndAKillRightAfterKeepsIt() throws Exception {
        Identity carol = Identity.generate();
        String card = ContactCard.create(carol, "carol", Instant.now());
        Path home = dir.resolve("alice");
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice", home, Identity.loadOrCreate(home), cl.clock);
            CountDownLatch release = new CountDownLatch(1);
            writerOf(alice).holdForTest(release);
            CompletableFuture<PeerAdvertisement> added = alice.addContact(card);
            assertThat(added).as("not stored yet").failsWithin(Duration.ofMillis(300));
            release.countDown();
            assertThat(added.get(30, TimeUnit.SECONDS).id()).isEqualTo(carol.id());
            alice.crash(); // as a killed process: nothing more is written
        }
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice", home, Identity.loadOrCreate(home), cl.clock);
            assertThat(alice.directory().get(carol.id())).as("the contact after a restart").isPresent();
        }
    }
}
