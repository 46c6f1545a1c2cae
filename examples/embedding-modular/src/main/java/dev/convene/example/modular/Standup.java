package dev.convene.example.modular;

import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceView;
import dev.convene.conference.NewConference;
import dev.convene.conference.PeerClosedException;
import dev.convene.overlay.Identity;
import dev.convene.overlay.NetworkMode;
import dev.convene.overlay.OverlayConfig;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A two-person stand-up on the in-memory network, run as a named module: {@code java --module-path ... -m
 * dev.convene.example.modular/dev.convene.example.modular.Standup}. Prints the transcript and {@code ok}.
 */
public final class Standup {
    private Standup() {
    }

    /**
     * Runs the stand-up.
     *
     * @return the transcript, as the second peer stored it
     * @throws Exception if any step fails or times out
     */
    public static List<String> run() throws Exception {
        String cluster = "standup-" + UUID.randomUUID();
        OverlayConfig aliceConfig = OverlayConfig.builder("alice").mode(NetworkMode.MEMORY).cluster(cluster).build();
        OverlayConfig bobConfig = OverlayConfig.builder("bob").mode(NetworkMode.MEMORY).cluster(cluster).build();
        List<String> transcript;
        ConferencePeer closed;
        try (ConferencePeer alice = ConferencePeer.builder(aliceConfig, Identity.generate()).start();
             ConferencePeer bob = ConferencePeer.builder(bobConfig, Identity.generate()).start()) {
            alice.awaitOnline(bob.self(), Duration.ofSeconds(30)).get(30, TimeUnit.SECONDS);
            ConferenceView standup = alice.create(NewConference.titled("Stand-up").lasting(Duration.ofMinutes(15)).invite(bob.self()))
                    .get(30, TimeUnit.SECONDS);
            bob.awaitOnline(alice.self(), Duration.ofSeconds(30)).get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (bob.conference(standup.id()).isEmpty()) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("no invitation");
                Thread.sleep(20);
            }
            bob.accept(standup.id()).get(30, TimeUnit.SECONDS);
            bob.say(standup.id(), "yesterday: modules").get(30, TimeUnit.SECONDS).acknowledged().get(30, TimeUnit.SECONDS);
            transcript = bob.history(standup.id()).stream().map(ChatEntry::text).toList();
            closed = bob;
        }
        try {
            closed.conferences();
            throw new IllegalStateException("a closed peer answered");
        } catch (PeerClosedException expected) {
            // after close every call fails at once
        }
        return transcript;
    }

    /**
     * Entry point.
     *
     * @param args ignored
     * @throws Exception if the stand-up fails
     */
    public static void main(String[] args) throws Exception {
        List<String> transcript = run();
        transcript.forEach(System.out::println);
        System.out.println(Standup.class.getModule().getName() + " ok");
    }
}
