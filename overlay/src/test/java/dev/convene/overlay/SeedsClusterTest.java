package dev.convene.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.overlay.TestMessages.Note;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code seeds} mode on loopback TCP: peers find each other through any of several seeds, and only through them. */
@Timeout(90)
class SeedsClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void peersFindEachOtherThroughSeveralSeedsAndWithoutTheFirstOne() throws Exception {
        TestCluster.retryingOnBusyPorts(c -> {
            int base = c.basePort();
            List<HostPort> seeds = List.of(new HostPort("127.0.0.1", base), new HostPort("127.0.0.1", base + 1));
            Overlay seed0 = start(c, "seed0", base, seeds);
            Overlay seed1 = start(c, "seed1", base + 1, seeds);
            Overlay a = start(c, "a", base + 4, seeds);
            Overlay b = start(c, "b", base + 5, seeds);
            TestCluster.awaitFullDirectory(WAIT, List.of(seed0, seed1, a, b));
            assertThat(a.stackDescription()).contains("port_range=\"0\"")
                    .contains("initial_hosts=\"127.0.0.1[" + base + "],127.0.0.1[" + (base + 1) + "]\"");
            assertThat(a.listeningAddress()).startsWith("127.0.0.1:");

            // Several seeds mean no single point: with the first gone, a newcomer still finds the group.
            seed0.close();
            TestCluster.awaitCondition(WAIT, () -> !a.directory().isOnline(seed0.self()), () -> "seed0 still online at a");
            Overlay late = start(c, "late", base + 6, seeds);
            TestCluster.awaitFullDirectory(WAIT, List.of(seed1, a, b, late));

            Inbox inbox = new Inbox();
            Overlay reader = c.start(c.config("reader", null).mode(NetworkMode.SEEDS).seeds(seeds).port(base + 7).portRange(0).build(),
                    Identity.generate(), x -> x.handle(TestMessages.NOTE, inbox));
            TestCluster.awaitFullDirectory(WAIT, List.of(a, reader));
            Overlay sender = c.start(c.config("sender", null).mode(NetworkMode.SEEDS).seeds(seeds).port(base + 8).portRange(0).build(),
                    Identity.generate(), x -> x.handle(TestMessages.NOTE, new Inbox()));
            TestCluster.awaitFullDirectory(WAIT, List.of(sender, reader));
            sender.send(reader.self(), new Note(1, "over seeds"));
            inbox.await(WAIT, sender.self(), "over seeds");
        });
    }

    private static Overlay start(TestCluster c, String name, int port, List<HostPort> seeds) {
        return c.start(c.config(name, null).mode(NetworkMode.SEEDS).seeds(seeds).port(port).portRange(0).build(), Identity.generate(),
                b -> b);
    }
}
