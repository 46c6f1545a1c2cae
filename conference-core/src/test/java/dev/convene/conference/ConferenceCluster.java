package dev.convene.conference;

import dev.convene.overlay.Identity;
import dev.convene.overlay.NetworkMode;
import dev.convene.overlay.OverlayConfig;
import dev.convene.overlay.TestCluster;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * In-JVM conference peers for tests: each with a recording listener, all on one clock (by default a
 * {@link MutableClock}), in a cluster of their own. Closes everything at the end.
 */
public final class ConferenceCluster implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(30);
    static final OverlayConfig.Timings FAST = new OverlayConfig.Timings(Duration.ofMillis(200), Duration.ofMillis(300),
            Duration.ofMillis(1500), Duration.ofMillis(300), Duration.ofSeconds(1), Duration.ofSeconds(2));
    private final TestCluster overlays;
    public final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T09:00:00Z"));
    private final List<ConferencePeer> peers = new ArrayList<>();
    private final Map<ConferencePeer, RecordingListener> recorders = new HashMap<>();

    private ConferenceCluster(TestCluster overlays) {
        this.overlays = overlays;
    }

    public static ConferenceCluster memory() {
        return new ConferenceCluster(TestCluster.memory());
    }

    public static ConferenceCluster tcp() {
        return new ConferenceCluster(TestCluster.tcp());
    }

    public ConferencePeer start(String name) {
        return start(name, null, Identity.generate(), clock);
    }

    public ConferencePeer start(String name, Path home, Identity identity, Clock peerClock) {
        return start(name, home, identity, peerClock, b -> b);
    }

    /** A peer whose builder {@code customize} adds to (event types, say) before it starts. */
    public ConferencePeer start(String name, java.util.function.UnaryOperator<ConferencePeer.Builder> customize) {
        return start(name, null, Identity.generate(), clock, customize);
    }

    public ConferencePeer start(String name, Path home, Identity identity, Clock peerClock,
                                java.util.function.UnaryOperator<ConferencePeer.Builder> customize) {
        // Fast failure detection keeps crash tests short; SHARED_LOOPBACK has no socket to notice a crash by.
        OverlayConfig config = overlays.config(name, home).clock(peerClock).timings(FAST).build();
        RecordingListener rec = new RecordingListener();
        ConferencePeer p = customize.apply(ConferencePeer.builder(config, identity).clock(peerClock).listener(rec)
                .syncInterval(Duration.ofSeconds(1))).start();
        peers.add(p);
        recorders.put(p, rec);
        return p;
    }

    public NetworkMode mode() {
        return overlays.mode();
    }

    public RecordingListener events(ConferencePeer p) {
        return recorders.get(p);
    }

    public void awaitDirectories(ConferencePeer... group) {
        TestCluster.awaitFullDirectory(WAIT, java.util.Arrays.stream(group).map(ConferencePeer::overlay).toList());
    }

    public static void await(BooleanSupplier condition, Supplier<String> describe) {
        TestCluster.awaitCondition(WAIT, condition, describe);
    }

    /** The ordered message ids of a history, for comparing peers. */
    public static List<String> ids(ConferencePeer p, ConferenceId id) {
        return p.history(id).stream().map(e -> e.id().toString()).toList();
    }

    @Override
    public void close() {
        for (ConferencePeer p : peers) {
            try {
                p.close();
            } catch (RuntimeException ignored) {
                // crashed peers are closed already
            }
        }
        overlays.close();
    }
}
