package dev.convene.conference.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ChatEntry;
import dev.convene.conference.ConferenceListener;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceView;
import dev.convene.conference.NewConference;
import dev.convene.overlay.Identity;
import dev.convene.overlay.NetworkMode;
import dev.convene.overlay.OverlayConfig;
import dev.convene.overlay.PeerId;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Java example of the README, compiled and run: two peers, invite, accept, chat. The code between the
 * README markers is copied into README.md verbatim; keep them in step.
 */
class ReadmeExampleTest {

    @Test
    @Timeout(60)
    void twoPeersInviteAcceptAndChat() throws Exception {
        String cluster = "readme-" + UUID.randomUUID(); // keeps parallel test runs apart
        // README-EXAMPLE-START
        // Two peers in one JVM (NetworkMode.LOCAL would put them on 127.0.0.1 TCP instead).
        OverlayConfig aliceConfig = OverlayConfig.builder("alice").mode(NetworkMode.MEMORY).cluster(cluster).build();
        OverlayConfig bobConfig = OverlayConfig.builder("bob").mode(NetworkMode.MEMORY).cluster(cluster).build();

        List<String> bobSaw = new CopyOnWriteArrayList<>();
        CompletableFuture<ConferenceView> bobInvited = new CompletableFuture<>();
        CompletableFuture<PeerId> aliceSawJoin = new CompletableFuture<>();
        try (ConferencePeer alice = ConferencePeer.builder(aliceConfig, Identity.generate())
                     .listener(new ConferenceListener() {
                         @Override
                         public void participantJoined(ConferenceView conference, PeerId peer, String reason) {
                             aliceSawJoin.complete(peer);
                         }
                     })
                     .start();
             ConferencePeer bob = ConferencePeer.builder(bobConfig, Identity.generate())
                     .listener(new ConferenceListener() {
                         @Override
                         public void invitation(ConferenceView conference, PeerId inviter) {
                             bobSaw.add("invited to " + conference.title());
                             bobInvited.complete(conference);
                         }

                         @Override
                         public void message(ChatEntry message) {
                             bobSaw.add(message.authorName() + ": " + message.text());
                         }
                     })
                     .start()) {
            // Wait, without polling, until alice's directory has verified bob's advertisement.
            alice.awaitOnline(bob.self(), Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS);

            // Alice creates a conference that starts now, inviting bob.
            ConferenceView review = alice.create(NewConference.titled("Design review")
                    .agenda("1. wire format").lasting(Duration.ofMinutes(30)).invite(bob.self())).join();

            // Bob's invitation arrives signed, with the context inside; his listener hears of it; he accepts.
            bob.accept(bobInvited.get(10, TimeUnit.SECONDS).id()).join();

            // Once alice has seen bob join, she says hello; the future completes once another participant stored it.
            aliceSawJoin.get(10, TimeUnit.SECONDS);
            alice.say(review.id(), "hello bob").join().acknowledged().get(10, TimeUnit.SECONDS);

            List<ChatEntry> history = bob.history(review.id()); // the canonical order, same at every participant
            // README-EXAMPLE-END
            assertThat(history).extracting(ChatEntry::text).containsExactly("hello bob");
            dev.convene.overlay.TestCluster.awaitCondition(Duration.ofSeconds(10), () -> bobSaw.size() == 2, bobSaw::toString);
            assertThat(bobSaw).containsExactly("invited to Design review", "alice: hello bob");
        }
    }
}
