package dev.convene.conference.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.convene.conference.ConferenceEvent;
import dev.convene.conference.ConferenceListener;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceView;
import dev.convene.conference.Delivery;
import dev.convene.conference.EventCodec;
import dev.convene.conference.EventType;
import dev.convene.conference.NewConference;
import dev.convene.overlay.Identity;
import dev.convene.overlay.NetworkMode;
import dev.convene.overlay.OverlayConfig;
import dev.convene.overlay.PeerId;
import dev.convene.overlay.TestCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's collaboration example, compiled and run: a shared poll whose votes are durable typed events. The
 * code between the README markers is copied into README.md verbatim (ReadmeTest in cli checks it).
 */
class ReadmePollExampleTest {
    // README-POLL-START
    /** The poll's options. */
    static final Set<String> OPTIONS = Set.of("Thursday", "Friday");

    /** A vote in a shared poll: one of a few options. */
    record Vote(String option) {}

    /** Votes travel as UTF-8; decode gets bytes from other peers, so it refuses anything but a known option. */
    static final EventCodec<Vote> VOTES = new EventCodec<>() {
        @Override
        public byte[] encode(Vote vote) {
            return vote.option().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public Vote decode(byte[] bytes) {
            String option = new String(bytes, StandardCharsets.UTF_8);
            if (!OPTIONS.contains(option)) throw new IllegalArgumentException("not an option");
            return new Vote(option);
        }
    };

    /** Durable: signed, encrypted, stored, in the history order with the chat, caught up by late joiners. */
    static final EventType<Vote> VOTE = EventType.of("com.example.poll.vote", 1, VOTES, Delivery.DURABLE);

    /** The poll's result at this peer: each participant's latest vote, in the canonical order. */
    static Map<PeerId, String> tally(ConferencePeer peer, ConferenceView poll) {
        Map<PeerId, String> latest = new ConcurrentHashMap<>();
        for (ConferenceEvent<Vote> e : peer.events(poll.id(), VOTE)) latest.put(e.author(), e.value().option());
        return latest;
    }
    // README-POLL-END

    @Test
    @Timeout(60)
    void aSharedPollReachesEveryParticipantInOneOrder() throws Exception {
        String cluster = "readme-poll-" + UUID.randomUUID();
        CompletableFuture<ConferenceView> bobInvited = new CompletableFuture<>();
        CompletableFuture<PeerId> aliceSawJoin = new CompletableFuture<>();
        Map<PeerId, String> bobHeard = new ConcurrentHashMap<>();
        try (ConferencePeer alice = ConferencePeer.builder(config("alice", cluster), Identity.generate())
                     .eventType(VOTE)
                     .listener(new ConferenceListener() {
                         @Override
                         public void participantJoined(ConferenceView conference, PeerId peer, String reason) {
                             aliceSawJoin.complete(peer);
                         }
                     })
                     .start();
             ConferencePeer bob = ConferencePeer.builder(config("bob", cluster), Identity.generate())
                     .eventType(VOTE)
                     .listener(new ConferenceListener() {
                         @Override
                         public void invitation(ConferenceView conference, PeerId inviter) {
                             bobInvited.complete(conference);
                         }
                     })
                     .start()) {
            bob.onEvent(VOTE, e -> bobHeard.put(e.author(), e.value().option()));
            alice.awaitOnline(bob.self(), Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS);
            ConferenceView poll = alice.create(NewConference.titled("When do we ship?")
                    .lasting(Duration.ofMinutes(30)).invite(bob.self())).join();
            bob.accept(bobInvited.get(10, TimeUnit.SECONDS).id()).join();
            aliceSawJoin.get(10, TimeUnit.SECONDS);

            alice.publish(poll.id(), VOTE, new Vote("Thursday")).join().acknowledged().get(30, TimeUnit.SECONDS);
            bob.publish(poll.id(), VOTE, new Vote("Friday")).join().acknowledged().get(30, TimeUnit.SECONDS);
            alice.publish(poll.id(), VOTE, new Vote("Friday")).join().acknowledged().get(30, TimeUnit.SECONDS);

            Map<PeerId, String> expected = Map.of(alice.self(), "Friday", bob.self(), "Friday");
            TestCluster.awaitCondition(Duration.ofSeconds(10),
                    () -> tally(alice, poll).equals(expected) && tally(bob, poll).equals(expected) && bobHeard.equals(expected),
                    () -> "alice " + tally(alice, poll) + ", bob " + tally(bob, poll) + ", bob heard " + bobHeard);
            List<String> aliceOrder = alice.events(poll.id(), VOTE).stream().map(e -> e.value().option()).toList();
            assertThat(bob.events(poll.id(), VOTE).stream().map(e -> e.value().option()).toList())
                    .as("one order at every participant").isEqualTo(aliceOrder).hasSize(3);
            assertThat(alice.history(poll.id())).as("votes are not chat").isEmpty();
            assertThat(VOTES.encode(VOTES.decode("Thursday".getBytes(StandardCharsets.UTF_8)))).asString(StandardCharsets.UTF_8)
                    .isEqualTo("Thursday");
        }
    }

    @Test
    void theCodecRefusesWhatIsNotAnOption() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> VOTES.decode("../etc".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static OverlayConfig config(String name, String cluster) {
        return OverlayConfig.builder(name).mode(NetworkMode.MEMORY).cluster(cluster).build();
    }
}
