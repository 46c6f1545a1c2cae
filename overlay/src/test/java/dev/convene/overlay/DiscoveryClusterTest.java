package dev.convene.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Discovery, leave, crash and rejoin, written once and run on SHARED_LOOPBACK and on loopback TCP. */
@Timeout(90)
class DiscoveryClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static TestCluster cluster(NetworkMode mode) {
        return mode == NetworkMode.MEMORY ? TestCluster.memory() : TestCluster.tcp();
    }

    @ParameterizedTest
    @EnumSource(value = NetworkMode.class, names = {"MEMORY", "LOCAL"})
    void everyPeerFindsEveryOther(NetworkMode mode) {
        try (TestCluster c = cluster(mode)) {
            List<Overlay> peers = new ArrayList<>();
            for (int i = 0; i < 5; i++) peers.add(c.start("p" + i));
            TestCluster.awaitFullDirectory(WAIT, peers);
            for (Overlay o : peers) {
                assertThat(o.directory().online()).hasSize(4);
                assertThat(o.stats().members()).isEqualTo(5);
            }
            assertThat(peers.get(0).directory().resolve("p3").id()).isEqualTo(peers.get(3).self());
        }
    }

    @ParameterizedTest
    @EnumSource(value = NetworkMode.class, names = {"MEMORY", "LOCAL"})
    void gracefulLeaveAndCrashAreBothSeen(NetworkMode mode) {
        try (TestCluster c = cluster(mode)) {
            List<String> left = new CopyOnWriteArrayList<>();
            Overlay a = c.start("a", null, Identity.generate(), b -> b.listener(new OverlayListener() {
                @Override
                public void peerLeft(PeerAdvertisement peer) {
                    left.add(peer.name());
                }
            }));
            Overlay b = c.start("b");
            Overlay d = c.start("d");
            TestCluster.awaitFullDirectory(WAIT, List.of(a, b, d));
            b.close();
            TestCluster.awaitCondition(WAIT, () -> left.contains("b"), () -> "left=" + left);
            d.crash();
            TestCluster.awaitCondition(WAIT, () -> left.contains("d"), () -> "left=" + left);
            assertThat(a.directory().online()).isEmpty();
            assertThat(a.directory().known()).extracting(PeerAdvertisement::name).contains("a", "b", "d");
        }
    }

    @Test
    @Timeout(60)
    void tenPeersAllFindEachOther() {
        try (TestCluster c = TestCluster.memory()) {
            List<Overlay> peers = new ArrayList<>();
            for (int i = 0; i < 10; i++) peers.add(c.start("p" + i));
            TestCluster.awaitFullDirectory(WAIT, peers);
            for (Overlay o : peers) {
                assertThat(o.directory().online()).hasSize(9);
                assertThat(o.stats().members()).isEqualTo(10);
                assertThat(o.stats().totalDrops()).as("drops %s", o.stats().drops()).isZero();
            }
            assertThat(peers.get(9).directory().resolve("p0").id()).isEqualTo(peers.get(0).self());
        }
    }

    @Test
    void memoryPeersAdvertiseAnHonestEndpoint() {
        try (TestCluster c = TestCluster.memory()) {
            Overlay a = c.start("a");
            Overlay b = c.start("b");
            TestCluster.awaitFullDirectory(WAIT, List.of(a, b));
            // SHARED_LOOPBACK's physical address is a fake 127.0.0.1:1 shared by every member.
            assertThat(a.listeningAddress()).isEqualTo("memory:a-" + a.self().shortId());
            assertThat(b.directory().get(a.self()).orElseThrow().endpoint()).isEqualTo(a.listeningAddress());
        }
    }

    @Test
    void restartedPeerRejoinsWithTheSameIdentity(@TempDir Path home) {
        try (TestCluster c = TestCluster.tcp()) {
            Overlay a = c.start("a");
            Overlay b = c.start("b", home, Identity.loadOrCreate(home), x -> x);
            PeerId bId = b.self();
            TestCluster.awaitFullDirectory(WAIT, List.of(a, b));
            b.crash();
            TestCluster.awaitCondition(WAIT, () -> !a.directory().isOnline(bId), () -> "b still online");
            Overlay b2 = c.start("b", home, Identity.loadOrCreate(home), x -> x);
            assertThat(b2.self()).isEqualTo(bId);
            TestCluster.awaitFullDirectory(WAIT, List.of(a, b2));
            assertThat(a.directory().known()).filteredOn(p -> p.name().equals("b")).hasSize(1);
        }
    }
}
