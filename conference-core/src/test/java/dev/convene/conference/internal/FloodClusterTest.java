package dev.convene.conference.internal;

import static dev.convene.conference.ConferenceCluster.await;
import static dev.convene.conference.internal.Scenarios.awaitText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ConferenceCluster;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.RecordingListener;
import dev.convene.conference.internal.Scenarios.Shown;
import dev.convene.overlay.DropReason;
import dev.convene.overlay.Identity;
import dev.convene.overlay.OverlayConfig;
import dev.convene.overlay.OverlayStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One peer floods a victim with validly signed frames (a history request for the victim's conference, from a
 * peer that is not in it, signed once and sent thousands of times). The victim counts what it drops, stays
 * bounded, and keeps chatting with everyone else. Asserted through the counters, never through timing.
 */
@Timeout(120)
class FloodClusterTest {
    private static final int FLOOD = 3000;

    private static ConferencePeer startVictim(ConferenceCluster cl, ConferencePeer member, UnaryOperator<OverlayConfig.Builder> limits) {
        OverlayConfig config = HostilePeer.configBesides(member, "bob", limits);
        return ConferencePeer.builder(config, Identity.generate()).clock(cl.clock).listener(new RecordingListener())
                .syncInterval(Duration.ofSeconds(1)).start();
    }

    private static long delta(OverlayStats after, OverlayStats before, DropReason reason) {
        return after.drops(reason) - before.drops(reason);
    }

    private static long verified(OverlayStats s) {
        return s.receivedByType().values().stream().mapToLong(Long::longValue).sum();
    }

    @Test
    void aFloodAboveTheRateLimitIsCountedAndAnotherPeersChatStillGetsThrough() throws Exception {
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            ConferencePeer carol = cl.start("carol");
            try (ConferencePeer bob = startVictim(cl, alice, b -> b.maxFramesPerSecond(100));
                 HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, bob, carol);
                mallory.awaitSeenBy(List.of(bob));
                ConferenceId id = Scenarios.live("Flooded", alice, List.of(bob, carol), List.of());
                alice.say(id, "before").join().acknowledged().get(30, TimeUnit.SECONDS);
                awaitText(bob, id, "before");
                Shown before = Shown.by(bob);
                OverlayStats s0 = bob.overlay().stats();

                mallory.flood(bob, new ChatDigest(id, Map.of()), FLOOD);
                alice.say(id, "through the flood").join();
                awaitText(bob, id, "through the flood");
                // Every flooded frame is accounted for: refused by the rate limit, or verified and then rejected.
                await(() -> delta(bob.overlay().stats(), s0, DropReason.RATE_LIMITED) + delta(bob.overlay().stats(), s0, DropReason.REJECTED)
                        >= FLOOD, () -> "bob: " + bob.overlay().stats().drops());

                OverlayStats s1 = bob.overlay().stats();
                long limited = delta(s1, s0, DropReason.RATE_LIMITED);
                long rejected = delta(s1, s0, DropReason.REJECTED);
                assertThat(limited + rejected).isEqualTo(FLOOD);
                assertThat(limited).as("rate limited").isPositive();
                assertThat(rejected).as("within the rate, verified and rejected").isPositive();
                assertThat(delta(s1, s0, DropReason.OVERLOADED)).isZero();
                assertThat(bob.conferences()).isEqualTo(before.conferences());
                assertThat(Scenarios.texts(bob, id)).containsExactly("before", "through the flood");
                Scenarios.stillChats(bob, id, carol);
            }
        }
    }

    @Test
    void aFloodWhileTheVictimIsBusyIsCountedOverloadedAndItsQueueStaysBounded() throws Exception {
        int queue = 16;
        try (ConferenceCluster cl = ConferenceCluster.memory()) {
            ConferencePeer alice = cl.start("alice");
            try (ConferencePeer bob = startVictim(cl, alice, b -> b.maxQueuedFrames(queue));
                 HostilePeer mallory = HostilePeer.besides(alice, "mallory")) {
                cl.awaitDirectories(alice, bob);
                mallory.awaitSeenBy(List.of(bob));
                ConferenceId id = Scenarios.live("Busy", alice, List.of(bob), List.of());
                alice.say(id, "before").join().acknowledged().get(30, TimeUnit.SECONDS);
                awaitText(bob, id, "before");
                Shown before = Shown.by(bob);

                // Hold bob's event thread, as a slow handler or a paused process would.
                CountDownLatch holding = new CountDownLatch(1);
                CountDownLatch release = new CountDownLatch(1);
                List<Throwable> blockerFailures = new ArrayList<>();
                bob.overlay().eventExecutor().execute(() -> {
                    holding.countDown();
                    try {
                        if (!release.await(60, TimeUnit.SECONDS)) blockerFailures.add(new AssertionError("never released"));
                    } catch (InterruptedException e) {
                        blockerFailures.add(e);
                    }
                });
                assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
                OverlayStats s0 = bob.overlay().stats();
                try {
                    mallory.flood(bob, new ChatDigest(id, Map.of()), FLOOD);
                    await(() -> delta(bob.overlay().stats(), s0, DropReason.OVERLOADED) >= FLOOD - queue,
                            () -> "bob: " + bob.overlay().stats().drops());
                    // While held, at most `queue` frames were verified and kept; every other one was refused before
                    // its signature was even checked. That is the bound on what a flood can make a peer hold.
                    OverlayStats held = bob.overlay().stats();
                    assertThat(verified(held) - verified(s0)).as("frames kept while busy").isLessThanOrEqualTo(queue);
                    assertThat(delta(held, s0, DropReason.RATE_LIMITED)).isZero();
                } finally {
                    release.countDown();
                }

                alice.say(id, "after the flood").join();
                awaitText(bob, id, "after the flood"); // live, or repaired by anti-entropy if it arrived while bob was full
                assertThat(blockerFailures).isEmpty();
                assertThat(bob.conferences()).isEqualTo(before.conferences());
                assertThat(Scenarios.texts(bob, id)).containsExactly("before", "after the flood");
                Scenarios.stillChats(bob, id, alice);
            }
        }
    }
}
