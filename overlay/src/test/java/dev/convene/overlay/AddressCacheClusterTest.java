package dev.convene.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The discovery cache: a restarted peer finds its group through the addresses it saw, kept in a file or a supplied cache. */
@Timeout(90)
class AddressCacheClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aBareOverlayRemembersAddressesInItsHomeAndFindsItsGroupAgainThroughThem(@TempDir Path dir) throws Exception {
        TestCluster.retryingOnBusyPorts(c -> {
            int base = c.basePort();
            List<HostPort> seeds = List.of(new HostPort("127.0.0.1", base));
            List<HostPort> nowhere = List.of(new HostPort("127.0.0.1", base + 9)); // nobody listens there
            Overlay seed = start(c, "seed", base, seeds);
            Identity id = Identity.generate();
            Path home = dir;
            Overlay a = c.start(c.config("a", home).mode(NetworkMode.SEEDS).seeds(seeds).port(base + 4).portRange(0).build(), id, b -> b);
            TestCluster.awaitFullDirectory(WAIT, List.of(seed, a));
            a.close();
            assertThat(Files.readAllLines(home.resolve("known-peers"))).contains("127.0.0.1:" + base);

            // Restarted with a seed list that leads nowhere, the cached address still finds the group.
            Overlay a2 = c.start(c.config("a", home).mode(NetworkMode.SEEDS).seeds(nowhere).port(base + 4).portRange(0).build(), id, b -> b);
            assertThat(a2.stackDescription()).contains("127.0.0.1[" + base + "]");
            TestCluster.awaitCondition(WAIT, () -> a2.directory().isOnline(seed.self()), () -> "seed not online at a2");
        });
    }

    @Test
    void aSuppliedAddressCacheReplacesTheFile(@TempDir Path dir) throws Exception {
        TestCluster.retryingOnBusyPorts(c -> {
            int base = c.basePort();
            List<HostPort> seeds = List.of(new HostPort("127.0.0.1", base));
            Overlay seed = start(c, "seed", base, seeds);
            List<HostPort> kept = new CopyOnWriteArrayList<>();
            AddressCache cache = new AddressCache() {
                @Override
                public List<HostPort> load() {
                    return List.copyOf(kept);
                }

                @Override
                public void remember(List<HostPort> seen) {
                    kept.removeAll(seen);
                    kept.addAll(0, seen);
                }
            };
            Identity id = Identity.generate();
            Path home = dir;
            Overlay a = c.start(c.config("a", home).mode(NetworkMode.SEEDS).seeds(seeds).port(base + 4).portRange(0).build(), id,
                    b -> b.addressCache(cache));
            TestCluster.awaitFullDirectory(WAIT, List.of(seed, a));
            a.close();
            assertThat(kept).contains(new HostPort("127.0.0.1", base));
            assertThat(home.resolve("known-peers")).doesNotExist();

            Overlay a2 = c.start(c.config("a", home).mode(NetworkMode.SEEDS).seeds(List.of(new HostPort("127.0.0.1", base + 9)))
                    .port(base + 4).portRange(0).build(), id, b -> b.addressCache(cache));
            TestCluster.awaitCondition(WAIT, () -> a2.directory().isOnline(seed.self()), () -> "seed not online at a2");
        });
    }

    private static Overlay start(TestCluster c, String name, int port, List<HostPort> seeds) {
        return c.start(c.config(name, null).mode(NetworkMode.SEEDS).seeds(seeds).port(port).portRange(0).build(), Identity.generate(),
                b -> b);
    }
}
