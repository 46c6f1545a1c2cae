package dev.convene.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A display name is not identity: when a verified advertisement carries the name of another known peer under
 * another key (a peer back with a new identity, or someone posing as it), every peer that sees it is told
 * once, with both fingerprints, and the directory lists the shared name.
 */
@Timeout(60)
class NameConflictClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** Records presence and name conflicts in the order they are fired. Thread-safe. */
    static final class Recorder implements OverlayListener {
        record Conflict(PeerAdvertisement newcomer, PeerAdvertisement known) {
        }

        final List<Conflict> conflicts = new CopyOnWriteArrayList<>();
        final List<String> order = new CopyOnWriteArrayList<>();

        @Override
        public void peerNameConflict(PeerAdvertisement newcomer, PeerAdvertisement known) {
            conflicts.add(new Conflict(newcomer, known));
            order.add("conflict " + newcomer.id().shortId());
        }

        @Override
        public void peerJoined(PeerAdvertisement peer) {
            order.add("joined " + peer.id().shortId());
        }

        long joins(PeerId id) {
            return order.stream().filter(e -> e.equals("joined " + id.shortId())).count();
        }
    }

    private static Overlay start(TestCluster cluster, String name, Identity identity, Recorder recorder) {
        return cluster.start(name, null, identity, b -> b.listener(recorder));
    }

    /**
     * Waits until {@code recorder} heard {@code peer} join {@code times} times: listeners hear of a peer after the
     * directory shows it (a name conflict first, then the join), so a test reads what they heard only after this.
     */
    private static void awaitJoins(Recorder recorder, Overlay peer, long times) {
        TestCluster.awaitCondition(WAIT, () -> recorder.joins(peer.self()) >= times, () -> "listener heard: " + recorder.order);
    }

    private static void awaitOnline(Overlay observer, Overlay peer, boolean online) {
        TestCluster.awaitCondition(WAIT, () -> observer.directory().isOnline(peer.self()) == online,
                () -> observer + " sees " + peer + (online ? " offline" : " online"));
    }

    @Test
    void aPeerBackUnderItsNameWithANewKeyIsFlaggedWithBothFingerprints() {
        try (TestCluster cluster = TestCluster.memory()) {
            Recorder seen = new Recorder();
            Overlay alice = start(cluster, "alice", Identity.generate(), seen);
            Overlay oldBob = start(cluster, "bob", Identity.generate(), new Recorder());
            awaitOnline(alice, oldBob, true);
            PeerAdvertisement oldAd = alice.directory().get(oldBob.self()).orElseThrow();
            oldBob.close();
            awaitOnline(alice, oldBob, false);
            assertThat(seen.conflicts).isEmpty();

            Overlay newBob = start(cluster, "bob", Identity.generate(), new Recorder()); // lost its home directory, or an impostor
            awaitOnline(alice, newBob, true);
            awaitJoins(seen, newBob, 1);

            assertThat(seen.conflicts).singleElement().satisfies(c -> {
                assertThat(c.newcomer().id()).isEqualTo(newBob.self());
                assertThat(c.known()).isEqualTo(oldAd);
                assertThat(c.newcomer().fingerprint()).isEqualTo(newBob.identity().fingerprint()).isNotEqualTo(c.known().fingerprint());
            });
            assertThat(seen.order).containsSubsequence("conflict " + newBob.self().shortId(), "joined " + newBob.self().shortId());
            assertThat(alice.directory().nameConflicts()).containsOnlyKeys("bob");
            assertThat(alice.directory().nameConflicts().get("bob")).extracting(PeerAdvertisement::id)
                    .containsExactly(oldBob.self(), newBob.self());
            // Looking the name up still finds the one online, as before.
            assertThat(alice.directory().resolve("bob").id()).isEqualTo(newBob.self());
        }
    }

    @Test
    void twoKeysUnderOneNameAreReportedOncePerPairAlsoToThePeerWhoseNameWasTaken() {
        try (TestCluster cluster = TestCluster.memory()) {
            Recorder atAlice = new Recorder();
            Recorder atBob = new Recorder();
            Overlay alice = start(cluster, "alice", Identity.generate(), atAlice);
            Overlay bob = start(cluster, "bob", Identity.generate(), atBob);
            TestCluster.awaitFullDirectory(WAIT, List.of(alice, bob));
            Identity impostorKey = Identity.generate();
            Overlay impostor = start(cluster, "BOB", impostorKey, new Recorder()); // names compare ignoring case
            TestCluster.awaitFullDirectory(WAIT, List.of(alice, bob, impostor));
            awaitJoins(atAlice, impostor, 1);
            awaitJoins(atBob, impostor, 1);

            assertThat(atAlice.conflicts).singleElement().satisfies(c -> assertThat(List.of(c.newcomer().id(), c.known().id()))
                    .containsExactlyInAnyOrder(bob.self(), impostor.self()));
            assertThat(atBob.conflicts).singleElement().satisfies(c -> {
                assertThat(c.newcomer().id()).isEqualTo(impostor.self());
                assertThat(c.known()).isEqualTo(bob.advertisement());
            });
            assertThat(bob.directory().nameConflicts().get("bob")).extracting(PeerAdvertisement::id)
                    .containsExactlyInAnyOrder(bob.self(), impostor.self());

            // The impostor leaves and comes back with the same key: a new advertisement, the same pair, no new report.
            impostor.close();
            awaitOnline(alice, impostor, false);
            Overlay again = start(cluster, "BOB", impostorKey, new Recorder());
            awaitOnline(alice, again, true);
            awaitOnline(bob, again, true);
            awaitJoins(atAlice, again, 2);
            awaitJoins(atBob, again, 2);
            assertThat(atAlice.joins(again.self())).isEqualTo(2);
            assertThat(atAlice.conflicts).hasSize(1);
            assertThat(atBob.conflicts).hasSize(1);
        }
    }

    @Test
    void aLookAlikeNameInAnotherScriptIsAConflictAndAnInvisibleCharacterKeepsAPeerOut() {
        try (TestCluster cluster = TestCluster.memory()) {
            Recorder seen = new Recorder();
            Overlay alice = start(cluster, "alice", Identity.generate(), seen);
            Overlay bob = start(cluster, "bob", Identity.generate(), new Recorder());
            TestCluster.awaitFullDirectory(WAIT, List.of(alice, bob));
            Overlay cyrillic = start(cluster, "b\u043Eb", Identity.generate(), new Recorder()); // a Cyrillic o
            awaitOnline(alice, cyrillic, true);
            awaitJoins(seen, cyrillic, 1);
            assertThat(seen.conflicts).singleElement().satisfies(c -> {
                assertThat(c.newcomer().id()).isEqualTo(cyrillic.self());
                assertThat(c.known().id()).isEqualTo(bob.self());
            });
            assertThat(alice.directory().nameConflicts().values()).singleElement().satisfies(ads ->
                    assertThat(ads).extracting(PeerAdvertisement::id).containsExactlyInAnyOrder(bob.self(), cyrillic.self()));

            long malformed = alice.stats().drops(DropReason.MALFORMED_BODY);
            Overlay hidden = start(cluster, "bo\u200Bb", Identity.generate(), new Recorder()); // a zero-width space
            TestCluster.awaitCondition(WAIT, () -> alice.stats().drops(DropReason.MALFORMED_BODY) > malformed,
                    () -> "the advertisement with a zero-width space was not refused: " + alice.stats().drops());
            assertThat(alice.directory().get(hidden.self())).isEmpty();
            assertThat(seen.conflicts).hasSize(1);
        }
    }

    @Test
    void distinctNamesAreNoConflict() {
        try (TestCluster cluster = TestCluster.memory()) {
            Recorder seen = new Recorder();
            Overlay alice = start(cluster, "alice", Identity.generate(), seen);
            Overlay bob = start(cluster, "bob", Identity.generate(), new Recorder());
            Overlay bobby = start(cluster, "bobby", Identity.generate(), new Recorder());
            TestCluster.awaitFullDirectory(WAIT, List.of(alice, bob, bobby));
            awaitJoins(seen, bob, 1);
            awaitJoins(seen, bobby, 1);

            assertThat(seen.conflicts).isEmpty();
            assertThat(alice.directory().nameConflicts()).isEmpty();
        }
    }
}
