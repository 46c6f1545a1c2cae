package dev.convene.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.overlay.TestMessages.Note;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jgroups.stack.GossipRouter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code relay} mode: peers meet only through two GossipRouters on 127.0.0.1, and losing one router
 * neither splits the group nor stops messages.
 */
@Timeout(90)
class RelayClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Fast failure detection, so that "no split" is observed over more than a whole detection period. */
    private static final OverlayConfig.Timings QUICK = new OverlayConfig.Timings(Duration.ofMillis(300), Duration.ofMillis(500),
            Duration.ofSeconds(3), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2));

    private final List<GossipRouter> routers = new ArrayList<>();
    private final Map<String, Inbox> inboxes = new ConcurrentHashMap<>();
    private final List<String> departures = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopRouters() {
        routers.forEach(GossipRouter::stop);
    }

    /** A router on a free loopback port, with its diagnostics off (they would join multicast on every interface). */
    private GossipRouter startRouter() throws Exception {
        for (int attempt = 0; ; attempt++) {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                port = probe.getLocalPort();
            }
            GossipRouter router = new GossipRouter("127.0.0.1", port).jmx(false).useNio(false);
            router.diagHandler().setEnabled(false);
            try {
                router.start();
                routers.add(router);
                return router;
            } catch (IOException portTakenMeanwhile) {
                router.stop();
                if (attempt == 4) throw portTakenMeanwhile;
            }
        }
    }

    private static HostPort address(GossipRouter r) {
        return new HostPort("127.0.0.1", r.port());
    }

    private Overlay start(TestCluster c, String name) {
        Inbox inbox = new Inbox();
        inboxes.put(name, inbox);
        OverlayConfig config = c.config(name, null).mode(NetworkMode.RELAY).timings(QUICK)
                .routers(routers.stream().map(RelayClusterTest::address).toList()).build();
        return c.start(config, Identity.generate(), b -> b.handle(TestMessages.NOTE, inbox).listener(new OverlayListener() {
            @Override
            public void peerLeft(PeerAdvertisement peer) {
                departures.add(name + " saw " + peer.name() + " leave");
            }

            @Override
            public void peerSuspected(PeerAdvertisement peer) {
                departures.add(name + " suspected " + peer.name());
            }
        }));
    }

    /** Every peer sends a note to every other and waits until all arrived. */
    private void everyoneTalksToEveryone(List<Overlay> peers, String tag) {
        for (Overlay from : peers) {
            for (Overlay to : peers) {
                if (from != to) from.send(to.self(), new Note(0, tag + " from " + from.config().name()));
            }
        }
        for (Overlay from : peers) {
            for (Overlay to : peers) {
                if (from != to) inboxes.get(to.config().name()).await(WAIT, from.self(), tag + " from " + from.config().name());
            }
        }
    }

    @Test
    void peersMeetThroughTwoRoutersAndLosingOneNeitherSplitsNorSilencesThem() throws Exception {
        GossipRouter first = startRouter();
        GossipRouter second = startRouter();
        assertThat(first.diagHandler().isEnabled()).isFalse();
        try (TestCluster c = TestCluster.memory()) {
            List<Overlay> peers = new ArrayList<>(List.of(start(c, "r0"), start(c, "r1"), start(c, "r2")));
            TestCluster.awaitFullDirectory(WAIT, peers);
            assertThat(peers.get(0).advertisement().endpoint()).isEqualTo("relay:" + address(first) + "," + address(second));
            assertThat(peers.get(0).stackDescription()).contains("<TUNNEL bind_addr=\"127.0.0.1\"");
            everyoneTalksToEveryone(peers, "before");

            first.stop();
            everyoneTalksToEveryone(peers, "after");
            // Watch for longer than a failure-detection period (3 s + 0.5 s), messages flowing all the while.
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            for (int i = 0; System.nanoTime() < until && i < 100; i++) everyoneTalksToEveryone(peers, "round " + i);
            assertThat(departures).isEmpty();
            for (Overlay o : peers) {
                assertThat(o.stats().members()).isEqualTo(3);
                assertThat(o.directory().online()).hasSize(2);
            }

            // A newcomer given both routers joins through the one still up.
            peers.add(start(c, "late"));
            TestCluster.awaitFullDirectory(WAIT, peers);
            everyoneTalksToEveryone(peers, "with late");
        }
    }
}
